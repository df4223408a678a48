#include "proxy_url.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <charconv>

#include "address.hpp"

namespace ipcat {

namespace {

struct SchemeRow {
  std::string_view name;
  ProxyScheme scheme;
};

constexpr SchemeRow k_schemes[] = {
    {"socks4", ProxyScheme::Socks4}, {"socks4a", ProxyScheme::Socks4a},
    {"socks5", ProxyScheme::Socks5}, {"socks5h", ProxyScheme::Socks5h},
    {"http", ProxyScheme::Http},
};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string canonical_port(std::string_view p) {
  unsigned n = 0;
  std::from_chars(p.data(), p.data() + p.size(), n);
  return std::to_string(n);
}

bool is_ipv6(const std::string& s) {
  in6_addr a{};
  return inet_pton(AF_INET6, s.c_str(), &a) == 1;
}

std::string bracketed(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

} // namespace

bool valid_port_number(std::string_view p) {
  if (p.empty() || p.size() > 5 ||
      !std::all_of(p.begin(), p.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return false;
  }
  unsigned n = 0;
  std::from_chars(p.data(), p.data() + p.size(), n);
  return n >= 1 && n <= 65535;
}

std::optional<ProxyScheme> scheme_named(std::string_view name) {
  for (const auto& row : k_schemes) {
    if (row.name == name) {
      return row.scheme;
    }
  }
  return std::nullopt;
}

std::string_view scheme_name(ProxyScheme s) {
  for (const auto& row : k_schemes) {
    if (row.scheme == s) {
      return row.name;
    }
  }
  return "socks5";
}

std::string_view default_proxy_port(ProxyScheme s) {
  return s == ProxyScheme::Http ? "3128" : "1080";
}

std::string ProxyUrl::describe() const {
  return std::string(scheme_name(scheme)) + "://" + bracketed(host) + ":" + port;
}

std::string ProxyUrl::to_string() const {
  std::string auth;
  if (user) {
    auth = percent_encode(*user);
    if (password) {
      auth += ":" + percent_encode(*password);
    }
    auth += "@";
  }
  return std::string(scheme_name(scheme)) + "://" + auth + bracketed(host) + ":" + port;
}

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      return std::nullopt;
    }
    unsigned v = 0;
    std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
    out += static_cast<char>(v);
    i += 2;
  }
  return out;
}

std::string percent_encode(std::string_view s) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += k_hex[u >> 4];
      out += k_hex[u & 15];
    }
  }
  return out;
}

Result<ProxyUrl> parse_proxy_url(std::string_view text) {
  const std::string shown(text);
  ProxyUrl u;
  u.scheme = ProxyScheme::Http;
  std::string_view rest = text;
  if (const auto sep = rest.find("://"); sep != std::string_view::npos) {
    const std::string name = lower(rest.substr(0, sep));
    const auto* row = std::find_if(std::begin(k_schemes), std::end(k_schemes),
                                   [&](const SchemeRow& r) { return r.name == name; });
    if (row == std::end(k_schemes)) {
      return fail("unknown proxy scheme '", name, "' in '", shown,
                  "' (socks4, socks4a, socks5, socks5h or http)");
    }
    u.scheme = row->scheme;
    rest.remove_prefix(sep + 3);
  }
  // A trailing slash is common in environment variables (http://proxy:3128/); nothing may
  // follow it.
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    if (slash + 1 != rest.size()) {
      return fail("a proxy URL has no path: '", shown, "'");
    }
    rest.remove_suffix(1);
  }
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view auth = rest.substr(0, at);
    const auto colon = auth.find(':');
    auto user = percent_decode(auth.substr(0, colon));
    if (!user) {
      return fail("bad %-escape in the user of '", shown, "'");
    }
    u.user = *user;
    if (colon != std::string_view::npos) {
      auto pass = percent_decode(auth.substr(colon + 1));
      if (!pass) {
        return fail("bad %-escape in the password of '", shown, "'");
      }
      u.password = *pass;
    }
    rest.remove_prefix(at + 1);
  }
  std::string_view port;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) {
      return fail("missing ']' in proxy URL '", shown, "'");
    }
    u.host = std::string(rest.substr(1, close - 1));
    if (!is_ipv6(u.host)) {
      return fail("'", u.host, "' is not an IPv6 address in proxy URL '", shown, "'");
    }
    const std::string_view after = rest.substr(close + 1);
    if (!after.empty() && after.front() != ':') {
      return fail("unexpected '", std::string(after), "' in proxy URL '", shown, "'");
    }
    port = after.empty() ? std::string_view() : after.substr(1);
    if (!after.empty() && port.empty()) {
      return fail("missing port after ':' in proxy URL '", shown, "'");
    }
  } else {
    const auto colon = rest.find(':');
    if (colon != std::string_view::npos && rest.find(':', colon + 1) != std::string_view::npos) {
      return fail("write an IPv6 proxy in brackets, socks5://[::1]:1080: '", shown, "'");
    }
    u.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = rest.substr(colon + 1);
      if (port.empty()) {
        return fail("missing port after ':' in proxy URL '", shown, "'");
      }
    }
  }
  if (u.host.empty()) {
    return fail("missing proxy host in '", shown, "'");
  }
  // A name or an IPv4 address (an IPv6 one came in brackets and passed inet_pton above).
  if (!is_ipv6(u.host) && !std::all_of(u.host.begin(), u.host.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '.' || c == '_';
      })) {
    return fail("invalid proxy host '", u.host, "' in '", shown, "'");
  }
  if (port.empty()) {
    u.port = std::string(default_proxy_port(u.scheme));
  } else if (!valid_port_number(port)) {
    return fail("invalid proxy port '", std::string(port), "' in '", shown, "' (1-65535)");
  } else {
    u.port = canonical_port(port);
  }
  return u;
}

Result<ProxyDns> parse_proxy_dns(std::string_view text) {
  const std::string v = lower(text);
  if (v == "local") {
    return ProxyDns::Local;
  }
  if (v == "remote") {
    return ProxyDns::Remote;
  }
  if (v == "both") {
    return ProxyDns::Both;
  }
  if (v == "none") {
    return ProxyDns::None;
  }
  return fail("invalid proxy DNS mode '", std::string(text), "' (local, remote, both or none)");
}

std::optional<UsageError> check_proxy_option(std::string_view name, std::string_view value) {
  if (name == "proxy") {
    auto u = parse_proxy_url(value);
    return u ? std::nullopt : std::optional(UsageError{u.error()});
  }
  if (name == "proxy-dns") {
    auto d = parse_proxy_dns(value);
    return d ? std::nullopt : std::optional(UsageError{d.error()});
  }
  if (name == "socksport" || name == "proxyport") {
    if (!valid_port_number(value)) {
      return fail("invalid ", std::string(name), " '", std::string(value), "' (1-65535)");
    }
    return std::nullopt;
  }
  if (name == "proxyauth" && value.find(':') == std::string_view::npos) {
    return fail("proxyauth needs USER:PASS");
  }
  return std::nullopt;
}

std::optional<ProxyScheme> proxy_alias_scheme(std::string_view type_word) {
  const std::string t = lower(type_word);
  if (t == "socks4") {
    return ProxyScheme::Socks4;
  }
  if (t == "socks4a") {
    return ProxyScheme::Socks4a;
  }
  if (t == "socks5") {
    return ProxyScheme::Socks5;
  }
  if (t == "proxy") {
    return ProxyScheme::Http;
  }
  return std::nullopt;
}

Result<std::pair<std::string, std::string_view>> split_alias_proxy(std::string_view args,
                                                                   std::string_view shown) {
  const std::string where(shown);
  std::string host;
  std::size_t end = 0;
  if (!args.empty() && args.front() == '[') {
    end = args.find(']');
    if (end == std::string_view::npos) {
      return fail("invalid address '", where, "': missing ']' after the proxy's IPv6 address");
    }
    host = std::string(args.substr(1, end - 1));
    if (!is_ipv6(host)) {
      return fail("invalid address '", where, "': '", host, "' is not an IPv6 address");
    }
    ++end;
  } else {
    end = args.find(':');
    if (end == std::string_view::npos) {
      end = args.size();
    }
    host = std::string(args.substr(0, end));
  }
  if (host.empty() || end >= args.size() || args[end] != ':') {
    return fail("invalid address '", where, "': expected PROXY:HOST:PORT");
  }
  return std::pair{host, args.substr(end + 1)};
}

std::optional<UsageError> finish_proxy_address(Address& a, std::optional<ProxyScheme> alias_scheme,
                                               const std::string& alias_host,
                                               std::string_view shown) {
  const std::string where(shown);
  std::optional<std::string> socksport;
  std::optional<std::string> proxyport;
  std::optional<std::string> proxyauth;
  for (const auto& [name, value] : a.written_options) {
    if (name == "socksport") {
      socksport = value;
    } else if (name == "proxyport") {
      proxyport = value;
    } else if (name == "proxyauth") {
      proxyauth = value;
    }
  }
  if (!alias_scheme) {
    if (socksport || proxyport || proxyauth) {
      return fail("socksport, proxyport and proxyauth belong to the socks4:, socks4a:, socks5: ",
                  "and proxy: addresses (with tcp: write proxy=URL): in '", where, "'");
    }
    return std::nullopt;
  }
  const bool http = *alias_scheme == ProxyScheme::Http;
  if ((http && socksport) || (!http && proxyport)) {
    return fail(http ? "socksport" : "proxyport", " does not apply to this proxy type: in '", where,
                "' (", http ? "proxyport" : "socksport", "= sets its port)");
  }
  ProxyUrl u;
  u.scheme = *alias_scheme;
  u.host = alias_host;
  if (const auto check = parse_proxy_url(
          std::string(scheme_name(u.scheme)) + "://" +
          (alias_host.find(':') != std::string::npos ? "[" + alias_host + "]" : alias_host));
      !check) {
    return fail("invalid proxy '", alias_host, "' in '", where, "'");
  }
  // socat's defaults: the "socks" port 1080, and 8080 for an HTTP proxy.
  u.port = http ? proxyport.value_or("8080") : socksport.value_or("1080");
  u.port = canonical_port(u.port);
  if (proxyauth) {
    const auto colon = proxyauth->find(':');
    u.user = proxyauth->substr(0, colon);
    u.password = proxyauth->substr(colon + 1);
  }
  a.written_options.insert(a.written_options.begin(), {"proxy", u.to_string()});
  return std::nullopt;
}

} // namespace ipcat
