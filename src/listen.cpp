// Listening endpoints: Unix (stream and datagram) and inet (TCP and UDP) listeners, with the
// socket-file rules: reclaim only a stale socket, never touch anything else, remove our own.
#include <array>
#include <asio/experimental/as_tuple.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <cerrno>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "activation.hpp"
#include "endpoints.hpp"
#include "log.hpp"
#include "resolve.hpp"
#include "socket_file.hpp"

namespace ipcat {

namespace {

// How a listener names its peers in messages: the type of the socket it listens on ("tcp",
// "udp", "unix").
std::string scheme_of(const Address& a) {
  return std::string(endpoint_type(a.type().target).name.name);
}

// How a stream listener waits when it is out of descriptors: a pause that doubles from the
// first to the longest, and, after this long with clients waiting, one client refused.
constexpr std::chrono::milliseconds k_first_pause{10};
constexpr std::chrono::milliseconds k_longest_pause{200};
constexpr std::chrono::seconds k_refuse_after{2};
// The descriptors a new session may need besides its socket (a child's two pipes, the splice
// pipes of a relay to another socket): with -k, a client is accepted only when that many are
// free too, rather than accepted only to fail at once. (Without -k there is one session: no
// other will free any.)
constexpr std::size_t k_session_fds = 8;
// How long a one-client listener watches a silent new connection for a close without data
// (a probe that had not closed yet when it was accepted) before taking it as its client.
constexpr std::chrono::milliseconds k_probe_watch{50};
constexpr std::chrono::milliseconds k_probe_step{2};

class StreamListener : public Listener {
public:
  StreamListener(asio::io_context& io, Fd fd, std::string name, const Address& a,
                 const ListenSettings& settings)
      : m_io(io), m_fd(std::move(fd)), m_name(std::move(name)), m_scheme(scheme_of(a)),
        m_unix(a.is_unix()), m_access(settings.access), m_one_client(settings.one_client),
        m_pause(io) {
    m_wait.attach(io, m_fd.get());
    // A spare descriptor lets the listener refuse a client cleanly when it runs out of them.
    m_spare.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  }
  ~StreamListener() override { m_wait.release(); }

  [[nodiscard]] std::string name() const override { return m_name; }
  SocketFile& file() { return m_file; }

  asio::awaitable<std::unique_ptr<Stream>> accept() override {
    // Let the session of the client accepted last start first (open its child, its pipes),
    // so that the descriptors it takes are counted before the next client is accepted.
    co_await asio::post(m_io, asio::use_awaitable);
    for (;;) {
      if (!m_fd.valid()) {
        throw Error("accept " + m_name, "listener closed");
      }
      if (m_cancelled) {
        throw_errno("accept " + m_name, ECANCELED);
      }
      if (!m_one_client && !m_squeeze && !descriptors_to_spare()) {
        co_await out_of_descriptors(false);
        continue;
      }
      sockaddr_storage peer{};
      socklen_t len = sizeof(peer);
      Fd client(::accept4(m_fd.get(), reinterpret_cast<sockaddr*>(&peer), &len,
                          SOCK_NONBLOCK | SOCK_CLOEXEC));
      if (client.valid()) {
        m_starved_since.reset();
        m_next_pause = k_first_pause;
        const std::string from =
            m_unix ? m_name
                   : m_scheme + ":" + format_sockaddr(reinterpret_cast<sockaddr*>(&peer), len);
        std::string why;
        if (!admitted(client.get(), reinterpret_cast<sockaddr*>(&peer), why)) {
          // Refused: closed at once, before a byte is read or written; a TCP client gets a
          // reset, so it cannot take the close for a served session.
          log_event("Refused a connection from " + from + ": " + why);
          reset_on_close(client.get());
          continue;
        }
        auto stream = std::make_unique<SocketStream>(m_io, std::move(client), from, false);
        const bool probe = co_await is_probe(*stream);
        if (probe) {
          log_event("Ignored a connection that closed without data");
          continue;
        }
        log_event("Connection from " + from);
        co_return stream;
      }
      const int err = errno;
      if (err == EMFILE || err == ENFILE) {
        co_await out_of_descriptors(true);
        continue;
      }
      if (err == EINTR || err == ECONNABORTED || err == EPROTO) {
        continue;
      }
      if (err != EAGAIN && err != EWOULDBLOCK) {
        throw_errno("accept " + m_name, err);
      }
      m_squeeze = false; // nobody waits any more
      const int w = co_await m_wait.wait(asio::posix::descriptor_base::wait_read);
      if (w != 0) {
        throw_errno("accept " + m_name, w);
      }
    }
  }

  void close() override {
    m_wait.release();
    m_fd.reset();
  }
  void cancel() override {
    m_cancelled = true;
    m_wait.cancel();
    m_pause.cancel();
  }

private:
  bool admitted(int fd, const sockaddr* peer, std::string& why) const {
    if (m_unix) {
      if (!m_access.has_unix_rules()) {
        return true;
      }
      ucred cred{};
      socklen_t len = sizeof(cred);
      if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
        why = "no peer credentials: " + errno_text(errno);
        return false;
      }
      return m_access.admits_unix(cred.uid, cred.gid, why);
    }
    return m_access.admits_inet(peer, why);
  }

  // True when k_session_fds descriptors could be opened now (they are closed again at once).
  [[nodiscard]] bool descriptors_to_spare() const {
    std::array<Fd, k_session_fds> trial;
    for (auto& fd : trial) {
      fd.reset(::fcntl(m_fd.get(), F_DUPFD_CLOEXEC, 0));
      if (!fd.valid()) {
        return errno != EMFILE && errno != ENFILE;
      }
    }
    return true;
  }

  // True for a connection that closed entirely without sending a byte: another listener or a
  // port scan (-z) checking that this one is alive, not a client. It must not use up the one
  // client a listener without -k serves, so such a listener watches a silent connection a
  // moment for that close; with -k the accept loop must not wait, and a probe that is still
  // open just makes a session that ends at once.
  asio::awaitable<bool> is_probe(const SocketStream& stream) {
    if (stream.closed_without_data()) {
      co_return true;
    }
    if (!m_one_client || !m_unix) {
      co_return false;
    }
    asio::steady_timer step(m_io);
    for (auto waited = std::chrono::milliseconds(0); waited < k_probe_watch;
         waited += k_probe_step) {
      pollfd p{stream.read_fd(), POLLIN, 0};
      if (::poll(&p, 1, 0) > 0) {
        co_return stream.closed_without_data(); // data, a half-close or a full close: decided
      }
      step.expires_after(k_probe_step);
      co_await step.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
      if (m_cancelled) {
        co_return false;
      }
    }
    co_return false;
  }

  // No descriptor for a client (none: accept4 said EMFILE) or for its session (too few free).
  // That holds even with nobody waiting (accept4 reserves the descriptor before it looks at
  // the backlog): then wait for a client as usual. With clients waiting, leave them in the
  // backlog (accepting one that cannot be served would drop it) and look again after a pause,
  // without spinning. Only when nothing has freed up for k_refuse_after does the listener give
  // in, so that no client hangs forever when the limit is too low: it accepts the waiting
  // clients anyway while there are descriptors for them (their sessions may still fit), and
  // once there are none, after k_refuse_after again, it refuses one, with an error on its
  // side, and so on until descriptors free up or nobody waits.
  asio::awaitable<void> out_of_descriptors(bool none) {
    if (!m_spare.valid()) {
      m_spare.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    }
    pollfd p{m_fd.get(), POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0 || (p.revents & POLLIN) == 0) {
      m_squeeze = false;
      m_starved_since.reset();
      m_next_pause = k_first_pause;
      const int w = co_await m_wait.wait(asio::posix::descriptor_base::wait_read);
      if (w != 0) {
        throw_errno("accept " + m_name, w);
      }
      co_return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (!m_starved_since) {
      m_starved_since = now;
    } else if (now - *m_starved_since >= k_refuse_after) {
      m_starved_since = now;
      if (!none) {
        m_squeeze = true;
        co_return;
      }
      refuse_one();
    }
    m_pause.expires_after(m_next_pause);
    co_await m_pause.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
    m_next_pause = std::min(m_next_pause * 2, k_longest_pause);
    if (m_cancelled) {
      throw_errno("accept " + m_name, ECANCELED);
    }
  }

  // Gives back the spare descriptor to accept one waiting client and close it at once, with a
  // reset for a TCP client (a Unix client that sent data gets ECONNRESET).
  void refuse_one() {
    m_spare.reset();
    Fd doomed(::accept4(m_fd.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (doomed.valid()) {
      reset_on_close(doomed.get());
      doomed.reset();
      log_error("accept " + m_name + ": out of file descriptors; refused a client");
    }
    m_spare.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  }

  asio::io_context& m_io;
  Fd m_fd;
  Fd m_spare;
  std::string m_name;
  std::string m_scheme; // "unix", "tcp", "udp": how peers are named in messages
  bool m_unix;
  AccessPolicy m_access;
  bool m_one_client;
  bool m_cancelled = false;
  Waiter m_wait;
  asio::steady_timer m_pause;
  std::chrono::milliseconds m_next_pause = k_first_pause;
  std::optional<std::chrono::steady_clock::time_point> m_starved_since;
  bool m_squeeze = false; // accept clients even with fewer than k_session_fds free
  SocketFile m_file;
};

// A datagram listener: "accepting" means waiting for the first datagram, whose sender becomes
// the peer; after that one stream serves every peer, answering the one that spoke last.
class DatagramListener : public Listener {
public:
  DatagramListener(asio::io_context& io, Fd fd, std::string name, const Address& a,
                   AccessPolicy access)
      : m_io(io), m_fd(std::move(fd)), m_name(std::move(name)), m_scheme(scheme_of(a)),
        m_unix(a.is_unix()), m_access(std::move(access)) {}
  ~DatagramListener() override { m_wait.release(); }

  [[nodiscard]] std::string name() const override { return m_name; }
  [[nodiscard]] bool single_session() const override { return true; }
  SocketFile& file() { return m_file; }

  asio::awaitable<std::unique_ptr<Stream>> accept() override {
    if (!m_fd.valid()) {
      throw Error("accept " + m_name, "listener closed");
    }
    m_wait.attach(m_io, m_fd.get());
    for (;;) {
      char byte = 0;
      sockaddr_storage peer{};
      socklen_t len = sizeof(peer);
      const ssize_t n = ::recvfrom(m_fd.get(), &byte, 1, MSG_PEEK | MSG_DONTWAIT,
                                   reinterpret_cast<sockaddr*>(&peer), &len);
      std::string why;
      if (n >= 0 && !m_unix && !m_access.admits_inet(reinterpret_cast<sockaddr*>(&peer), why)) {
        // Not admitted: drop the datagram and keep waiting for one that is.
        ::recv(m_fd.get(), &byte, 1, MSG_DONTWAIT);
        log_event("Dropped a datagram from " + m_scheme + ":" +
                  format_sockaddr(reinterpret_cast<sockaddr*>(&peer), len) + ": " + why);
        continue;
      }
      if (n >= 0) {
        m_wait.release();
        const std::string from =
            m_scheme + ":" + format_sockaddr(reinterpret_cast<sockaddr*>(&peer), len);
        log_event("Connection from " + from);
        co_return std::make_unique<DatagramServerStream>(m_io, std::move(m_fd), m_name, peer, len,
                                                         m_access);
      }
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNREFUSED) {
        throw_errno("receive " + m_name, errno);
      }
      const int w = co_await m_wait.wait(asio::posix::descriptor_base::wait_read);
      if (w != 0) {
        throw_errno("receive " + m_name, w);
      }
    }
  }

  void close() override {}
  void cancel() override { m_wait.cancel(); }
  Fd take_socket() override {
    m_wait.release();
    return std::move(m_fd);
  }

private:
  asio::io_context& m_io;
  Fd m_fd;
  std::string m_name;
  std::string m_scheme; // "unix", "tcp", "udp": how peers are named in messages
  bool m_unix;
  AccessPolicy m_access;
  Waiter m_wait;
  SocketFile m_file;
};

std::unique_ptr<Listener> listen_unix(asio::io_context& io, const Address& a,
                                      const ListenSettings& settings) {
  const std::string what = "listen " + a.target();
  const bool dgram = a.is_datagram();
  const int type = dgram ? SOCK_DGRAM : SOCK_STREAM;
  (void)make_unix_address(a.path, what); // a path too long is an error before anything is made
  const std::string name = "unix:" + a.path;

  Fd fd(::socket(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) {
    throw_errno(what, errno);
  }
  SocketFile file = bind_socket_file(fd.get(), type, a.path, a.options.mode, what);
  if (dgram) {
    auto l = std::make_unique<DatagramListener>(io, std::move(fd), name, a, settings.access);
    l->file() = std::move(file);
    return l;
  }
  if (::listen(fd.get(), SOMAXCONN) != 0) {
    throw_errno(what, errno);
  }
  auto l = std::make_unique<StreamListener>(io, std::move(fd), name, a, settings);
  l->file() = std::move(file);
  return l;
}

std::unique_ptr<Listener> listen_inet(asio::io_context& io, const Address& a,
                                      const ListenSettings& settings) {
  const std::string what = "listen " + a.target();
  const bool udp = a.is_datagram();
  const int socktype = udp ? SOCK_DGRAM : SOCK_STREAM;

  // No host: one dual-stack socket on [::] (IPv4 clients arrive as mapped addresses), or
  // 0.0.0.0 with -4 or on a host without IPv6.
  std::vector<std::pair<int, std::string>> candidates;
  if (!a.host.empty()) {
    candidates.emplace_back(AF_UNSPEC, a.host);
  } else if (a.family == Family::V4) {
    candidates.emplace_back(AF_INET, "0.0.0.0");
  } else if (a.family == Family::V6) {
    candidates.emplace_back(AF_INET6, "::");
  } else {
    candidates.emplace_back(AF_INET6, "::");
    candidates.emplace_back(AF_INET, "0.0.0.0");
  }
  int last_err = 0;
  std::string last_why;
  for (const auto& [family, host] : candidates) {
    const int want = family != AF_UNSPEC      ? family
                     : a.family == Family::V4 ? AF_INET
                     : a.family == Family::V6 ? AF_INET6
                                              : AF_UNSPEC;
    LookupError error;
    const int numeric = a.options.sock.numeric ? AI_NUMERICHOST : 0;
    const AddrInfoList list = lookup(host, a.port, want, socktype, AI_PASSIVE | numeric, error);
    if (!list) {
      last_why = error.why + (numeric != 0 ? " (-n: numeric addresses only)" : "");
      continue;
    }
    for (const addrinfo* ai = list.get(); ai != nullptr; ai = ai->ai_next) {
      Fd fd(
          ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol));
      if (!fd.valid()) {
        last_err = errno;
        continue;
      }
      const int one = 1;
      ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
      apply_socket_options(fd.get(), ai->ai_family, a.options.sock, what.c_str());
      if (ai->ai_family == AF_INET6) {
        const int v6only = a.host.empty() && a.family == Family::Any ? 0 : 1;
        ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only));
      }
      if (::bind(fd.get(), ai->ai_addr, ai->ai_addrlen) != 0 ||
          (!udp && ::listen(fd.get(), SOMAXCONN) != 0)) {
        last_err = errno;
        continue;
      }
      sockaddr_storage local{};
      socklen_t len = sizeof(local);
      ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&local), &len);
      const std::string name =
          scheme_of(a) + ":" + format_sockaddr(reinterpret_cast<sockaddr*>(&local), len);
      if (udp) {
        return std::make_unique<DatagramListener>(io, std::move(fd), name, a, settings.access);
      }
      return std::make_unique<StreamListener>(io, std::move(fd), name, a, settings);
    }
  }
  if (last_err != 0) {
    throw_errno(what, last_err);
  }
  throw Error(what, last_why.empty() ? "no address to listen on" : last_why);
}

// accept-fd:N: a socket ipcat was started with (systemd, inetd), served by the listener its
// family and type call for. A socket file it has belongs to whoever made it: it stays.
std::unique_ptr<Listener> listen_inherited(asio::io_context& io, const Address& a,
                                           const ListenSettings& settings) {
  InheritedSocket s = take_inherited_socket(a);
  if (s.as.is_datagram()) {
    return std::make_unique<DatagramListener>(io, std::move(s.fd), s.name, s.as, settings.access);
  }
  return std::make_unique<StreamListener>(io, std::move(s.fd), s.name, s.as, settings);
}

} // namespace

std::unique_ptr<Listener> open_listener(asio::io_context& io, const Address& a,
                                        const ListenSettings& settings) {
  if (a.kind == AddressKind::AcceptFd) {
    return listen_inherited(io, a, settings);
  }
  if (a.is_unix()) {
    return listen_unix(io, a, settings);
  }
  return listen_inet(io, a, settings);
}

} // namespace ipcat
