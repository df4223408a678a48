// Name resolution for TCP and UDP endpoints: getaddrinfo's list as an owning value, and its
// failure as an errno value and a message.
#pragma once

#include <memory>
#include <netdb.h>
#include <string>

namespace ipcat {

/// Frees a getaddrinfo list.
struct AddrInfoDeleter {
  void operator()(addrinfo* ai) const { ::freeaddrinfo(ai); }
};
/// A getaddrinfo list that frees itself.
using AddrInfoList = std::unique_ptr<addrinfo, AddrInfoDeleter>;

/// How a lookup failed: the errno value (0 when the resolver itself said no) and the message.
struct LookupError {
  int err = 0;
  std::string why;
};

/// Resolves host and port (either may be empty: any / none) for family (AF_INET, AF_INET6 or
/// AF_UNSPEC) and socktype with the getaddrinfo flags; nullptr with error set on failure.
AddrInfoList lookup(const std::string& host, const std::string& port, int family, int socktype,
                    int flags, LookupError& error);

} // namespace ipcat
