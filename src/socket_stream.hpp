// Connected sockets as streams, and the listener interface that produces them.
#pragma once

#include <memory>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>

#include <asio/steady_timer.hpp>

#include "access.hpp"
#include "stream.hpp"

namespace ipcat {

/// A connected socket: stream (Unix, TCP) or datagram (UDP, Unix datagram).
class SocketStream : public FdStream {
public:
  SocketStream(asio::io_context& io, Fd fd, std::string name, bool datagram);
  ~SocketStream() override;

  void shutdown_write() override;
  [[nodiscard]] bool peer_gone() const override;
  asio::awaitable<bool> watch_hangup() override;
  int take_error() override;
  void cancel() override;
  void abort() override;
  /// True when the peer already closed entirely without sending a byte: a liveness probe
  /// (connect, then close), not a client.
  [[nodiscard]] bool closed_without_data() const;

protected:
  ssize_t read_once(char* buf, std::size_t n) override;
  ssize_t write_once(const char* buf, std::size_t n) override;

  Fd m_fd;
  bool m_datagram;
  bool m_shut = false;
  asio::steady_timer* m_hangup_timer = nullptr; // the pending watch_hangup timer, if any
};

/// A UDP (or Unix datagram) listening socket after its first datagram: it reads datagrams from
/// anyone and answers the peer that spoke last.
class DatagramServerStream : public SocketStream {
public:
  DatagramServerStream(asio::io_context& io, Fd fd, std::string name, const sockaddr_storage& peer,
                       socklen_t peer_len, AccessPolicy access = {});

protected:
  ssize_t read_once(char* buf, std::size_t n) override;
  ssize_t write_once(const char* buf, std::size_t n) override;

private:
  sockaddr_storage m_peer{};
  socklen_t m_peer_len;
  AccessPolicy m_access;
};

/// A listening endpoint: produces one connected stream per client.
class Listener {
public:
  virtual ~Listener() = default;
  Listener() = default;
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  /// "unix:/tmp/s", "tcp:0.0.0.0:4000" (the real port when 0 was asked for).
  [[nodiscard]] virtual std::string name() const = 0;
  /// Waits for the next client; throws Error on failure.
  virtual asio::awaitable<std::unique_ptr<Stream>> accept() = 0;
  /// Stops listening (a Unix socket file stays until the listener is destroyed).
  virtual void close() = 0;
  /// Aborts a pending accept.
  virtual void cancel() = 0;
  /// True when one accepted stream serves every peer (datagram listeners).
  [[nodiscard]] virtual bool single_session() const { return false; }
  /// A datagram listener's socket, taken to serve each peer in a session of its own (-ulk);
  /// empty for other listeners. The listener keeps its socket file, removed at exit.
  virtual Fd take_socket() { return {}; }
};

/// Formats a socket address: "127.0.0.1:80", "[::1]:80"; Unix: the path or "@name".
std::string format_sockaddr(const sockaddr* sa, socklen_t len);

/// Makes the coming close of a TCP socket a reset (SO_LINGER 0); a Unix socket ignores it.
void reset_on_close(int fd);

} // namespace ipcat
