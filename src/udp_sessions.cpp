#include "udp_sessions.hpp"

#include <asio/experimental/as_tuple.hpp>
#include <asio/use_awaitable.hpp>
#include <cerrno>
#include <vector>

#include "log.hpp"
#include "socket_stream.hpp"
#include "tasks.hpp"

namespace ipcat {

namespace {

using asio::experimental::as_tuple;

// What one peer may have waiting for its session: past it, its datagrams are dropped (UDP
// allows loss; memory stays bounded when a child reads slower than its peer sends).
constexpr std::size_t k_peer_queue_bytes = 1 << 20;
// The receive buffer: the largest datagram a Unix datagram socket sends by default fits.
constexpr std::size_t k_receive_size = 1 << 20;
// A reply that finds the socket's send buffer full tries again after this.
constexpr std::chrono::milliseconds k_send_retry{1};

std::size_t max_reply(const sockaddr_storage& peer) {
  if (peer.ss_family == AF_INET6) {
    return 65527;
  }
  if (peer.ss_family == AF_UNIX) {
    return 212992 - 32; // the default Unix datagram send buffer, less its overhead
  }
  return 65507;
}

StreamTraits peer_traits(const sockaddr_storage& peer) {
  StreamTraits t;
  // Not a datagram stream for the relay: the end of the peer's session (idle, or its other
  // side gone) is an end of input, which a datagram stream cannot have. Each chunk the other
  // side writes is still one datagram: a chunk is at most max_message bytes.
  t.max_message = max_reply(peer);
  return t;
}

// One peer's side of its session: reads that peer's datagrams from its queue (fed by
// UdpSessions::run) and answers it alone, with sendto on the listening socket.
class PeerStream : public Stream {
public:
  PeerStream(asio::io_context& io, int fd, std::string name, const sockaddr_storage& peer,
             socklen_t peer_len, std::shared_ptr<PeerQueue> queue,
             std::optional<Duration> idle_timeout)
      : Stream(peer_traits(peer)), m_io(io), m_fd(fd), m_name(std::move(name)), m_peer(peer),
        m_peer_len(peer_len), m_queue(std::move(queue)), m_idle(idle_timeout), m_wake(io),
        m_send_pause(io), m_hangup(io) {
    m_queue->wake = [this] { m_wake.cancel(); };
  }
  ~PeerStream() override { m_queue->wake = nullptr; }

  [[nodiscard]] std::string name() const override { return m_name; }
  /// The peer this session serves: where a child started for it (-e, -c, exec:) gets its
  /// IPCAT_PEER_ADDR and IPCAT_PEER_PORT from, and the local address is the listening
  /// socket's (getsockname on m_fd).
  [[nodiscard]] const sockaddr_storage& peer() const { return m_peer; }

  asio::awaitable<IoResult> read(std::span<char> buf) override {
    for (;;) {
      if (m_cancelled) {
        co_return IoResult{-1, ECANCELED};
      }
      PeerQueue& q = *m_queue;
      if (!q.datagrams.empty()) {
        const std::string d = q.pop();
        const std::size_t n = std::min(d.size(), buf.size());
        std::copy_n(d.data(), n, buf.data());
        co_return IoResult{static_cast<ssize_t>(n), 0};
      }
      if (q.closed) {
        co_return IoResult{0, 0}; // the session is ending: its other side's input ends
      }
      auto until = asio::steady_timer::time_point::max();
      if (m_idle) {
        until = q.last_activity + std::chrono::duration_cast<std::chrono::nanoseconds>(*m_idle);
        if (std::chrono::steady_clock::now() >= until) {
          log_event("Connection from " + m_name + " ended: idle timeout: no data for " +
                    format_duration(*m_idle));
          q.closed = true;
          continue;
        }
      }
      m_wake.expires_at(until);
      co_await m_wake.async_wait(as_tuple(asio::use_awaitable));
    }
  }

  asio::awaitable<IoResult> write(std::span<const char> buf) override {
    for (;;) {
      if (m_cancelled) {
        co_return IoResult{-1, ECANCELED};
      }
      const ssize_t r = ::sendto(m_fd, buf.data(), buf.size(), MSG_DONTWAIT | MSG_NOSIGNAL,
                                 reinterpret_cast<const sockaddr*>(&m_peer), m_peer_len);
      if (r >= 0 || errno == ECONNREFUSED || errno == ENOENT || errno == EPERM) {
        // Sent, or lost the way UDP loses datagrams (nobody listens there any more).
        m_queue->last_activity = std::chrono::steady_clock::now();
        co_return IoResult{static_cast<ssize_t>(buf.size()), 0};
      }
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ENOBUFS) {
        co_return IoResult{-1, errno};
      }
      // The socket is shared by every session, so its readiness belongs to the receiving
      // loop; a full send buffer is rare and short, and a pause is enough.
      m_send_pause.expires_after(k_send_retry);
      co_await m_send_pause.async_wait(as_tuple(asio::use_awaitable));
    }
  }

  void shutdown_write() override {
    // The other side's output has ended (a child exited): the session ends, and this peer's
    // next datagram starts a new one.
    m_queue->closed = true;
    m_wake.cancel();
  }

  void cancel() override {
    m_cancelled = true;
    m_wake.cancel();
    m_send_pause.cancel();
    m_hangup.cancel();
  }

  [[nodiscard]] bool input_pending() const override { return !m_queue->datagrams.empty(); }

  // After an idle end the other side had its input closed; it gets as long again to finish
  // (a child to write its last answer and exit) before the session is ended for it.
  asio::awaitable<bool> watch_hangup() override {
    if (m_cancelled) {
      co_return false;
    }
    m_hangup.expires_after(m_idle ? *m_idle : Duration(std::chrono::seconds(1)));
    auto [ec] = co_await m_hangup.async_wait(as_tuple(asio::use_awaitable));
    co_return !ec && !m_cancelled;
  }

private:
  asio::io_context& m_io;
  int m_fd; // the listening socket, owned by UdpSessions
  std::string m_name;
  sockaddr_storage m_peer;
  socklen_t m_peer_len;
  std::shared_ptr<PeerQueue> m_queue;
  std::optional<Duration> m_idle;
  asio::steady_timer m_wake;
  asio::steady_timer m_send_pause;
  asio::steady_timer m_hangup;
  bool m_cancelled = false;
};

} // namespace

bool PeerQueue::push(std::string datagram, std::size_t limit) {
  if (bytes + datagram.size() > limit) {
    return false;
  }
  bytes += datagram.size();
  datagrams.push_back(std::move(datagram));
  last_activity = std::chrono::steady_clock::now();
  return true;
}

std::string PeerQueue::pop() {
  std::string d = std::move(datagrams.front());
  datagrams.pop_front();
  bytes -= d.size();
  return d;
}

std::pair<PeerTable::Route, std::shared_ptr<PeerQueue>> PeerTable::route(const std::string& key) {
  const auto it = m_peers.find(key);
  if (it != m_peers.end() && !it->second->closed) {
    return {Route::Existing, it->second};
  }
  if (it != m_peers.end()) {
    m_peers.erase(it); // ending: it no longer takes datagrams, and no longer counts
  }
  if (m_max != 0 && m_peers.size() >= m_max) {
    return {Route::Refused, nullptr};
  }
  auto q = std::make_shared<PeerQueue>();
  m_peers.emplace(key, q);
  return {Route::Started, q};
}

void PeerTable::erase(const std::string& key, const std::shared_ptr<PeerQueue>& queue) {
  const auto it = m_peers.find(key);
  if (it != m_peers.end() && it->second == queue) {
    m_peers.erase(it);
  }
}

std::string peer_key(const sockaddr* sa, socklen_t len) {
  return {reinterpret_cast<const char*>(sa), static_cast<std::size_t>(len)};
}

UdpSessions::UdpSessions(asio::io_context& io, Fd socket, std::string name,
                         UdpSessionSettings settings, Serve serve)
    : m_io(io), m_fd(std::move(socket)), m_name(std::move(name)),
      m_scheme(m_name.substr(0, m_name.find(':'))), m_settings(std::move(settings)),
      m_serve(std::move(serve)), m_table(m_settings.max_sessions) {
  m_wait.attach(io, m_fd.get());
}

UdpSessions::~UdpSessions() {
  m_wait.release();
}

void UdpSessions::stop() {
  m_stopped = true;
  m_wait.cancel();
}

asio::awaitable<void> UdpSessions::serve_peer(std::string key, std::shared_ptr<PeerQueue> queue,
                                              std::unique_ptr<Stream> peer) {
  co_await m_serve(std::move(peer));
  queue->closed = true; // datagrams that came too late start a new session
  m_table.erase(key, queue);
}

asio::awaitable<void> UdpSessions::run() {
  std::vector<char> buf(k_receive_size);
  while (!m_stopped) {
    sockaddr_storage from{};
    socklen_t len = sizeof(from);
    const ssize_t r = ::recvfrom(m_fd.get(), buf.data(), buf.size(), MSG_DONTWAIT | MSG_TRUNC,
                                 reinterpret_cast<sockaddr*>(&from), &len);
    if (r < 0) {
      const int err = errno;
      if (err == EINTR || err == ECONNREFUSED) {
        continue; // an ICMP error for an earlier reply: UDP loses datagrams by nature
      }
      if (err != EAGAIN && err != EWOULDBLOCK) {
        throw_errno("receive " + m_name, err);
      }
      const int w = co_await m_wait.wait(asio::posix::descriptor_base::wait_read);
      if (m_stopped) {
        break;
      }
      if (w != 0) {
        throw_errno("receive " + m_name, w);
      }
      continue;
    }
    const auto* sa = reinterpret_cast<const sockaddr*>(&from);
    const std::string peer_name = m_scheme + ":" + format_sockaddr(sa, len);
    if (static_cast<std::size_t>(r) > buf.size()) {
      log_error("receive " + m_name + ": a datagram from " + peer_name + " larger than " +
                std::to_string(buf.size()) + " bytes was cut; dropped");
      continue;
    }
    std::string why;
    if (from.ss_family != AF_UNIX && !m_settings.access.admits_inet(sa, why)) {
      log_event("Dropped a datagram from " + peer_name + ": " + why);
      continue;
    }
    if (r == 0) {
      continue; // an empty datagram carries nothing for a child or a backend connection
    }
    const std::string key = peer_key(sa, len);
    auto [route, queue] = m_table.route(key);
    if (route == PeerTable::Route::Refused) {
      ++m_refused;
      log_event("Dropped a datagram from " + peer_name + ": " +
                std::to_string(m_settings.max_sessions) + " sessions already (-m); " +
                std::to_string(m_refused) + " dropped so far");
      continue;
    }
    if (!queue->push(std::string(buf.data(), static_cast<std::size_t>(r)), k_peer_queue_bytes)) {
      log_event("Dropped a datagram from " + peer_name + ": its session is behind");
      continue;
    }
    if (route == PeerTable::Route::Started) {
      log_event("Connection from " + peer_name);
      // The peer of this session is from/len (peer_name): a child started for it (-e, -c,
      // exec:) learns it through its environment where App::serve_client opens the other side.
      auto stream = std::make_unique<PeerStream>(m_io, m_fd.get(), peer_name, from, len, queue,
                                                 m_settings.idle_timeout);
      spawn_logged(m_io, serve_peer(key, queue, std::move(stream)));
    } else if (queue->wake) {
      queue->wake();
    }
  }
}

} // namespace ipcat
