// A TLS connection over a connected stream socket: OpenSSL works on the socket's non-blocking
// descriptor (a record reader on the read side, a write buffer in front of a socket BIO on the
// write side), and the inner stream's readiness waits drive it: one SSL object, and no BIO
// pairs or extra threads between the relay and the kernel.
#pragma once

#include <memory>
#include <openssl/ssl.h>
#include <string>

#include "stream.hpp"
#include "tls_context.hpp"

namespace ipcat {

/// How a TlsStream names itself and what it checks of the peer.
struct TlsPeer {
  std::string what; ///< for messages: "tls:example.com:443", "tls handshake from tcp:..."
  std::string host; ///< client: the name (or IP address) to check and send as SNI
};

/// A stream that encrypts over another (a socket).
class TlsStream : public Stream {
public:
  TlsStream(std::unique_ptr<Stream> inner, std::shared_ptr<TlsContext> ctx, TlsPeer peer);
  ~TlsStream() override;

  /// Makes the handshake and checks the peer (pin); throws Error with OpenSSL's reason, or when
  /// the handshake takes longer than bound (from_w: the bound is -w's, the message says so).
  asio::awaitable<void> handshake(Duration bound, bool from_w);

  [[nodiscard]] std::string name() const override { return m_inner->name(); }
  asio::awaitable<IoResult> read(std::span<char> buf) override;
  asio::awaitable<IoResult> write(std::span<const char> buf) override;
  void shutdown_write() override;
  void cancel() override;
  void abort() override;
  [[nodiscard]] bool peer_gone() const override { return m_inner->peer_gone(); }
  asio::awaitable<bool> watch_hangup() override;
  /// The socket's pending error, or the one sending close_notify already took from it.
  int take_error() override;
  [[nodiscard]] bool input_pending() const override;
  [[nodiscard]] std::string error_text(int err) const override;

private:
  // Waits for what OpenSSL asked for (SSL_ERROR_WANT_READ/WRITE); 0 or an errno value.
  asio::awaitable<int> wait_for(int ssl_error);
  // A failed write's result, its error noted for read_end (a reset that a write took).
  IoResult write_failed(int err);
  // The end of the input after a failed SSL_read: EOF, a warning, or an error.
  IoResult read_end(int ssl_error, int saved_errno);
  void check_peer();
  void log_session() const;

  std::unique_ptr<Stream> m_inner;
  std::shared_ptr<TlsContext> m_ctx;
  TlsPeer m_peer;
  SSL* m_ssl = nullptr;
  BIO* m_rbio = nullptr; // the record reader on the socket (owned by m_ssl)
  BIO* m_wbuf = nullptr; // the write buffer in front of the socket (owned by m_ssl)
  bool m_cancelled = false;
  bool m_handshaken = false;
  bool m_close_notify = false; // the peer's close_notify arrived
  bool m_shut = false;
  bool m_aborted = false;
  int m_send_error = 0;      // what sending close_notify met (a reset), for the read that follows
  int m_write_error = 0;     // what the last failed write met (a reset took the socket's report)
  bool m_read_ended = false; // a stashed end of input follows the bytes already returned
  IoResult m_read_end{};
  std::string m_reason; // OpenSSL's reason for the last EPROTO
};

} // namespace ipcat
