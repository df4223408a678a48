#include "activation_env.hpp"

#include <charconv>
#include <cstdlib>
#include <string_view>
#include <unistd.h>

namespace ipcat {

namespace {

std::optional<long> env_number(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') {
    return std::nullopt;
  }
  long n = 0;
  const std::string_view s(v);
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || p != s.data() + s.size()) {
    return std::nullopt;
  }
  return n;
}

bool activation_is_ours() {
  const auto pid = env_number("LISTEN_PID");
  return pid && *pid == static_cast<long>(::getpid());
}

} // namespace

std::optional<std::string> activated_socket() {
  const auto fds = env_number("LISTEN_FDS");
  if (!activation_is_ours() || !fds || *fds < 1) {
    return std::nullopt;
  }
  return std::string("3"); // SD_LISTEN_FDS_START: the first descriptor passed
}

void forget_activation() {
  if (activation_is_ours()) {
    ::unsetenv("LISTEN_FDS");
    ::unsetenv("LISTEN_PID");
    ::unsetenv("LISTEN_FDNAMES");
  }
}

} // namespace ipcat
