#include "resolve.hpp"

#include <cerrno>

#include "fd.hpp"

namespace ipcat {

AddrInfoList lookup(const std::string& host, const std::string& port, int family, int socktype,
                    int flags, LookupError& error) {
  addrinfo hints{};
  hints.ai_family = family;
  hints.ai_socktype = socktype;
  hints.ai_flags = flags;
  addrinfo* res = nullptr;
  const int rc = ::getaddrinfo(host.empty() ? nullptr : host.c_str(),
                               port.empty() ? nullptr : port.c_str(), &hints, &res);
  if (rc != 0) {
    error.err = rc == EAI_SYSTEM ? errno : 0;
    error.why = rc == EAI_SYSTEM ? errno_text(errno) : ::gai_strerror(rc);
    return nullptr;
  }
  return AddrInfoList(res);
}

} // namespace ipcat
