#include "address.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <cctype>
#include <charconv>
#include <netdb.h>
#include <utility>

namespace ipcat {

namespace {

struct KindName {
  std::string_view name;
  AddressKind kind;
  Family family;
};

// socat spells some of these differently; the aliases let socat users type what they know.
constexpr std::array k_kinds{
    KindName{"stdio", AddressKind::Stdio, Family::Any},
    KindName{"unix", AddressKind::Unix, Family::Any},
    KindName{"unix-connect", AddressKind::Unix, Family::Any},
    KindName{"unix-listen", AddressKind::UnixListen, Family::Any},
    KindName{"unix-dgram", AddressKind::UnixDgram, Family::Any},
    KindName{"unix-sendto", AddressKind::UnixDgram, Family::Any},
    KindName{"unix-dgram-listen", AddressKind::UnixDgramListen, Family::Any},
    KindName{"unix-recvfrom", AddressKind::UnixDgramListen, Family::Any},
    KindName{"tcp", AddressKind::Tcp, Family::Any},
    KindName{"tcp-connect", AddressKind::Tcp, Family::Any},
    KindName{"tcp4", AddressKind::Tcp, Family::V4},
    KindName{"tcp6", AddressKind::Tcp, Family::V6},
    KindName{"tcp-listen", AddressKind::TcpListen, Family::Any},
    KindName{"tcp4-listen", AddressKind::TcpListen, Family::V4},
    KindName{"tcp6-listen", AddressKind::TcpListen, Family::V6},
    KindName{"udp", AddressKind::Udp, Family::Any},
    KindName{"udp-connect", AddressKind::Udp, Family::Any},
    KindName{"udp4", AddressKind::Udp, Family::V4},
    KindName{"udp6", AddressKind::Udp, Family::V6},
    KindName{"udp-listen", AddressKind::UdpListen, Family::Any},
    KindName{"udp4-listen", AddressKind::UdpListen, Family::V4},
    KindName{"udp6-listen", AddressKind::UdpListen, Family::V6},
    KindName{"fifo", AddressKind::Fifo, Family::Any},
    KindName{"pipe", AddressKind::Fifo, Family::Any},
    KindName{"file", AddressKind::File, Family::Any},
    KindName{"exec", AddressKind::Exec, Family::Any},
    KindName{"system", AddressKind::Exec, Family::Any},
    KindName{"uuid", AddressKind::Uuid, Family::Any},
};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

const KindName* find_kind(std::string_view name) {
  const std::string l = lower(name);
  for (const auto& k : k_kinds) {
    if (k.name == l) {
      return &k;
    }
  }
  return nullptr;
}

bool is_ipv6_literal(std::string_view s) {
  in6_addr a{};
  // A zone ("fe80::1%eth0") is for getaddrinfo; inet_pton checks the address part.
  const std::string copy(s.substr(0, s.find('%')));
  return inet_pton(AF_INET6, copy.c_str(), &a) == 1;
}

// Splits "HOST:PORT" or "[V6]:PORT"; with port_only_ok, a bare "PORT" gives an empty host.
Result<std::pair<std::string, std::string>> split_host_port(std::string_view s, bool port_only_ok,
                                                            std::string_view shown) {
  const std::string where(shown);
  if (!s.empty() && s.front() == '[') {
    const auto close = s.find(']');
    if (close == std::string_view::npos) {
      return fail("invalid address '", where, "': missing ']' after the IPv6 address");
    }
    const std::string host(s.substr(1, close - 1));
    if (!is_ipv6_literal(host)) {
      return fail("invalid address '", where, "': '", host, "' is not an IPv6 address");
    }
    if (close + 1 >= s.size() || s[close + 1] != ':') {
      return fail("invalid address '", where, "': missing port after ']'");
    }
    return std::pair{host, std::string(s.substr(close + 2))};
  }
  const auto colon = s.rfind(':');
  if (colon == std::string_view::npos) {
    if (port_only_ok) {
      return std::pair{std::string(), std::string(s)};
    }
    return fail("invalid address '", where, "': expected HOST:PORT");
  }
  if (s.find(':') != colon) {
    return fail("invalid address '", where, "': write IPv6 addresses in brackets, [::1]:80");
  }
  if (colon == 0 && !port_only_ok) {
    return fail("invalid address '", where, "': missing host");
  }
  return std::pair{std::string(s.substr(0, colon)), std::string(s.substr(colon + 1))};
}

bool applies(std::string_view option, AddressKind kind) {
  switch (kind) {
  case AddressKind::UnixListen:
  case AddressKind::UnixDgramListen:
    return option == "mode";
  case AddressKind::Fifo:
    return option == "mode" || option == "once";
  case AddressKind::File:
    return option == "follow";
  case AddressKind::Uuid:
    return option == "count" || option == "interval";
  default:
    return false;
  }
}

std::optional<UsageError> apply_option(Address& a, std::string_view item, std::string_view shown) {
  const auto eq = item.find('=');
  const std::string name = lower(item.substr(0, eq));
  const std::string_view value =
      eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1);
  const bool has_value = eq != std::string_view::npos;
  const std::string where(shown);
  const std::string type(kind_name(a.kind));

  const bool known =
      name == "mode" || name == "once" || name == "follow" || name == "count" || name == "interval";
  if (!known) {
    return fail("unknown option '", name, "' in address '", where, "'");
  }
  if (!applies(name, a.kind)) {
    return fail("option '", name, "' does not apply to ", type, ": in '", where, "'");
  }
  if (name == "once" || name == "follow") {
    if (has_value) {
      return fail("option '", name, "' takes no value in '", where, "'");
    }
    (name == "once" ? a.options.once : a.options.follow) = true;
    return std::nullopt;
  }
  if (!has_value || value.empty()) {
    return fail("option '", name, "' needs a value in '", where, "' (", name, "=...)");
  }
  if (name == "mode") {
    auto m = parse_mode(value);
    if (!m) {
      return UsageError{m.error()};
    }
    a.options.mode = *m;
  } else if (name == "count") {
    auto c = parse_count(value);
    if (!c) {
      return UsageError{c.error()};
    }
    a.options.count = *c;
  } else {
    auto d = parse_duration(value);
    if (!d) {
      return UsageError{d.error()};
    }
    a.options.interval = *d;
  }
  return std::nullopt;
}

} // namespace

bool Address::is_listener() const {
  return kind == AddressKind::UnixListen || kind == AddressKind::UnixDgramListen ||
         kind == AddressKind::TcpListen || kind == AddressKind::UdpListen;
}

bool Address::is_inet() const {
  return kind == AddressKind::Tcp || kind == AddressKind::TcpListen || kind == AddressKind::Udp ||
         kind == AddressKind::UdpListen;
}

bool Address::is_unix() const {
  return kind == AddressKind::Unix || kind == AddressKind::UnixListen ||
         kind == AddressKind::UnixDgram || kind == AddressKind::UnixDgramListen;
}

bool Address::is_datagram() const {
  return kind == AddressKind::Udp || kind == AddressKind::UdpListen ||
         kind == AddressKind::UnixDgram || kind == AddressKind::UnixDgramListen;
}

std::string_view kind_name(AddressKind kind) {
  for (const auto& k : k_kinds) {
    if (k.kind == kind && k.family == Family::Any) {
      return k.name;
    }
  }
  return "?";
}

std::string Address::describe() const {
  std::string out(kind_name(kind));
  switch (kind) {
  case AddressKind::Stdio:
    return out;
  case AddressKind::Uuid:
    return uuid == UuidVersion::V7 ? "uuid:v7" : "uuid:v4";
  case AddressKind::Tcp:
  case AddressKind::TcpListen:
  case AddressKind::Udp:
  case AddressKind::UdpListen: {
    const bool v6 = host.find(':') != std::string::npos;
    out += ':';
    if (!host.empty()) {
      out += v6 ? "[" + host + "]:" : host + ":";
    }
    return out + port;
  }
  default:
    return out + ":" + path;
  }
}

std::string Address::target() const {
  Address base = *this;
  switch (kind) {
  case AddressKind::UnixListen:
    base.kind = AddressKind::Unix;
    break;
  case AddressKind::UnixDgramListen:
    base.kind = AddressKind::UnixDgram;
    break;
  case AddressKind::TcpListen:
    base.kind = AddressKind::Tcp;
    break;
  case AddressKind::UdpListen:
    base.kind = AddressKind::Udp;
    break;
  default:
    break;
  }
  return base.describe();
}

bool looks_like_address(std::string_view text) {
  if (text == "-" || find_kind(text) != nullptr) {
    // "stdio", "uuid", and also "unix" etc. alone (those then fail with a clear message).
    return true;
  }
  const auto sep = text.find_first_of(":,");
  if (sep == std::string_view::npos || sep == 0) {
    return false;
  }
  const std::string_view type = text.substr(0, sep);
  if (!std::isalpha(static_cast<unsigned char>(type.front()))) {
    return false;
  }
  const bool word = std::all_of(type.begin(), type.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_';
  });
  return word && !is_ipv6_literal(text);
}

bool has_known_type_prefix(std::string_view text) {
  const auto sep = text.find_first_of(":,");
  return sep != std::string_view::npos && find_kind(text.substr(0, sep)) != nullptr &&
         !is_ipv6_literal(text);
}

Result<std::string> parse_port(std::string_view text, bool allow_zero, const char* protocol) {
  const std::string shown(text);
  if (text.empty()) {
    return fail("missing port");
  }
  if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
    unsigned long n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || n > 65535 ||
        (n == 0 && !allow_zero)) {
      return fail("invalid port '", shown, "' (", allow_zero ? "0" : "1",
                  "-65535 or a service name)");
    }
    return std::to_string(n);
  }
  // getservbyname reads /etc/services: a fixed table, so this stays a pure check in practice.
  if (getservbyname(shown.c_str(), protocol) == nullptr) {
    return fail("invalid port '", shown, "': not a number and not a known ", protocol, " service");
  }
  return shown;
}

Result<Address> parse_address(std::string_view text) {
  const std::string shown(text);
  if (text == "-") {
    return Address{};
  }
  if (text.empty()) {
    return fail("empty address");
  }
  const auto sep = text.find_first_of(":,");
  const std::string_view type = text.substr(0, sep);
  const KindName* k = find_kind(type);
  if (k == nullptr) {
    return fail("unknown address type '", std::string(type), "' in '", shown,
                "' (see 'ipcat --help' for the list)");
  }
  Address a;
  a.kind = k->kind;
  a.family = k->family;

  std::string_view rest = sep == std::string_view::npos ? std::string_view() : text.substr(sep);
  std::string_view args;
  if (!rest.empty() && rest.front() == ':') {
    rest.remove_prefix(1);
    if (a.kind == AddressKind::Exec) {
      // A command keeps its commas: everything after "exec:" is the shell command.
      args = rest;
      rest = {};
    } else {
      const auto comma = rest.find(',');
      args = rest.substr(0, comma);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma);
    }
  }

  switch (a.kind) {
  case AddressKind::Stdio:
    if (!args.empty()) {
      return fail("stdio takes no argument: '", shown, "'");
    }
    break;
  case AddressKind::Uuid:
    if (args.empty() || lower(args) == "v4") {
      a.uuid = UuidVersion::V4;
    } else if (lower(args) == "v7") {
      a.uuid = UuidVersion::V7;
    } else {
      return fail("invalid UUID version '", std::string(args), "' in '", shown, "' (v4 or v7)");
    }
    break;
  case AddressKind::Tcp:
  case AddressKind::Udp:
  case AddressKind::TcpListen:
  case AddressKind::UdpListen: {
    const bool listen = a.is_listener();
    if (args.empty()) {
      return fail("missing ", listen ? "[HOST:]PORT" : "HOST:PORT", " in '", shown, "'");
    }
    auto hp = split_host_port(args, listen, shown);
    if (!hp) {
      return UsageError{hp.error()};
    }
    const char* proto =
        a.kind == AddressKind::Tcp || a.kind == AddressKind::TcpListen ? "tcp" : "udp";
    auto port = parse_port(hp->second, listen, proto);
    if (!port) {
      return fail(port.error(), " in '", shown, "'");
    }
    a.host = hp->first;
    a.port = *port;
    break;
  }
  default:
    if (args.empty()) {
      return fail("missing ", a.kind == AddressKind::Exec ? "command" : "path", " in '", shown,
                  "'");
    }
    a.path = std::string(args);
    break;
  }

  while (!rest.empty()) {
    rest.remove_prefix(1); // the comma
    const auto comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma);
    if (item.empty()) {
      return fail("empty option in address '", shown, "'");
    }
    if (auto err = apply_option(a, item, shown)) {
      return *err;
    }
  }
  return a;
}

} // namespace ipcat
