// Proxy URLs (curl's schemes: socks5://, socks5h://, socks4://, socks4a://, http://, with an
// optional user:pass@ and a default port) and the address options that name proxies:
// ",proxy=URL" (repeated: a chain), ",proxy-dns=", and socat's socks4:, socks4a:, socks5: and
// proxy: address types with their ",socksport=", ",proxyport=" and ",proxyauth=". Pure code:
// the address parser uses it, so it includes no endpoint.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "result.hpp"

namespace ipcat {

struct Address;

/// The protocol a proxy speaks.
enum class ProxyScheme { Socks4, Socks4a, Socks5, Socks5h, Http };

/// Who turns the target's name into an address (ncat's --proxy-dns).
enum class ProxyDns {
  Default, ///< as the scheme says: ipcat for socks4://, the proxy for the others
  Local,   ///< ipcat resolves and sends the address
  Remote,  ///< the proxy resolves the name
  Both,    ///< ipcat tries first; a name it cannot resolve goes to the proxy
  None,    ///< nobody: the target must be an address literal
};

/// One proxy: scheme, host, port and credentials.
struct ProxyUrl {
  ProxyScheme scheme = ProxyScheme::Socks5;
  std::string host;                    ///< a name or an address literal (IPv6 without brackets)
  std::string port;                    ///< a number, 1-65535
  std::optional<std::string> user;     ///< percent-decoded
  std::optional<std::string> password; ///< percent-decoded

  /// "socks5://127.0.0.1:1080", "http://[::1]:3128": for messages, without credentials.
  [[nodiscard]] std::string describe() const;
  /// The URL with its credentials, percent-encoded: what parse_proxy_url reads back.
  [[nodiscard]] std::string to_string() const;
};

/// The scheme's name as written in URLs ("socks4a").
std::string_view scheme_name(ProxyScheme s);
/// A port written as a number, 1 to 65535 ("1080"; not a service name).
bool valid_port_number(std::string_view p);
/// The scheme a URL scheme or --proxy-type word names ("socks4a", "http"), if any.
std::optional<ProxyScheme> scheme_named(std::string_view name);

/// The default port of a scheme: 1080 for SOCKS, 3128 for HTTP.
std::string_view default_proxy_port(ProxyScheme s);

/// Parses "socks5://user:pass@host:1080"; without "scheme://" the proxy is HTTP (as in curl).
Result<ProxyUrl> parse_proxy_url(std::string_view text);

/// Parses a --proxy-dns / proxy-dns= value: local, remote, both or none.
Result<ProxyDns> parse_proxy_dns(std::string_view text);

/// Checks the value of a proxy address option (proxy, proxy-dns, socksport, proxyport,
/// proxyauth) when the address is parsed.
std::optional<UsageError> check_proxy_option(std::string_view name, std::string_view value);

/// The scheme a socat proxy address type stands for (socks4, socks4a, socks5, proxy), if any.
std::optional<ProxyScheme> proxy_alias_scheme(std::string_view type_word);

/// Splits the PROXY of socat's "PROXY:HOST:PORT" off args ("[::1]" for IPv6): the proxy host,
/// and args with it removed (what is left is HOST:PORT).
Result<std::pair<std::string, std::string_view>> split_alias_proxy(std::string_view args,
                                                                   std::string_view shown);

/// After the options of an address are read: a socat proxy type (alias_scheme, proxy host)
/// becomes ",proxy=URL" before any other proxy option, with socksport/proxyport/proxyauth
/// folded in; those three anywhere else are a usage error.
std::optional<UsageError> finish_proxy_address(Address& a, std::optional<ProxyScheme> alias_scheme,
                                               const std::string& alias_host,
                                               std::string_view shown);

/// "%41b" -> "Ab"; nullopt for a malformed escape.
std::optional<std::string> percent_decode(std::string_view s);

/// Escapes what a URL's user or password cannot hold as it is (":", "@", "%", ",", ...).
std::string percent_encode(std::string_view s);

} // namespace ipcat
