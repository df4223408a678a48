#include "scan_ports.hpp"

#include <charconv>
#include <netdb.h>
#include <netinet/in.h>
#include <optional>
#include <string>

namespace ipcat {

namespace {

// A port number 1-65535, or nothing.
std::optional<std::uint16_t> port_number(std::string_view s) {
  unsigned v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v < 1 || v > 65535) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(v);
}

bool all_digits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

} // namespace

Result<std::vector<std::uint16_t>> parse_port_list(std::string_view text, const char* protocol) {
  std::vector<std::uint16_t> ports;
  std::vector<bool> seen(65536, false);
  auto add = [&](std::uint16_t p) {
    if (!seen[p]) {
      seen[p] = true;
      ports.push_back(p);
    }
  };
  const std::string shown(text);
  if (text.empty()) {
    return fail("missing port");
  }
  std::string_view rest = text;
  for (;;) {
    const auto comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    const auto dash = item.find('-');
    if (item.empty()) {
      return fail("invalid port list '", shown, "': an empty item");
    }
    if (dash != std::string_view::npos && all_digits(item.substr(0, dash)) &&
        all_digits(item.substr(dash + 1))) {
      const auto low = port_number(item.substr(0, dash));
      const auto high = port_number(item.substr(dash + 1));
      if (!low || !high) {
        return fail("invalid port range '", std::string(item), "' (ports are 1-65535)");
      }
      if (*low > *high) {
        return fail("invalid port range '", std::string(item), "': ", std::to_string(*low),
                    " is above ", std::to_string(*high));
      }
      for (unsigned p = *low; p <= *high; ++p) {
        add(static_cast<std::uint16_t>(p));
      }
    } else if (all_digits(item)) {
      const auto p = port_number(item);
      if (!p) {
        return fail("invalid port '", std::string(item), "' (1-65535)");
      }
      add(*p);
    } else {
      const std::string name(item);
      const servent* s = ::getservbyname(name.c_str(), protocol);
      if (s == nullptr) {
        return fail("invalid port '", name, "': not a number, range or ", protocol,
                    " service name");
      }
      add(ntohs(static_cast<std::uint16_t>(s->s_port)));
    }
    if (comma == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(comma + 1);
  }
  return ports;
}

} // namespace ipcat
