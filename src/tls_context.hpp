// The OpenSSL side of TLS, per process: a context per role and settings (asio::ssl::context,
// made once and shared by every connection of a -k listener), the throwaway certificate of a
// listener without one, and the words OpenSSL gives for a failure.
#pragma once

#include <asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "address.hpp"
#include "tls_options.hpp"

namespace ipcat {

/// A configured SSL_CTX for one role (client or listener) and one TlsSettings value.
class TlsContext {
public:
  /// The context for a's settings, made on first use and shared afterwards; throws Error (a
  /// certificate or key that cannot be loaded, an unknown cipher list).
  static std::shared_ptr<TlsContext> for_address(const Address& a);

  TlsContext(const TlsSettings& s, bool server);
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  /// OpenSSL's handle.
  [[nodiscard]] SSL_CTX* native() { return m_ctx.native_handle(); }
  /// The settings it was made from.
  [[nodiscard]] const TlsSettings& settings() const { return m_settings; }
  /// True for a listener's context.
  [[nodiscard]] bool server() const { return m_server; }
  /// True when the chain of the peer's certificate is verified.
  [[nodiscard]] bool verifies() const { return m_verifies; }

private:
  asio::ssl::context m_ctx;
  TlsSettings m_settings;
  bool m_server;
  bool m_verifies = false;
  std::string m_alpn_wire; // the ALPN list in its wire form (length-prefixed names)
};

/// The SHA-256 of a certificate's DER encoding.
CertDigest cert_digest(X509* cert);

/// The reason of the last OpenSSL error on this thread ("certificate verify failed: self-signed
/// certificate" with ssl's verification result), or fallback when the queue is empty.
std::string tls_error_text(SSL* ssl, const std::string& fallback);

} // namespace ipcat
