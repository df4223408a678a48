#include "activation.hpp"

#include <cerrno>
#include <charconv>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "activation_env.hpp"
#include "log.hpp"
#include "socket_stream.hpp"

namespace ipcat {

namespace {

// The descriptor number of an accept-fd:N or fd:N address, checked to be open; made
// close-on-exec, so that no child inherits it.
int inherited_descriptor(const Address& a, const std::string& what) {
  int n = -1;
  const auto [p, ec] = std::from_chars(a.path.data(), a.path.data() + a.path.size(), n);
  if (ec != std::errc() || p != a.path.data() + a.path.size() || n < 0) {
    throw Error(what, "not a descriptor number", 2);
  }
  const int flags = ::fcntl(n, F_GETFD);
  if (flags < 0) {
    throw_errno(what, errno);
  }
  ::fcntl(n, F_SETFD, flags | FD_CLOEXEC);
  return n;
}

// A descriptor that is not a socket (a pipe, a terminal, a file), read and written as its
// access mode allows; it owns the descriptor.
class InheritedFdStream : public FdStream {
public:
  InheritedFdStream(asio::io_context& io, std::string name, Fd fd, bool readable, bool writable)
      : FdStream(io, std::move(name), readable ? fd.get() : -1, writable ? fd.get() : -1,
                 plain_traits()),
        m_fd(std::move(fd)) {}
  ~InheritedFdStream() override {
    m_rwait.release();
    release_write_waiter();
  }

  void shutdown_write() override {
    if (m_wfd < 0) {
      return;
    }
    release_write_waiter();
    m_wfd = -1;
    if (m_rfd < 0) {
      m_fd.reset(); // write-only: closing it is the end of the output
    }
  }

private:
  static StreamTraits plain_traits() {
    StreamTraits t;
    t.zero_copy = true;
    return t;
  }
  Fd m_fd;
};

} // namespace

InheritedSocket take_inherited_socket(const Address& a) {
  const std::string what = "listen " + a.describe();
  const int n = inherited_descriptor(a, what);
  int type = 0;
  socklen_t len = sizeof(type);
  if (::getsockopt(n, SOL_SOCKET, SO_TYPE, &type, &len) != 0) {
    throw Error(what, errno == ENOTSOCK ? "not a socket" : errno_text(errno));
  }
  int listening = 0;
  len = sizeof(listening);
  ::getsockopt(n, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len);
  if (type == SOCK_STREAM && listening == 0) {
    throw Error(what, "not a listening socket (fd:" + a.path + " serves a connected one)");
  }
  if (type != SOCK_STREAM && type != SOCK_DGRAM) {
    throw Error(what, "not a stream or datagram socket");
  }
  sockaddr_storage local{};
  socklen_t llen = sizeof(local);
  if (::getsockname(n, reinterpret_cast<sockaddr*>(&local), &llen) != 0) {
    throw_errno(what, errno);
  }
  const bool dgram = type == SOCK_DGRAM;
  InheritedSocket s;
  if (local.ss_family == AF_UNIX) {
    s.as.kind = dgram ? AddressKind::UnixDgramListen : AddressKind::UnixListen;
    s.name = "unix:" + format_sockaddr(reinterpret_cast<sockaddr*>(&local), llen);
  } else if (local.ss_family == AF_INET || local.ss_family == AF_INET6) {
    s.as.kind = dgram ? AddressKind::UdpListen : AddressKind::TcpListen;
    s.name = std::string(dgram ? "udp:" : "tcp:") +
             format_sockaddr(reinterpret_cast<sockaddr*>(&local), llen);
  } else {
    throw Error(what, "not a Unix, TCP or UDP socket");
  }
  set_nonblocking(n, true);
  s.fd.reset(n);
  forget_activation();
  return s;
}

std::unique_ptr<Stream> open_inherited_fd(asio::io_context& io, const Address& a) {
  const std::string what = "open " + a.describe();
  const int n = inherited_descriptor(a, what);
  const int flags = ::fcntl(n, F_GETFL);
  if (flags < 0) {
    throw_errno(what, errno);
  }
  forget_activation();
  Fd fd(n);
  int type = 0;
  socklen_t len = sizeof(type);
  if (::getsockopt(n, SOL_SOCKET, SO_TYPE, &type, &len) == 0) {
    set_nonblocking(n, true);
    log_event("Using " + a.describe());
    return std::make_unique<SocketStream>(io, std::move(fd), a.describe(), type == SOCK_DGRAM);
  }
  // A pipe or terminal shares its open file description with the parent: its flags are put
  // back at exit.
  remember_fd_flags(n);
  set_nonblocking(n, true);
  const int mode = flags & O_ACCMODE;
  return std::make_unique<InheritedFdStream>(io, a.describe(), std::move(fd), mode != O_WRONLY,
                                             mode != O_RDONLY);
}

} // namespace ipcat
