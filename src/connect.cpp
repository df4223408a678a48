// Client endpoints: Unix and inet sockets that connect, with timeouts and retries.
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <cerrno>
#include <cstring>
#include <netdb.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "endpoints.hpp"
#include "log.hpp"
#include "resolve.hpp"
#include "socket_file.hpp"
#include "tasks.hpp"

namespace ipcat {

namespace {

using asio::experimental::as_tuple;
using namespace asio::experimental::awaitable_operators;

// The socket file a Unix datagram client bound itself to (unix-dgram:...,bind=PATH, -Uu -s
// PATH), owned like a listener's: removed at the end only if it is still the socket ipcat made.
// A Unix datagram client on a path of its own, which goes away with the stream.
class BoundDatagramStream : public SocketStream {
public:
  BoundDatagramStream(asio::io_context& io, Fd fd, std::string name, SocketFile file)
      : SocketStream(io, std::move(fd), std::move(name), true), m_file(std::move(file)) {}

private:
  SocketFile m_file;
};

// A Unix stream connect is immediate (it never waits for a handshake), so it is done blocking.
std::unique_ptr<Stream> connect_unix(asio::io_context& io, const Address& a) {
  const std::string what = "connect " + a.target();
  const UnixAddress ua = make_unix_address(a.path, what);
  const bool dgram = a.is_datagram();
  Fd fd(::socket(AF_UNIX, (dgram ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0));
  if (!fd.valid()) {
    throw ConnectError(what, errno, errno_text(errno));
  }
  SocketFile own;
  if (dgram && !a.options.bind.empty()) {
    // The replies come back to the path the user chose (nc's -Uu -s PATH), with a listener's
    // socket-file rules.
    own = bind_socket_file(fd.get(), SOCK_DGRAM, a.options.bind, std::nullopt,
                           "bind unix:" + a.options.bind);
  } else if (dgram) {
    // A datagram client needs an address of its own for the replies. Autobind gives it a
    // private name in the abstract namespace: nothing on disk to clean up, nothing to collide.
    sockaddr_un self{};
    self.sun_family = AF_UNIX;
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&self), sizeof(sa_family_t)) != 0) {
      throw ConnectError(what, errno, errno_text(errno));
    }
  }
  if (::connect(fd.get(), ua.get(), ua.len) != 0) {
    const int err = errno;
    struct stat st {};
    if (err == ECONNREFUSED && a.path.front() != '@' && ::stat(a.path.c_str(), &st) == 0 &&
        !S_ISSOCK(st.st_mode)) {
      throw ConnectError(what, ENOTSOCK, "not a socket (" + file_type_name(st.st_mode) + ")");
    }
    throw ConnectError(what, err, errno_text(err));
  }
  set_nonblocking(fd.get(), true);
  log_event("Connected to " + a.describe());
  if (own.owns()) {
    return std::make_unique<BoundDatagramStream>(io, std::move(fd), a.describe(), std::move(own));
  }
  return std::make_unique<SocketStream>(io, std::move(fd), a.describe(), dgram);
}

AddrInfoList resolve(const std::string& host, const std::string& port, Family family, int socktype,
                     int flags, const std::string& what) {
  LookupError error;
  AddrInfoList list = lookup(host, port,
                             family == Family::V4   ? AF_INET
                             : family == Family::V6 ? AF_INET6
                                                    : AF_UNSPEC,
                             socktype, flags, error);
  if (!list) {
    const bool numeric = (flags & AI_NUMERICHOST) != 0;
    throw ConnectError(what, error.err,
                       error.why + (numeric ? " (-n: numeric addresses only)" : ""));
  }
  return list;
}

// Binds a connecting socket to -s/-p.
void bind_source(int fd, const addrinfo& target, const ConnectSettings& o,
                 const std::string& what) {
  if (o.source_host.empty() && o.source_port.empty()) {
    return;
  }
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  const Family fam = target.ai_family == AF_INET ? Family::V4 : Family::V6;
  auto src = resolve(o.source_host, o.source_port.empty() ? "0" : o.source_port, fam,
                     target.ai_socktype, AI_PASSIVE, what + " (source address)");
  if (::bind(fd, src->ai_addr, src->ai_addrlen) != 0) {
    throw ConnectError(what + " (bind source)", errno, errno_text(errno));
  }
}

asio::awaitable<std::unique_ptr<Stream>> connect_inet(asio::io_context& io, const Address& a,
                                                      const ConnectSettings& o) {
  const std::string what = "connect " + a.target();
  const bool udp = a.is_datagram();
  const int numeric = a.options.sock.numeric ? AI_NUMERICHOST : 0;
  auto list = resolve(a.host, a.port, a.family, udp ? SOCK_DGRAM : SOCK_STREAM, numeric, what);
  int last_err = ECONNREFUSED;
  for (const addrinfo* ai = list.get(); ai != nullptr; ai = ai->ai_next) {
    Fd fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol));
    if (!fd.valid()) {
      last_err = errno;
      continue;
    }
    apply_socket_options(fd.get(), ai->ai_family, a.options.sock, what.c_str());
    bind_source(fd.get(), *ai, o, what);
    int err = 0;
    if (::connect(fd.get(), ai->ai_addr, ai->ai_addrlen) != 0) {
      err = errno;
    }
    if (err == EINPROGRESS) {
      Waiter w;
      w.attach(io, fd.get());
      int werr = 0;
      if (o.timeout) {
        asio::steady_timer timer(io, *o.timeout);
        auto r = co_await (w.wait(asio::posix::descriptor_base::wait_write) ||
                           timer.async_wait(as_tuple(asio::use_awaitable)));
        werr = r.index() == 0 ? std::get<0>(r) : ETIMEDOUT;
      } else {
        werr = co_await w.wait(asio::posix::descriptor_base::wait_write);
      }
      w.release();
      err = werr;
      if (err == 0) {
        socklen_t len = sizeof(err);
        ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
      }
    }
    if (err != 0) {
      last_err = err;
      continue;
    }
    sockaddr_storage peer{};
    socklen_t plen = sizeof(peer);
    ::getpeername(fd.get(), reinterpret_cast<sockaddr*>(&peer), &plen);
    const std::string name = std::string(udp ? "udp:" : "tcp:") +
                             format_sockaddr(reinterpret_cast<sockaddr*>(&peer), plen);
    log_event("Connected to " + name);
    co_return std::make_unique<SocketStream>(io, std::move(fd), name, udp);
  }
  throw ConnectError(what, last_err, errno_text(last_err));
}

bool retryable(const ConnectError& e) {
  switch (e.err()) {
  case ENOENT:
  case ECONNREFUSED:
  case ETIMEDOUT:
  case EAGAIN:
  case EHOSTUNREACH:
  case ENETUNREACH:
  case ECONNRESET:
  case 0: // name resolution: the name may appear (containers coming up)
    return true;
  default:
    return false;
  }
}

} // namespace

bool another_try(const ConnectSettings& o, const ConnectError& e, bool retryable,
                 unsigned long long attempt) {
  if (!o.retry || !retryable || (o.retry_count && attempt > *o.retry_count)) {
    return false;
  }
  log_event(std::string("ipcat: ") + e.what() + "; retrying in " +
            format_duration(o.retry_interval));
  return true;
}

ConnectSettings ConnectSettings::from(const Options& o) {
  ConnectSettings s;
  s.source_host = o.source_host;
  s.source_port = o.source_port;
  s.timeout = o.connect_timeout;
  s.retry = o.retry;
  s.retry_count = o.retry_count;
  s.retry_interval = o.retry_interval;
  return s;
}

UnixAddress make_unix_address(const std::string& path, const std::string& what) {
  UnixAddress ua;
  auto* sun = reinterpret_cast<sockaddr_un*>(&ua.storage);
  sun->sun_family = AF_UNIX;
  const bool abstract = !path.empty() && path.front() == '@';
  const std::size_t limit = sizeof(sun->sun_path) - (abstract ? 0 : 1);
  if (path.size() > limit || path.empty()) {
    throw Error(what, path.empty()
                          ? "empty socket path"
                          : "socket path too long (" + std::to_string(path.size()) +
                                " bytes; the kernel allows at most " + std::to_string(limit) + ")");
  }
  std::memcpy(sun->sun_path, path.data(), path.size());
  if (abstract) {
    sun->sun_path[0] = '\0'; // the Linux abstract namespace: no file, no NUL terminator
    ua.len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size());
  } else {
    ua.len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() + 1);
  }
  return ua;
}

asio::awaitable<std::unique_ptr<Stream>> connect_address(asio::io_context& io, const Address& a,
                                                         const ConnectSettings& o) {
  for (unsigned long long attempt = 1;; ++attempt) {
    try {
      if (a.is_unix()) {
        co_return connect_unix(io, a);
      }
      co_return co_await connect_inet(io, a, o);
    } catch (const ConnectError& e) {
      if (!another_try(o, e, retryable(e), attempt)) {
        throw;
      }
    }
    co_await sleep_for(io, o.retry_interval);
  }
}

} // namespace ipcat
