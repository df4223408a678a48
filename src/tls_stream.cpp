#include "tls_stream.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <cerrno>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <poll.h>

#include "fd.hpp"
#include "log.hpp"
#include "tls_record_reader.hpp"

namespace ipcat {

using namespace asio::experimental::awaitable_operators;

namespace {

// How long shutdown_write waits for room for close_notify in a full socket buffer.
constexpr int k_close_notify_wait_ms = 1000;

// Records gathered before they go to the socket in one write (about 16 records).
constexpr long k_write_buffer = 256 * 1024;

// The most one read hands the relay: 16 records. More would touch more of the relay's 1 MiB
// buffer (resident memory) for no gain: the write on the other side is already large.
constexpr std::size_t k_max_read = 256 * 1024;

bool is_ip_literal(const std::string& host) {
  unsigned char buf[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

std::string name_text(X509_NAME* n) {
  if (n == nullptr) {
    return "?";
  }
  char buf[512];
  X509_NAME_oneline(n, buf, sizeof(buf));
  return buf;
}

// Notes a close_notify from the peer: with SSL_OP_IGNORE_UNEXPECTED_EOF, OpenSSL reports a bare
// EOF the same way, and this is how the two are told apart.
void watch_alerts(int write_p, int /*version*/, int content_type, const void* buf, std::size_t len,
                  SSL* /*ssl*/, void* arg) {
  const auto* b = static_cast<const unsigned char*>(buf);
  if (write_p == 0 && content_type == SSL3_RT_ALERT && len >= 2 && b[1] == SSL_AD_CLOSE_NOTIFY) {
    *static_cast<bool*>(arg) = true;
  }
}

} // namespace

TlsStream::TlsStream(std::unique_ptr<Stream> inner, std::shared_ptr<TlsContext> ctx, TlsPeer peer)
    : Stream(inner->traits()), m_inner(std::move(inner)), m_ctx(std::move(ctx)),
      m_peer(std::move(peer)) {
  m_traits.zero_copy = false; // the bytes are encrypted in user space
  m_ssl = SSL_new(m_ctx->native());
  m_rbio = new_record_reader(m_inner->read_fd());
  BIO* sock = BIO_new_socket(m_inner->read_fd(), BIO_NOCLOSE);
  m_wbuf = BIO_new(BIO_f_buffer());
  if (m_ssl == nullptr || m_rbio == nullptr || sock == nullptr || m_wbuf == nullptr ||
      BIO_set_write_buffer_size(m_wbuf, k_write_buffer) != 1) {
    BIO_free(m_rbio);
    BIO_free(sock);
    BIO_free(m_wbuf);
    SSL_free(m_ssl); // the destructor does not run for a constructor that throws
    throw Error(m_peer.what, tls_error_text(nullptr, "cannot start TLS"));
  }
  // Reads come from the socket a large chunk at a time, handed to OpenSSL a record at a time
  // (tls_record_reader.hpp); writes gather records in a buffer in front of the socket, so one
  // system call sends many 16 KiB records.
  BIO_push(m_wbuf, sock);
  SSL_set_bio(m_ssl, m_rbio, m_wbuf);
  SSL_set_msg_callback(m_ssl, watch_alerts);
  SSL_set_msg_callback_arg(m_ssl, &m_close_notify);
  if (m_ctx->server()) {
    SSL_set_accept_state(m_ssl);
    return;
  }
  SSL_set_connect_state(m_ssl);
  const TlsSettings& s = m_ctx->settings();
  const std::string& name = s.servername.empty() ? m_peer.host : s.servername;
  if (name.empty()) {
    return; // a Unix socket without servername=: the chain is checked, there is no name
  }
  const bool ip = is_ip_literal(name);
  if (!ip) {
    SSL_set_tlsext_host_name(m_ssl, name.c_str()); // SNI carries names, never addresses
  }
  if (m_ctx->verifies()) {
    X509_VERIFY_PARAM* param = SSL_get0_param(m_ssl);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    const int ok = ip ? X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str())
                      : X509_VERIFY_PARAM_set1_host(param, name.c_str(), name.size());
    if (ok != 1) {
      SSL_free(m_ssl);
      throw Error(m_peer.what, "cannot check the name '" + name + "'");
    }
  }
}

TlsStream::~TlsStream() {
  if (m_handshaken && !m_shut && !m_aborted) {
    // A session that ended normally without this side's input ending (-d, a peer that closed
    // first): close_notify still tells the peer nothing was cut. Best effort, never waiting.
    ERR_clear_error();
    SSL_shutdown(m_ssl);
    BIO_flush(m_wbuf);
    ERR_clear_error();
  }
  SSL_free(m_ssl); // frees both BIOs
}

asio::awaitable<int> TlsStream::wait_for(int ssl_error) {
  if (m_cancelled) {
    co_return ECANCELED;
  }
  if (ssl_error == SSL_ERROR_WANT_WRITE) {
    const int w = co_await m_inner->wait_writable();
    co_return w;
  }
  const int w = co_await m_inner->wait_readable();
  co_return w;
}

asio::awaitable<void> TlsStream::handshake(Duration bound, bool from_w) {
  asio::steady_timer deadline(co_await asio::this_coro::executor,
                              std::chrono::duration_cast<asio::steady_timer::duration>(bound));
  for (;;) {
    ERR_clear_error();
    errno = 0;
    const int r = SSL_do_handshake(m_ssl);
    if (r == 1) {
      break;
    }
    const int e = SSL_get_error(m_ssl, r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
      auto raced = co_await (
          wait_for(e) || deadline.async_wait(asio::experimental::as_tuple(asio::use_awaitable)));
      if (raced.index() == 1) {
        throw Error(m_peer.what, "the TLS handshake did not finish within " +
                                     format_duration(bound) + (from_w ? " (-w)" : ""));
      }
      if (const int w = std::get<0>(raced); w != 0) {
        throw_errno(m_peer.what, w);
      }
      continue;
    }
    const int saved = errno;
    std::string fallback = "the peer closed the connection during the handshake";
    if (e == SSL_ERROR_SYSCALL && saved != 0) {
      fallback = errno_text(saved);
    }
    throw Error(m_peer.what, tls_error_text(m_ssl, fallback));
  }
  check_peer();
  m_handshaken = true;
  if (verbose()) {
    log_session();
  }
}

void TlsStream::check_peer() {
  const auto& pin = m_ctx->settings().pin;
  if (!pin) {
    return;
  }
  X509* cert = SSL_get0_peer_certificate(m_ssl);
  if (cert == nullptr) {
    throw Error(m_peer.what, "the peer sent no certificate to check the pin against");
  }
  const CertDigest d = cert_digest(cert);
  if (d != *pin) {
    throw Error(m_peer.what, "certificate pin mismatch: the peer's is " + format_pin(d));
  }
}

void TlsStream::log_session() const {
  std::string proto = SSL_get_version(m_ssl);
  proto += std::string(" ") + SSL_get_cipher_name(m_ssl);
  const unsigned char* alpn = nullptr;
  unsigned int alpn_len = 0;
  SSL_get0_alpn_selected(m_ssl, &alpn, &alpn_len);
  if (alpn_len > 0) {
    proto += ", ALPN " + std::string(reinterpret_cast<const char*>(alpn), alpn_len);
  }
  X509* cert = SSL_get0_peer_certificate(m_ssl);
  if (cert == nullptr) {
    log_event("TLS " + proto + " with " + m_inner->name() + " (no peer certificate)");
    return;
  }
  log_event("TLS peer " + m_inner->name() + ": subject " + name_text(X509_get_subject_name(cert)) +
            ", issuer " + name_text(X509_get_issuer_name(cert)) + ", " +
            format_pin(cert_digest(cert)));
  log_event("TLS " + proto);
}

IoResult TlsStream::read_end(int ssl_error, int saved_errno) {
  switch (ssl_error) {
  case SSL_ERROR_ZERO_RETURN:
    if (m_close_notify) {
      return IoResult{0, 0}; // the peer's clean end of its data
    }
    break; // a bare EOF (SSL_OP_IGNORE_UNEXPECTED_EOF reports it so)
  case SSL_ERROR_SYSCALL:
    if (saved_errno == 0) {
      break; // OpenSSL 1.1 reported a bare EOF this way
    }
    return IoResult{-1, saved_errno};
  case SSL_ERROR_SSL: {
    const unsigned long code = ERR_peek_last_error();
    if (ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
      ERR_clear_error();
      break;
    }
    m_reason = tls_error_text(m_ssl, "TLS error"); // said once, by the relay (error_text)
    return IoResult{-1, EPROTO};
  }
  default:
    return IoResult{-1, EPROTO};
  }
  if (m_send_error != 0) {
    // Sending close_notify met the peer's reset: the socket reports it once, so the read
    // after it sees a bare end. The reset is the news: what was sent may be lost.
    return IoResult{-1, m_send_error};
  }
  if (m_write_error == ECONNRESET || m_write_error == EPIPE) {
    // The peer reset the connection and a write took the socket's one report of it: the write's
    // error is the news (what it sent is not delivered), not a warning about a cut beside it.
    return IoResult{-1, m_write_error};
  }
  log_error("warning: " + m_inner->name() +
            ": the peer closed without close_notify (its data may be cut)");
  return IoResult{0, 0};
}

asio::awaitable<IoResult> TlsStream::read(std::span<char> buf) {
  if (m_read_ended) {
    co_return m_read_end;
  }
  // The relay reads: from now on the reader takes what the socket holds (until now, only the
  // handshake's records, so a session that ends before this leaves the peer's data unread).
  record_reader_bulk(m_rbio);
  std::size_t total = 0;
  buf = buf.first(std::min(buf.size(), k_max_read));
  for (;;) {
    if (m_cancelled) {
      co_return IoResult{-1, ECANCELED};
    }
    // Fill the relay's buffer with every record already here: OpenSSL gives one record (16 KiB
    // at most) per call, and one large write on the other side costs less than many small ones.
    ERR_clear_error();
    errno = 0;
    std::size_t got = 0;
    const int r = SSL_read_ex(m_ssl, buf.data() + total, buf.size() - total, &got);
    if (r == 1) {
      total += got;
      if (total == buf.size()) {
        co_return IoResult{static_cast<ssize_t>(total), 0};
      }
      continue;
    }
    const int e = SSL_get_error(m_ssl, r);
    const int saved = errno;
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
      if (total > 0) {
        co_return IoResult{static_cast<ssize_t>(total), 0};
      }
      const int w = co_await wait_for(e);
      if (w != 0) {
        co_return IoResult{-1, w};
      }
      continue;
    }
    const IoResult end = read_end(e, saved);
    if (total > 0) {
      m_read_ended = true; // the bytes first, the end on the next call
      m_read_end = end;
      co_return IoResult{static_cast<ssize_t>(total), 0};
    }
    m_read_ended = true;
    m_read_end = end;
    co_return end;
  }
}

IoResult TlsStream::write_failed(int err) {
  m_write_error = err;
  return IoResult{-1, err};
}

asio::awaitable<IoResult> TlsStream::write(std::span<const char> buf) {
  if (buf.empty()) {
    co_return IoResult{0, 0};
  }
  std::size_t off = 0;
  for (;;) {
    if (m_cancelled) {
      co_return IoResult{-1, ECANCELED};
    }
    if (m_shut) {
      co_return write_failed(EPIPE);
    }
    ERR_clear_error();
    errno = 0;
    std::size_t put = 0;
    const int r =
        off == buf.size() ? 1 : SSL_write_ex(m_ssl, buf.data() + off, buf.size() - off, &put);
    if (r == 1) {
      off += put;
      if (off < buf.size()) {
        continue;
      }
      // Everything is encrypted: send what the write buffer still holds.
      if (BIO_flush(m_wbuf) == 1) {
        co_return IoResult{static_cast<ssize_t>(off), 0};
      }
      if (!BIO_should_retry(m_wbuf)) {
        const int err = errno != 0 ? errno : EPIPE;
        co_return write_failed(err);
      }
      const int w = co_await m_inner->wait_writable();
      if (w != 0) {
        co_return write_failed(w);
      }
      continue;
    }
    const int e = SSL_get_error(m_ssl, r);
    const int saved = errno;
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
      const int w = co_await wait_for(e);
      if (w != 0) {
        co_return write_failed(w);
      }
      continue;
    }
    // The socket's own error; or the peer's end, already seen on the read side (OpenSSL then
    // answers a write with ZERO_RETURN): what was written is not delivered, as a broken pipe.
    if (e == SSL_ERROR_SYSCALL || e == SSL_ERROR_ZERO_RETURN) {
      co_return write_failed(saved != 0 ? saved : EPIPE);
    }
    m_reason = tls_error_text(m_ssl, "TLS error");
    co_return write_failed(EPROTO);
  }
}

void TlsStream::shutdown_write() {
  if (m_shut) {
    return;
  }
  m_shut = true;
  if (!m_aborted) {
    // close_notify says the data ended here and was not cut. The socket's buffer has room for
    // it unless the peer stopped reading; then wait a little, bounded, since this cannot wait
    // through the event loop.
    // SSL_shutdown is called until it has sent close_notify, never again after: a second call
    // would read (and swallow) what the peer sends next, an alert that says why it closed.
    bool sent = false;
    for (int attempt = 0; attempt < 2; ++attempt) {
      ERR_clear_error();
      errno = 0;
      if (!sent) {
        const int r = SSL_shutdown(m_ssl);
        if (r < 0 && SSL_get_error(m_ssl, r) != SSL_ERROR_WANT_WRITE) {
          m_send_error = errno;
          break;
        }
        sent = r >= 0;
      }
      if (sent && BIO_flush(m_wbuf) == 1) {
        break;
      }
      if (sent && !BIO_should_retry(m_wbuf)) {
        m_send_error = errno;
        break;
      }
      pollfd p{m_inner->write_fd(), POLLOUT, 0};
      ::poll(&p, 1, k_close_notify_wait_ms);
    }
    ERR_clear_error();
  }
  m_inner->shutdown_write();
}

void TlsStream::cancel() {
  m_cancelled = true;
  m_inner->cancel();
}

void TlsStream::abort() {
  m_aborted = true;
  m_inner->abort();
}

int TlsStream::take_error() {
  // The socket reports an error once: if close_notify's send met the reset, it is here.
  if (const int err = m_send_error; err != 0) {
    m_send_error = 0;
    return err;
  }
  return m_inner->take_error();
}

asio::awaitable<bool> TlsStream::watch_hangup() {
  const bool gone = co_await m_inner->watch_hangup();
  co_return gone;
}

std::string TlsStream::error_text(int err) const {
  return err == EPROTO && !m_reason.empty() ? m_reason : m_inner->error_text(err);
}

bool TlsStream::input_pending() const {
  return SSL_has_pending(m_ssl) == 1 || record_reader_pending(m_rbio) > 0 ||
         m_inner->input_pending();
}

} // namespace ipcat
