#include "fd.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace ipcat {

std::string errno_text(int err) {
  return std::strerror(err);
}

void throw_errno(const std::string& what, int err) {
  throw Error(what, errno_text(err), 1, err);
}

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    reset(other.release());
  }
  return *this;
}

Fd::~Fd() {
  reset();
}

void Fd::reset(int fd) {
  if (m_fd >= 0) {
    ::close(m_fd);
  }
  m_fd = fd;
}

UmaskGuard::UmaskGuard(std::optional<unsigned> mode)
    : m_active(mode.has_value()), m_old(m_active ? ::umask(~*mode & 0777) : 0) {}

UmaskGuard::~UmaskGuard() {
  if (m_active) {
    ::umask(m_old);
  }
}

std::size_t grow_pipe(int fd, std::size_t goal) {
  const int now = ::fcntl(fd, F_GETPIPE_SZ);
  if (now <= 0) {
    return 0;
  }
  if (static_cast<std::size_t>(now) >= goal) {
    return static_cast<std::size_t>(now);
  }
  // The system's limit, read once per process (0: unknown, try the goal as it is).
  static const std::size_t max_size = [] {
    std::ifstream max_file("/proc/sys/fs/pipe-max-size");
    std::size_t n = 0;
    return max_file >> n ? n : 0;
  }();
  const std::size_t want = max_size != 0 && max_size < goal ? max_size : goal;
  const int got = ::fcntl(fd, F_SETPIPE_SZ, static_cast<int>(want));
  return static_cast<std::size_t>(got > 0 ? got : now);
}

bool set_nonblocking(int fd, bool on) {
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0) {
    return false;
  }
  const int want = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
  return want == flags || ::fcntl(fd, F_SETFL, want) == 0;
}

std::string file_type_name(mode_t mode) {
  switch (mode & S_IFMT) {
  case S_IFREG:
    return "regular file";
  case S_IFDIR:
    return "directory";
  case S_IFIFO:
    return "FIFO";
  case S_IFLNK:
    return "symbolic link";
  case S_IFSOCK:
    return "socket";
  case S_IFCHR:
    return "character device";
  case S_IFBLK:
    return "block device";
  default:
    return "file";
  }
}

namespace {
struct SavedFlags {
  int fd;
  int flags;
};
std::vector<SavedFlags>& saved_flags() {
  static std::vector<SavedFlags> saved;
  return saved;
}
} // namespace

void remember_fd_flags(int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) {
    saved_flags().push_back({fd, flags});
  }
}

void restore_fd_flags() {
  for (const auto& s : saved_flags()) {
    ::fcntl(s.fd, F_SETFL, s.flags);
  }
}

} // namespace ipcat
