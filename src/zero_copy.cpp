#include "zero_copy.hpp"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ipcat {

namespace {

constexpr std::size_t k_pipe_goal = 1 << 20;

mode_t type_of(int fd) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 ? (st.st_mode & S_IFMT) : 0;
}

} // namespace

bool copy_forced() {
  // Read once: the environment does not change under a running ipcat.
  static const bool forced = [] {
    const char* v = std::getenv("IPCAT_COPY");
    return v != nullptr && *v != '\0' && *v != '0';
  }();
  return forced;
}

MoveKind choose_move(int in_fd, int out_fd) {
  if (in_fd < 0 || out_fd < 0 || copy_forced()) {
    return MoveKind::Copy;
  }
  const mode_t in = type_of(in_fd);
  const mode_t out = type_of(out_fd);
  if (in == 0 || out == 0 || ::isatty(in_fd) || ::isatty(out_fd)) {
    return MoveKind::Copy; // terminals refuse splice; people type there anyway
  }
  if (in == S_IFREG) {
    return MoveKind::Sendfile;
  }
  if (in == S_IFIFO || out == S_IFIFO) {
    return MoveKind::SpliceDirect;
  }
  if (in == S_IFSOCK && (out == S_IFSOCK || out == S_IFREG || out == S_IFCHR)) {
    return MoveKind::SpliceViaPipe;
  }
  return MoveKind::Copy;
}

SplicePipe::SplicePipe() {
  int fds[2];
  if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) {
    throw_errno("pipe", errno);
  }
  m_r.reset(fds[0]);
  m_w.reset(fds[1]);
  // Grow it as far as allowed, up to the goal: fewer, larger splices.
  const std::size_t got = grow_pipe(m_w.get(), k_pipe_goal);
  if (got > 0) {
    m_capacity = got;
  }
}

ssize_t splice_once(int in_fd, int out_fd, std::size_t max) {
  return ::splice(in_fd, nullptr, out_fd, nullptr, max, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
}

ssize_t move_once(MoveKind kind, int in_fd, int out_fd, std::size_t max) {
  if (kind == MoveKind::Sendfile) {
    return ::sendfile(out_fd, in_fd, nullptr, max);
  }
  return splice_once(in_fd, out_fd, max);
}

bool splice_unsupported(int err) {
  return err == EINVAL || err == ENOSYS || err == EOPNOTSUPP || err == EBADF || err == ESPIPE;
}

} // namespace ipcat
