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

bool write_blocking(int fd, const char* data, std::size_t size, bool give_up_after_stall) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n > 0) {
      data += n;
      size -= static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && errno == EAGAIN) {
      // The descriptor shares a non-blocking description with someone: wait, do not spin.
      pollfd p{fd, POLLOUT, 0};
      if (::poll(&p, 1, 1000) <= 0 && give_up_after_stall) {
        return false;
      }
    } else {
      return false;
    }
  }
  return true;
}

void write_stderr(const char* data, std::size_t size) {
  // A closed, broken or stalled stderr must never stop the relay.
  (void)write_blocking(STDERR_FILENO, data, size, true);
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
