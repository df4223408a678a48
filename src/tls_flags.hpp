// The netcat form's TLS flags (ncat's names: --ssl, --ssl-cert, --ssl-key, --ssl-trustfile,
// --ssl-verify, --ssl-servername, --ssl-alpn, --ssl-ciphers; and --ssl-pin) carried to the
// address whose TLS layer they configure. Pure, like the rest of the parser.
#pragma once

#include <optional>
#include <string>

#include "address.hpp"
#include "result.hpp"

namespace ipcat {

/// The --ssl flags as CLI11 fills them in.
struct TlsFlags {
  bool ssl = false;       ///< --ssl: the network side is TLS
  std::string cert;       ///< --ssl-cert
  std::string key;        ///< --ssl-key
  std::string trustfile;  ///< --ssl-trustfile
  std::string verify;     ///< --ssl-verify[=yes|no]: "yes" for the bare flag, empty if absent
  std::string servername; ///< --ssl-servername
  std::string alpn;       ///< --ssl-alpn
  std::string ciphers;    ///< --ssl-ciphers
  std::string pin;        ///< --ssl-pin
};

/// Puts the flags on the network side: with --ssl, the TLS layer goes on the right address (or
/// the left one when only it is a stream socket); the other flags go to every address with TLS,
/// where the address's own options win. A flag with no TLS address to go to is a usage error.
std::optional<UsageError> apply_tls_flags(const TlsFlags& f, Address& left, Address& right);

/// Checks that the files a TLS address names can be read (before anything connects).
std::optional<UsageError> check_tls_files(const Address& a);

} // namespace ipcat
