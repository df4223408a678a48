#include "socket_file.hpp"

#include <cerrno>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

#include "unix_diag.hpp"

namespace ipcat {

SocketFile::SocketFile(SocketFile&& other) noexcept
    : m_path(std::exchange(other.m_path, {})), m_dev(other.m_dev), m_ino(other.m_ino) {}

SocketFile& SocketFile::operator=(SocketFile&& other) noexcept {
  if (this != &other) {
    remove();
    m_path = std::exchange(other.m_path, {});
    m_dev = other.m_dev;
    m_ino = other.m_ino;
  }
  return *this;
}

void SocketFile::adopt(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    m_path = path;
    m_dev = st.st_dev;
    m_ino = st.st_ino;
  }
}

void SocketFile::remove() {
  struct stat st {};
  if (!m_path.empty() && ::lstat(m_path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode) &&
      st.st_dev == m_dev && st.st_ino == m_ino) {
    ::unlink(m_path.c_str());
  }
  m_path.clear();
}

SocketFile bind_socket_file(int fd, int type, const std::string& path, std::optional<unsigned> mode,
                            const std::string& what) {
  const UnixAddress ua = make_unix_address(path, what);
  const bool abstract = path.front() == '@';
  for (int attempt = 0;; ++attempt) {
    int err = 0;
    {
      const UmaskGuard guard(mode); // the mode from the start: no chmod window
      if (::bind(fd, ua.get(), ua.len) != 0) {
        err = errno;
      }
    }
    if (err == 0) {
      break;
    }
    if (err != EADDRINUSE || abstract || attempt >= 3) {
      throw_errno(what, err);
    }
    struct stat stale {};
    if (!socket_file_is_stale(path, ua.get(), ua.len, type, what, stale)) {
      continue; // it vanished meanwhile: just bind again
    }
    // Remove it only if it is still the file found stale: another listener may have reclaimed
    // the path meanwhile, and its new socket must stay.
    struct stat now {};
    if (::lstat(path.c_str(), &now) != 0 || now.st_dev != stale.st_dev ||
        now.st_ino != stale.st_ino) {
      continue;
    }
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      throw_errno(what + " (removing the stale socket)", errno);
    }
  }
  SocketFile file;
  if (!abstract) {
    file.adopt(path);
  }
  return file;
}

} // namespace ipcat
