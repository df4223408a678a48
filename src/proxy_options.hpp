// The netcat spellings of a proxy: nc.openbsd's -x ADDR[:PORT], -X 4|5|connect and -P USER,
// ncat's --proxy ADDR[:PORT], --proxy-type, --proxy-auth and --proxy-dns, and the
// IPCAT_PROXY_AUTH variable; they become a ",proxy=URL" on the connecting TCP address. -x is
// also ncat's hex-dump flag: proxy_flag_is_proxy says which one a given -x means.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "options.hpp"
#include "result.hpp"

namespace ipcat {

/// The proxy flags as CLI11 fills them in (empty: not given).
struct ProxyFlags {
  std::string x;      ///< -x VALUE: a proxy or (ncat) the hex-dump file
  std::string x_type; ///< -X 4|5|connect
  std::string user;   ///< -P USER
  std::string proxy;  ///< --proxy ADDR[:PORT]
  std::string type;   ///< --proxy-type socks4|socks4a|socks5|http
  std::string auth;   ///< --proxy-auth USER:PASS (or PASS with -P)
  std::string dns;    ///< --proxy-dns local|remote|both|none
};

/// The -x rule: VALUE names a proxy when -X or --proxy-type is given (type_given), or when it
/// reads HOST:PORT or [IPV6]:PORT with a numeric port; otherwise ("-", "dump.hex", "/tmp/f")
/// it is the hex-dump file.
bool proxy_flag_is_proxy(std::string_view value, bool type_given);

/// Turns the flags into a proxy on the connecting TCP address of o (first in its chain), or
/// sets o.hex_dump for a -x that is no proxy. env_auth is IPCAT_PROXY_AUTH (nullptr: unset):
/// USER:PASS, or the password alone with -P.
std::optional<UsageError> apply_proxy_flags(const ProxyFlags& f, Options& o, const char* env_auth);

} // namespace ipcat
