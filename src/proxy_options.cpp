#include "proxy_options.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "proxy_url.hpp"

namespace ipcat {

namespace {

Result<ProxyScheme> scheme_of(const ProxyFlags& f) {
  if (!f.x_type.empty()) {
    if (f.x_type == "4") {
      return ProxyScheme::Socks4;
    }
    if (f.x_type == "5") {
      return ProxyScheme::Socks5;
    }
    if (f.x_type == "connect") {
      return ProxyScheme::Http;
    }
    return fail("-X: unknown proxy protocol '", f.x_type, "' (4, 5 or connect)");
  }
  if (!f.type.empty()) {
    // ncat's words are the URL schemes' names (socks5h, the same as socks5 here, too).
    if (const auto scheme = scheme_named(f.type)) {
      return *scheme;
    }
    return fail("--proxy-type: unknown proxy type '", f.type, "' (socks4, socks4a, socks5, http)");
  }
  // nc.openbsd's -x speaks SOCKS5 unless -X says otherwise; ncat's --proxy speaks HTTP.
  return f.proxy.empty() ? ProxyScheme::Socks5 : ProxyScheme::Http;
}

// USER and PASS from -P, --proxy-auth and IPCAT_PROXY_AUTH, the flags first.
void credentials(const ProxyFlags& f, const char* env_auth, ProxyUrl& u) {
  const std::string secret = !f.auth.empty() ? f.auth : env_auth != nullptr ? env_auth : "";
  const auto colon = secret.find(':');
  if (!f.user.empty()) {
    u.user = f.user;
    if (!secret.empty()) {
      u.password = colon == std::string::npos ? secret : secret.substr(colon + 1);
    }
    return;
  }
  if (secret.empty()) {
    return;
  }
  u.user = secret.substr(0, colon);
  if (colon != std::string::npos) {
    u.password = secret.substr(colon + 1);
  }
}

} // namespace

bool proxy_flag_is_proxy(std::string_view value, bool type_given) {
  if (type_given) {
    return true;
  }
  if (!value.empty() && value.front() == '[') {
    const auto close = value.find("]:");
    return close != std::string_view::npos && close > 1 &&
           valid_port_number(value.substr(close + 2));
  }
  const auto colon = value.find(':');
  return colon != std::string_view::npos && colon > 0 &&
         value.find(':', colon + 1) == std::string_view::npos &&
         value.find('/') == std::string_view::npos && valid_port_number(value.substr(colon + 1));
}

std::optional<UsageError> apply_proxy_flags(const ProxyFlags& f, Options& o, const char* env_auth) {
  const bool type_given = !f.x_type.empty() || !f.type.empty();
  std::string proxy = f.proxy;
  if (!f.x.empty()) {
    if (!proxy_flag_is_proxy(f.x, type_given)) {
      o.hex_dump = f.x; // ncat's -x FILE
    } else if (!proxy.empty()) {
      return fail("cannot use -x (a proxy) and --proxy together");
    } else {
      proxy = f.x;
    }
  }
  if (!f.x_type.empty() && !f.type.empty()) {
    return fail("cannot use -X and --proxy-type together");
  }
  if (proxy.empty()) {
    if (type_given || !f.user.empty() || !f.auth.empty() || !f.dns.empty()) {
      return fail("-X, -P, --proxy-type, --proxy-auth and --proxy-dns need a proxy ",
                  "(-x ADDR:PORT or --proxy ADDR[:PORT])");
    }
    return std::nullopt;
  }
  auto scheme = scheme_of(f);
  if (!scheme) {
    return UsageError{scheme.error()};
  }
  // ADDR[:PORT] is a URL without its scheme: the same parser reads it.
  if (proxy.find("://") != std::string::npos || proxy.find('@') != std::string::npos) {
    return fail("--proxy and -x take ADDR[:PORT] (credentials go in --proxy-auth): '", proxy, "'");
  }
  auto url = parse_proxy_url(std::string(scheme_name(*scheme)) + "://" + proxy);
  if (!url) {
    return fail(f.proxy.empty() ? "-x: " : "--proxy: ", url.error());
  }
  credentials(f, env_auth, *url);
  Address* target = nullptr;
  for (Address* e : {&o.right, &o.left}) {
    if (target == nullptr && e->kind == AddressKind::Tcp) {
      target = e;
    }
  }
  if (target == nullptr) {
    return fail("a proxy (-x, --proxy) applies to a TCP connection (HOST PORT)");
  }
  if (!f.dns.empty()) {
    auto d = parse_proxy_dns(f.dns);
    if (!d) {
      return fail("--proxy-dns: ", d.error());
    }
    target->written_options.emplace_back("proxy-dns", f.dns);
  }
  target->written_options.insert(target->written_options.begin(), {"proxy", url->to_string()});
  return std::nullopt;
}

} // namespace ipcat
