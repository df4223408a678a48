#include "socket_stream.hpp"

#include <arpa/inet.h>
#include <asio/experimental/as_tuple.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <cerrno>
#include <poll.h>
#include <sys/un.h>

namespace ipcat {

namespace {

// What a Unix datagram socket asks for as its send buffer: the kernel caps it at wmem_max
// (212,992 bytes by default), and a datagram may be as large as the buffer less 32 bytes.
constexpr int k_unix_dgram_sndbuf = 4 << 20;

// The largest message a datagram socket can send: the UDP payload limit of its family, or
// what a Unix datagram socket's send buffer allows.
std::size_t max_datagram(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof(ss);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
    return 65507;
  }
  if (ss.ss_family == AF_INET6) {
    return 65527; // 65,535 less the UDP header; IPv6 has no IP header inside that limit
  }
  if (ss.ss_family != AF_UNIX) {
    return 65507; // 65,535 less the IPv4 and UDP headers
  }
  ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &k_unix_dgram_sndbuf, sizeof(k_unix_dgram_sndbuf));
  int sndbuf = 0;
  socklen_t olen = sizeof(sndbuf);
  if (::getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, &olen) != 0 || sndbuf <= 32) {
    return 65507;
  }
  return static_cast<std::size_t>(sndbuf) - 32;
}

StreamTraits socket_traits(int fd, bool datagram) {
  StreamTraits t;
  t.socket = true;
  t.datagram = datagram;
  t.zero_copy = !datagram;
  t.max_message = datagram ? max_datagram(fd) : 0;
  return t;
}

// Receives one datagram into buf; MSG_TRUNC makes the kernel return its real size, so a
// datagram larger than buf is told apart (see fits()) and never passed on cut.
ssize_t recv_datagram(int fd, char* buf, std::size_t n, sockaddr_storage* from, socklen_t* len) {
  return ::recvfrom(fd, buf, n, MSG_DONTWAIT | MSG_TRUNC, reinterpret_cast<sockaddr*>(from), len);
}

// recv_datagram's result as read(2)'s: a datagram that did not fit fails with EMSGSIZE.
ssize_t fits(ssize_t r, std::size_t n) {
  if (r > static_cast<ssize_t>(n)) {
    errno = EMSGSIZE;
    return -1;
  }
  return r;
}

} // namespace

SocketStream::SocketStream(asio::io_context& io, Fd fd, std::string name, bool datagram)
    : FdStream(io, std::move(name), fd.get(), fd.get(), socket_traits(fd.get(), datagram)),
      m_fd(std::move(fd)), m_datagram(datagram) {}

SocketStream::~SocketStream() {
  m_rwait.release();
}

void SocketStream::shutdown_write() {
  if (!m_datagram && !m_shut) {
    m_shut = true;
    ::shutdown(m_fd.get(), SHUT_WR);
  }
}

bool SocketStream::peer_gone() const {
  if (m_datagram) {
    return false;
  }
  pollfd p{m_fd.get(), POLLIN | POLLRDHUP, 0};
  return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR)) != 0;
}

bool SocketStream::closed_without_data() const {
  char byte = 0;
  return peer_gone() && ::recv(m_fd.get(), &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

asio::awaitable<bool> SocketStream::watch_hangup() {
  if (m_datagram) {
    co_return false;
  }
  // After end of stream the descriptor stays readable, and Asio re-arms it on every new wait,
  // so a readiness wait would return at once forever. A light poll every 100 ms is enough to
  // notice the full close of a peer that had only half-closed.
  asio::steady_timer timer(m_io);
  while (!m_cancelled) {
    if (peer_gone()) {
      co_return true;
    }
    m_hangup_timer = &timer;
    timer.expires_after(std::chrono::milliseconds(100));
    auto [ec] = co_await timer.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
    m_hangup_timer = nullptr;
    if (ec) {
      co_return false;
    }
  }
  co_return false;
}

void SocketStream::cancel() {
  FdStream::cancel();
  if (m_hangup_timer != nullptr) {
    m_hangup_timer->cancel();
  }
}

void SocketStream::abort() {
  sockaddr_storage ss{};
  socklen_t len = sizeof(ss);
  if (m_datagram || ::getsockname(m_fd.get(), reinterpret_cast<sockaddr*>(&ss), &len) != 0 ||
      ss.ss_family == AF_UNIX) {
    return; // a Unix stream socket has no reset to send; its peer sees what the close says
  }
  reset_on_close(m_fd.get());
}

void reset_on_close(int fd) {
  const linger reset{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
}

int SocketStream::take_error() {
  int err = 0;
  socklen_t len = sizeof(err);
  if (::getsockopt(m_fd.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) {
    return 0;
  }
  return err;
}

ssize_t SocketStream::read_once(char* buf, std::size_t n) {
  const ssize_t r = m_datagram ? fits(recv_datagram(m_fd.get(), buf, n, nullptr, nullptr), n)
                               : ::recv(m_fd.get(), buf, n, MSG_DONTWAIT);
  if (r < 0 && m_datagram && errno == ECONNREFUSED) {
    // An ICMP "port unreachable" for an earlier datagram: UDP loses datagrams by nature, and
    // the peer may start later. Keep listening.
    errno = EAGAIN;
  }
  return r;
}

ssize_t SocketStream::write_once(const char* buf, std::size_t n) {
  const ssize_t r = ::send(m_fd.get(), buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);
  if (r < 0 && m_datagram && errno == ECONNREFUSED) {
    return static_cast<ssize_t>(n); // nobody listens yet: the datagram is lost, as UDP allows
  }
  return r;
}

DatagramServerStream::DatagramServerStream(asio::io_context& io, Fd fd, std::string name,
                                           const sockaddr_storage& peer, socklen_t peer_len,
                                           AccessPolicy access)
    : SocketStream(io, std::move(fd), std::move(name), true), m_peer(peer), m_peer_len(peer_len),
      m_access(std::move(access)) {}

ssize_t DatagramServerStream::read_once(char* buf, std::size_t n) {
  // Loop past refused datagrams: reporting EAGAIN for them would wait for a new readiness edge
  // while admitted datagrams may already be queued behind.
  for (;;) {
    sockaddr_storage from{};
    socklen_t len = sizeof(from);
    const ssize_t r = recv_datagram(m_fd.get(), buf, n, &from, &len);
    if (r < 0) {
      if (errno == ECONNREFUSED) {
        errno = EAGAIN;
      }
      return r;
    }
    std::string why;
    if (from.ss_family != AF_UNIX && m_access.has_inet_rules() &&
        !m_access.admits_inet(reinterpret_cast<sockaddr*>(&from), why)) {
      continue; // a refused peer neither gets through nor becomes the one answered
    }
    m_peer = from; // answer the peer that spoke last
    m_peer_len = len;
    return fits(r, n);
  }
}

ssize_t DatagramServerStream::write_once(const char* buf, std::size_t n) {
  if (m_peer_len <= sizeof(sa_family_t)) {
    return static_cast<ssize_t>(n); // an unnamed Unix datagram peer cannot be answered
  }
  const ssize_t r = ::sendto(m_fd.get(), buf, n, MSG_DONTWAIT | MSG_NOSIGNAL,
                             reinterpret_cast<const sockaddr*>(&m_peer), m_peer_len);
  if (r < 0 && (errno == ECONNREFUSED || errno == ENOENT)) {
    return static_cast<ssize_t>(n);
  }
  return r;
}

std::string format_sockaddr(const sockaddr* sa, socklen_t len) {
  char host[INET6_ADDRSTRLEN] = {};
  if (sa->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
    ::inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
    return std::string(host) + ":" + std::to_string(ntohs(in->sin_port));
  }
  if (sa->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
    if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
      // A dual-stack listener sees IPv4 clients as ::ffff:a.b.c.d; show them as IPv4.
      ::inet_ntop(AF_INET, &in6->sin6_addr.s6_addr[12], host, sizeof(host));
      return std::string(host) + ":" + std::to_string(ntohs(in6->sin6_port));
    }
    ::inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
    return "[" + std::string(host) + "]:" + std::to_string(ntohs(in6->sin6_port));
  }
  if (sa->sa_family == AF_UNIX) {
    const auto* un = reinterpret_cast<const sockaddr_un*>(sa);
    const std::size_t n = len > offsetof(sockaddr_un, sun_path)
                              ? static_cast<std::size_t>(len) - offsetof(sockaddr_un, sun_path)
                              : 0;
    if (n == 0) {
      return "(unnamed)";
    }
    if (un->sun_path[0] == '\0') {
      return "@" + std::string(un->sun_path + 1, n - 1);
    }
    return std::string(un->sun_path, strnlen(un->sun_path, n));
  }
  return "?";
}

} // namespace ipcat
