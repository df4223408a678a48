#include "tls_context.hpp"

#include <map>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "fd.hpp"
#include "log.hpp"

namespace ipcat {

namespace {

constexpr const char* k_suites =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

std::string reason_of(unsigned long code) {
  if (code == 0) {
    return {};
  }
  const char* r = ERR_reason_error_string(code);
  if (r != nullptr) {
    return r;
  }
  char buf[256];
  ERR_error_string_n(code, buf, sizeof(buf));
  return buf;
}

// Throws the pending OpenSSL error as Error(what: reason). The first error of the queue is the
// cause ("no start line"); the later ones only say where it surfaced ("PEM lib").
[[noreturn]] void throw_ssl(const std::string& what, const std::string& fallback) {
  const std::string why = reason_of(ERR_peek_error());
  ERR_clear_error();
  throw Error(what, why.empty() ? fallback : why);
}

struct CertAndKey {
  X509* cert = nullptr;
  EVP_PKEY* key = nullptr;
};

// A listener without a certificate gets a throwaway one: ECDSA P-256 signed with SHA-256 (what
// Debian's security level 2 accepts), made once per process so every client sees the same one
// and can pin it.
const CertAndKey& throwaway_certificate() {
  static const CertAndKey made = [] {
    CertAndKey ck;
    ck.key = EVP_EC_gen("P-256");
    ck.cert = X509_new();
    if (ck.key == nullptr || ck.cert == nullptr) {
      throw_ssl("TLS throwaway certificate", "cannot make a key");
    }
    X509_set_version(ck.cert, 2);
    unsigned char serial[16];
    RAND_bytes(serial, sizeof(serial));
    serial[0] &= 0x7f; // a positive serial number
    BIGNUM* bn = BN_bin2bn(serial, sizeof(serial), nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(ck.cert));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(ck.cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(ck.cert), 30L * 24 * 3600);
    X509_set_pubkey(ck.cert, ck.key);
    X509_NAME* name = X509_get_subject_name(ck.cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("ipcat"), -1, -1, 0);
    X509_set_issuer_name(ck.cert, name);
    if (X509_sign(ck.cert, ck.key, EVP_sha256()) == 0) {
      throw_ssl("TLS throwaway certificate", "cannot sign it");
    }
    log_event("TLS certificate " + format_pin(cert_digest(ck.cert)));
    return ck;
  }();
  return made;
}

// The server's choice among the client's ALPN offer: the first of ours the client offers.
int select_alpn(SSL* /*ssl*/, const unsigned char** out, unsigned char* outlen,
                const unsigned char* in, unsigned int inlen, void* arg) {
  const auto* ours = static_cast<const std::string*>(arg);
  unsigned char* chosen = nullptr;
  if (SSL_select_next_proto(&chosen, outlen, reinterpret_cast<const unsigned char*>(ours->data()),
                            static_cast<unsigned>(ours->size()), in,
                            inlen) != OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK; // no protocol in common: go on without one
  }
  *out = chosen;
  return SSL_TLSEXT_ERR_OK;
}

// A verification that accepts any chain: with a pin, the certificate itself is checked after
// the handshake, whoever signed it.
int accept_any_chain(int /*ok*/, X509_STORE_CTX* /*ctx*/) {
  return 1;
}

std::string cache_key(const TlsSettings& s, bool server) {
  std::string k = server ? "s|" : "c|";
  for (const std::string* f : {&s.cert, &s.key, &s.cafile, &s.servername, &s.ciphers}) {
    k += *f + "|";
  }
  k += s.verify ? (*s.verify ? "v1|" : "v0|") : "v-|";
  for (const auto& p : s.alpn) {
    k += p + ",";
  }
  if (s.pin) {
    k += format_pin(*s.pin);
  }
  return k;
}

} // namespace

std::shared_ptr<TlsContext> TlsContext::for_address(const Address& a) {
  static std::map<std::string, std::shared_ptr<TlsContext>> cache;
  const bool server = a.is_listener();
  const std::string key = cache_key(a.options.tls, server);
  auto& slot = cache[key];
  if (!slot) {
    slot = std::make_shared<TlsContext>(a.options.tls, server);
  }
  return slot;
}

TlsContext::TlsContext(const TlsSettings& s, bool server)
    : m_ctx(server ? asio::ssl::context::tls_server : asio::ssl::context::tls_client),
      m_settings(s), m_server(server) {
  SSL_CTX* ctx = native();
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  // A peer closing without close_notify would otherwise put the connection into a fatal state
  // that also sends the peer an alert, ending the other direction too (a half-close done with
  // shutdown(2), as ncat does); the stream tells the truncation apart by itself (close_notify
  // is watched for) and warns instead.
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION |
                               SSL_OP_IGNORE_UNEXPECTED_EOF);
  // The relay hands over up to a whole buffer at once; SSL_write takes it record by record and
  // may be called again with the rest from another place in the buffer.
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  // A record comes whole from the record reader (one BIO read: header and body together).
  SSL_CTX_set_read_ahead(ctx, 1);
  // TLS 1.3 suites, AES-128-GCM first: as strong a choice as AES-256 for this use, and the
  // cheaper one per byte. A list given with --ssl-ciphers replaces it.
  SSL_CTX_set_ciphersuites(ctx, k_suites);
  if (!s.ciphers.empty() && SSL_CTX_set_cipher_list(ctx, s.ciphers.c_str()) != 1 &&
      SSL_CTX_set_ciphersuites(ctx, s.ciphers.c_str()) != 1) {
    throw_ssl("TLS ciphers '" + s.ciphers + "'", "no cipher matches");
  }
  ERR_clear_error();
  if (!s.cert.empty()) {
    if (SSL_CTX_use_certificate_chain_file(ctx, s.cert.c_str()) != 1) {
      throw_ssl("TLS certificate '" + s.cert + "'", "not a PEM certificate");
    }
    const std::string& key = s.key.empty() ? s.cert : s.key;
    if (SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) != 1) {
      throw_ssl("TLS key '" + key + "'", "not a PEM private key");
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
      throw_ssl("TLS key '" + key + "'", "does not match the certificate '" + s.cert + "'");
    }
  } else if (server) {
    const CertAndKey& ck = throwaway_certificate();
    if (SSL_CTX_use_certificate(ctx, ck.cert) != 1 || SSL_CTX_use_PrivateKey(ctx, ck.key) != 1) {
      throw_ssl("TLS throwaway certificate", "cannot use it");
    }
  }
  // A client verifies by default; a listener asks for a client certificate only when told to.
  // A pin accepts exactly one certificate whoever signed it, unless verification is asked for
  // as well.
  m_verifies = server ? s.verify.value_or(false) : s.verify.value_or(!s.pin.has_value());
  if (m_verifies) {
    if (!s.cafile.empty()) {
      if (SSL_CTX_load_verify_locations(ctx, s.cafile.c_str(), nullptr) != 1) {
        throw_ssl("TLS trust file '" + s.cafile + "'", "not a PEM certificate bundle");
      }
    } else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
      throw_ssl("TLS trust store", "cannot load the system's certificates");
    }
    int mode = SSL_VERIFY_PEER;
    if (server) {
      mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    }
    SSL_CTX_set_verify(ctx, mode, nullptr);
  } else if (s.pin) {
    int mode = SSL_VERIFY_PEER;
    if (server) {
      mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    }
    SSL_CTX_set_verify(ctx, mode, accept_any_chain);
  } else {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  }
  if (!s.alpn.empty()) {
    // The wire form of the list: each name after its length byte. The string lives in the
    // settings copy held here, as long as the context.
    for (const auto& p : s.alpn) {
      m_alpn_wire += static_cast<char>(p.size());
      m_alpn_wire += p;
    }
    if (server) {
      SSL_CTX_set_alpn_select_cb(ctx, select_alpn, &m_alpn_wire);
    } else if (SSL_CTX_set_alpn_protos(ctx,
                                       reinterpret_cast<const unsigned char*>(m_alpn_wire.data()),
                                       static_cast<unsigned>(m_alpn_wire.size())) != 0) {
      throw_ssl("TLS ALPN list", "cannot be used");
    }
  }
  if (server) {
    static constexpr unsigned char k_sid[] = "ipcat";
    SSL_CTX_set_session_id_context(ctx, k_sid, sizeof(k_sid) - 1);
  }
}

CertDigest cert_digest(X509* cert) {
  CertDigest d{};
  unsigned int len = 0;
  X509_digest(cert, EVP_sha256(), d.data(), &len);
  return d;
}

std::string tls_error_text(SSL* ssl, const std::string& fallback) {
  const unsigned long code = ERR_peek_last_error();
  std::string why = reason_of(code);
  ERR_clear_error();
  if (why.empty()) {
    return fallback;
  }
  if (ssl != nullptr && ERR_GET_LIB(code) == ERR_LIB_SSL &&
      ERR_GET_REASON(code) == SSL_R_CERTIFICATE_VERIFY_FAILED) {
    const long v = SSL_get_verify_result(ssl);
    if (v != X509_V_OK) {
      why += std::string(": ") + X509_verify_cert_error_string(v);
    }
  }
  return why;
}

} // namespace ipcat
