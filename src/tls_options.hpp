// TLS settings of one address, as data: the ",tls", ",cert=", ",key=", ",cafile=", ",verify=",
// ",servername=", ",alpn=", ",pin=" and ",ciphers=" options (and the --ssl flags carried to
// them), the certificate pin, and the ALPN list. Pure: the parsers (and their fuzzers) build
// this file alone; OpenSSL is used only where the layer is made (tls_context.cpp).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "result.hpp"

namespace ipcat {

/// The SHA-256 of a DER certificate.
using CertDigest = std::array<std::uint8_t, 32>;

/// What one address says about TLS.
struct TlsSettings {
  bool on = false;               ///< ",tls" written, implied by tls:, or --ssl
  std::string cert;              ///< PEM certificate (chain) file
  std::string key;               ///< PEM private key file (empty: in the certificate file)
  std::string cafile;            ///< PEM trust bundle (empty: the system store)
  std::optional<bool> verify;    ///< verify the peer (client: default on; listener: off)
  std::string servername;        ///< SNI and the checked name (empty: the host)
  std::vector<std::string> alpn; ///< protocols offered (client) or accepted (listener)
  std::string ciphers;           ///< OpenSSL cipher list (TLS 1.2 and older)
  std::optional<CertDigest> pin; ///< accept exactly the peer certificate with this digest

  /// True when any setting beyond "on" was given.
  [[nodiscard]] bool any_setting() const;
};

/// True for the address options this file reads ("tls", "cert", "pin", ...).
bool is_tls_option(std::string_view name);

/// Applies one address option (name lowercase, value after '='); where: the address, for
/// messages.
std::optional<UsageError> apply_tls_option(TlsSettings& s, std::string_view name,
                                           std::string_view value, bool has_value,
                                           const std::string& where);

/// Parses a pin: "SHA256:" and 64 hex digits (colons between bytes allowed), or "SHA256:" and
/// the base64 of the 32 bytes (as OpenSSH prints it, padding optional).
Result<CertDigest> parse_pin(std::string_view text);

/// "SHA256:" and the lowercase hex of d (what -v prints and --ssl-pin takes).
std::string format_pin(std::span<const std::uint8_t, 32> d);

/// Parses an ALPN list: protocol names separated by ',' or ':' ("h2,http/1.1").
Result<std::vector<std::string>> parse_alpn(std::string_view text);

/// Parses a verify value: 1/0, yes/no, true/false, on/off.
std::optional<bool> parse_verify(std::string_view text);

} // namespace ipcat
