#include "address.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <charconv>
#include <netdb.h>
#include <utility>

#include "proxy_url.hpp"

namespace ipcat {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
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

std::optional<UsageError> apply_option(Address& a, std::string_view item, std::string_view shown) {
  const auto eq = item.find('=');
  const std::string name = lower(item.substr(0, eq));
  const std::string_view value =
      eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1);
  const bool has_value = eq != std::string_view::npos;
  const std::string where(shown);
  const EndpointType& type = a.type();

  const AddressOption* option = find_address_option(name);
  if (option == nullptr) {
    return fail("unknown option '", name, "' in address '", where, "'");
  }
  if (!takes_option(type, name)) {
    return fail("option '", name, "' does not apply to ", std::string(type.name.name), ": in '",
                where, "'");
  }
  a.written_options.emplace_back(name, std::string(value));
  if (is_terminal_option(name)) {
    return parse_terminal_option(a.options.term, name, value, has_value, where);
  }
  if (is_tls_option(name)) {
    return apply_tls_option(a.options.tls, name, value, has_value, where);
  }
  if (option->value == OptionValue::None) {
    if (has_value) {
      return fail("option '", name, "' takes no value in '", where, "'");
    }
    (name == "once"     ? a.options.once
     : name == "stderr" ? a.options.child_stderr
                        : a.options.follow) = true;
    return std::nullopt;
  }
  if (!has_value || value.empty()) {
    return fail("option '", name, "' needs a value in '", where, "' (", name, "=...)");
  }
  switch (option->value) {
  case OptionValue::Mode: {
    auto m = parse_mode(value);
    if (!m) {
      return UsageError{m.error()};
    }
    a.options.mode = *m;
    break;
  }
  case OptionValue::Count: {
    auto c = parse_count(value);
    if (!c) {
      return UsageError{c.error()};
    }
    a.options.count = *c;
    break;
  }
  case OptionValue::Time: {
    auto d = parse_duration(value);
    if (!d) {
      return UsageError{d.error()};
    }
    a.options.interval = *d;
    break;
  }
  case OptionValue::Path:
    a.options.bind = std::string(value);
    break;
  case OptionValue::Namespace: {
    auto ns = parse_uuid_namespace(value);
    if (!ns) {
      return fail(ns.error(), " in '", where, "'");
    }
    a.options.uuid_namespace = *ns;
    break;
  }
  case OptionValue::Text:
    a.options.uuid_name = std::string(value);
    break;
  case OptionValue::Proxy:
    // Kept as written (the proxy layer reads written_options); checked here so that a bad URL
    // is a usage error before anything connects.
    if (auto err = check_proxy_option(name, value)) {
      return fail(err->message, " in '", where, "'");
    }
    break;
  case OptionValue::None:
    break;
  }
  return std::nullopt;
}

// Reads ARGS as the row's syntax says.
std::optional<UsageError> parse_args(Address& a, std::string_view args, std::string_view shown) {
  const std::string where(shown);
  const EndpointType& type = a.type();
  switch (type.args) {
  case ArgSyntax::None:
    if (!args.empty()) {
      return fail(std::string(type.name.name), " takes no argument: '", where, "'");
    }
    return std::nullopt;
  case ArgSyntax::UuidVersion: {
    const auto version = args.empty() ? std::optional(UuidVersion::V4) : parse_uuid_version(args);
    if (!version) {
      return fail("invalid UUID version '", std::string(args), "' in '", where,
                  "' (v1, v3, v4, v5 or v7)");
    }
    a.uuid = *version;
    return std::nullopt;
  }
  case ArgSyntax::HostPort:
  case ArgSyntax::ListenHostPort: {
    const bool listen = type.args == ArgSyntax::ListenHostPort;
    if (args.empty()) {
      return fail("missing ", listen ? "[HOST:]PORT" : "HOST:PORT", " in '", where, "'");
    }
    auto hp = split_host_port(args, listen, shown);
    if (!hp) {
      return UsageError{hp.error()};
    }
    auto port = parse_port(hp->second, listen, type.caps.datagram ? "udp" : "tcp");
    if (!port) {
      return fail(port.error(), " in '", where, "'");
    }
    a.host = hp->first;
    a.port = *port;
    return std::nullopt;
  }
  case ArgSyntax::Path:
  case ArgSyntax::Command:
    if (args.empty()) {
      return fail("missing ", type.args == ArgSyntax::Command ? "command" : "path", " in '", where,
                  "'");
    }
    a.path = std::string(args);
    return std::nullopt;
  case ArgSyntax::Descriptor:
    if (args.empty() || args.size() > 9 || !std::all_of(args.begin(), args.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) != 0;
        })) {
      return fail("expected a descriptor number in '", where, "' (", std::string(type.name.name),
                  ":3)");
    }
    a.path = std::string(args);
    return std::nullopt;
  }
  return std::nullopt;
}

} // namespace

bool Address::is_listener() const {
  return type().caps.listens;
}

bool Address::is_inet() const {
  return type().caps.inet;
}

bool Address::is_unix() const {
  return type().caps.unix_domain;
}

bool Address::is_datagram() const {
  return type().caps.datagram;
}

bool Address::is_abstract() const {
  return is_unix() && !path.empty() && path.front() == '@';
}

std::string_view kind_name(AddressKind kind) {
  return endpoint_type(kind).name.name;
}

std::string Address::describe() const {
  const EndpointType& t = type();
  std::string out(t.name.name);
  switch (t.args) {
  case ArgSyntax::None:
    return out;
  case ArgSyntax::UuidVersion:
    return out + ":" + std::string(uuid_version_name(uuid));
  case ArgSyntax::HostPort:
  case ArgSyntax::ListenHostPort: {
    const bool v6 = host.find(':') != std::string::npos;
    out += ':';
    if (!host.empty()) {
      out += v6 ? "[" + host + "]:" : host + ":";
    }
    return out + port;
  }
  case ArgSyntax::Path:
  case ArgSyntax::Command:
  case ArgSyntax::Descriptor:
    break;
  }
  return out + ":" + path;
}

std::string Address::target() const {
  Address base = *this;
  base.kind = type().target;
  return base.describe();
}

std::optional<UsageError> check_uuid_inputs(const Address& a) {
  if (a.kind != AddressKind::Uuid) {
    return std::nullopt;
  }
  const std::string shown = a.describe();
  if (is_name_based(a.uuid)) {
    if (!a.options.uuid_namespace) {
      return fail(shown, " needs a namespace: --namespace @dns|@url|@oid|@x500|UUID (or ",
                  "namespace=)");
    }
    if (!a.options.uuid_name) {
      return fail(shown, " needs a name: --name NAME (or name=)");
    }
    return std::nullopt;
  }
  if (a.options.uuid_namespace || a.options.uuid_name) {
    return fail("--name and --namespace (name=, namespace=) apply to the name-based UUIDs v3 ",
                "and v5, not to ", shown);
  }
  return std::nullopt;
}

bool looks_like_address(std::string_view text) {
  if (text == "-" || (find_endpoint_type(text) != nullptr && !proxy_alias_scheme(text))) {
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
  return sep != std::string_view::npos && find_endpoint_type(text.substr(0, sep)) != nullptr &&
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
  const std::string_view type_word = text.substr(0, sep);
  Family family = Family::Any;
  const EndpointType* type = find_endpoint_type(type_word, &family);
  if (type == nullptr) {
    return fail("unknown address type '", std::string(type_word), "' in '", shown, "'");
  }
  Address a;
  a.kind = type->kind;
  a.family = family;

  std::string_view rest = sep == std::string_view::npos ? std::string_view() : text.substr(sep);
  std::string_view args;
  if (!rest.empty() && rest.front() == ':') {
    rest.remove_prefix(1);
    if (type->args == ArgSyntax::Command) {
      // A command keeps its commas: everything after "exec:" is the shell command, except
      // trailing words that are options of the kind ("exec:bash -i,pty").
      args = rest;
      rest = {};
      for (auto comma = args.rfind(','); comma != std::string_view::npos; comma = args.rfind(',')) {
        const std::string word = lower(args.substr(comma + 1));
        if (find_address_option(word) == nullptr || !takes_option(*type, word)) {
          break;
        }
        rest = text.substr(sep + 1 + comma);
        args = args.substr(0, comma);
      }
    } else {
      const auto comma = rest.find(',');
      args = rest.substr(0, comma);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma);
    }
  }
  // socat's socks4:PROXY:HOST:PORT (and socks4a:, socks5:, proxy:) is a TCP address with the
  // proxy in front: PROXY comes off here, and finish_proxy_address writes it as proxy=URL.
  const auto alias = proxy_alias_scheme(type_word);
  std::string alias_host;
  if (alias) {
    auto split = split_alias_proxy(args, shown);
    if (!split) {
      return UsageError{split.error()};
    }
    alias_host = split->first;
    args = split->second;
  }
  if (auto err = parse_args(a, args, shown)) {
    return *err;
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
  if (auto err = finish_proxy_address(a, alias, alias_host, shown)) {
    return *err;
  }
  if (type->layer == "tls") {
    a.options.tls.on = true; // tls:, tls-listen: are TCP with the TLS layer
  }
  if (a.options.tls.any_setting() && !a.options.tls.on) {
    return fail("TLS options need TLS: add ',tls' or use tls:/tls-listen: in '", shown, "'");
  }
  if (a.options.mode && a.is_abstract()) {
    // An abstract socket has no file, so there is nothing for the mode to apply to.
    return fail("option 'mode' does not apply to an abstract socket (", a.path,
                " has no file): in '", shown, "'");
  }
  return a;
}

} // namespace ipcat
