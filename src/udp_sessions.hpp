// -ulk with a child, a generator or a backend connection on the other side: a session per
// peer (source address and port) on one UDP (or Unix datagram) listening socket. Each new peer
// gets its own session, fed with that peer's datagrams; what the session's other side writes
// goes back to that peer only (sendto from the listening socket), one datagram per chunk it
// writes. -i ends an idle peer's session (its other side's input is closed, a child exits and
// is reaped), -m caps the sessions at once (a datagram from a new peer beyond it is dropped).
#pragma once

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <sys/socket.h>

#include "access.hpp"
#include "duration.hpp"
#include "fd.hpp"
#include "stream.hpp"

namespace ipcat {

/// The datagrams of one peer waiting for its session, bounded in bytes.
struct PeerQueue {
  std::deque<std::string> datagrams;
  std::size_t bytes = 0;
  bool closed = false; ///< the session is ending: a new datagram starts a new one
  std::chrono::steady_clock::time_point last_activity = std::chrono::steady_clock::now();
  std::function<void()> wake; ///< set by the session's stream: a datagram came, or closed

  /// Queues a datagram; false (dropped) when it would take the queue past limit bytes.
  bool push(std::string datagram, std::size_t limit);
  /// Takes the oldest datagram (there must be one).
  std::string pop();
};

/// The live sessions by peer: finds a peer's queue or makes one when the cap allows.
class PeerTable {
public:
  /// max_sessions 0: no cap.
  explicit PeerTable(std::size_t max_sessions) : m_max(max_sessions) {}

  /// How a datagram from a peer is routed.
  enum class Route {
    Existing, ///< to the peer's live session
    Started,  ///< to a new session (the caller starts it)
    Refused,  ///< dropped: max_sessions are running
  };
  /// The route, and the queue to feed (none when refused). A peer whose session is ending
  /// (closed) gets a new one.
  std::pair<Route, std::shared_ptr<PeerQueue>> route(const std::string& key);
  /// The session for key has ended: forgets its entry, if it is still this queue's.
  void erase(const std::string& key, const std::shared_ptr<PeerQueue>& queue);
  /// The number of live sessions (one that is ending and was replaced no longer counts).
  [[nodiscard]] std::size_t size() const { return m_peers.size(); }

private:
  std::size_t m_max;
  std::map<std::string, std::shared_ptr<PeerQueue>> m_peers;
};

/// The key of a peer address in the table: its bytes.
std::string peer_key(const sockaddr* sa, socklen_t len);

/// What the per-peer listener takes from the command line.
struct UdpSessionSettings {
  std::size_t max_sessions = 0;         ///< -m (0: no cap)
  std::optional<Duration> idle_timeout; ///< -i, per peer
  AccessPolicy access;                  ///< --allow, --deny
};

/// Reads the listening socket and runs a session per peer.
class UdpSessions {
public:
  /// serve(peer) runs one session with the peer's stream as the listening side; it returns
  /// when the session is over.
  using Serve = std::function<asio::awaitable<void>(std::unique_ptr<Stream>)>;

  UdpSessions(asio::io_context& io, Fd socket, std::string name, UdpSessionSettings settings,
              Serve serve);
  ~UdpSessions();
  UdpSessions(const UdpSessions&) = delete;
  UdpSessions& operator=(const UdpSessions&) = delete;

  /// Receives datagrams until stop(); throws Error for a receive failure.
  asio::awaitable<void> run();
  /// Stops receiving (the sessions are stopped by their owner).
  void stop();

private:
  asio::awaitable<void> serve_peer(std::string key, std::shared_ptr<PeerQueue> queue,
                                   std::unique_ptr<Stream> peer);

  asio::io_context& m_io;
  Fd m_fd;
  std::string m_name;
  std::string m_scheme; // "udp" or "unix": how peers are named
  UdpSessionSettings m_settings;
  Serve m_serve;
  PeerTable m_table;
  Waiter m_wait;
  std::size_t m_refused = 0;
  bool m_stopped = false;
};

} // namespace ipcat
