#include "log.hpp"

#include <cerrno>
#include <poll.h>
#include <unistd.h>

namespace ipcat {

namespace {
bool g_verbose = false;
}

void set_verbose(bool on) {
  g_verbose = on;
}

bool verbose() {
  return g_verbose;
}

void write_stderr(const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(STDERR_FILENO, data, size);
    if (n > 0) {
      data += n;
      size -= static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && errno == EAGAIN) {
      // stderr shares a non-blocking description with someone: wait, do not spin.
      pollfd p{STDERR_FILENO, POLLOUT, 0};
      if (::poll(&p, 1, 1000) <= 0) {
        return;
      }
    } else {
      return; // closed or broken stderr must never stop the relay
    }
  }
}

void log_event(const std::string& line) {
  if (g_verbose) {
    const std::string out = line + "\n";
    write_stderr(out.data(), out.size());
  }
}

void log_error(const std::string& message) {
  const std::string out = "ipcat: " + message + "\n";
  write_stderr(out.data(), out.size());
}

} // namespace ipcat
