#include "sockopts.hpp"

#include <array>
#include <cerrno>
#include <charconv>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <string>
#include <sys/socket.h>
#include <utility>

#include "fd.hpp"

namespace ipcat {

namespace {

// nc.openbsd's -T keywords and the DiffServ code points, with their TOS byte values.
constexpr std::array<std::pair<std::string_view, int>, 28> k_tos_names{{
    {"af11", 0x28},     {"af12", 0x30},       {"af13", 0x38},        {"af21", 0x48},
    {"af22", 0x50},     {"af23", 0x58},       {"af31", 0x68},        {"af32", 0x70},
    {"af33", 0x78},     {"af41", 0x88},       {"af42", 0x90},        {"af43", 0x98},
    {"critical", 0xa0}, {"cs0", 0x00},        {"cs1", 0x20},         {"cs2", 0x40},
    {"cs3", 0x60},      {"cs4", 0x80},        {"cs5", 0xa0},         {"cs6", 0xc0},
    {"cs7", 0xe0},      {"ef", 0xb8},         {"inetcontrol", 0xc0}, {"lowcost", 0x02},
    {"lowdelay", 0x10}, {"netcontrol", 0xe0}, {"reliability", 0x04}, {"throughput", 0x08},
}};

// A whole number in base (no sign, no spaces), or nothing.
std::optional<long long> whole_number(std::string_view text, int base) {
  long long v = 0;
  const auto* end = text.data() + text.size();
  const auto [p, ec] = std::from_chars(text.data(), end, v, base);
  if (text.empty() || ec != std::errc() || p != end) {
    return std::nullopt;
  }
  return v;
}

void set_int(int fd, int level, int name, int value, const std::string& what, bool required) {
  if (::setsockopt(fd, level, name, &value, sizeof(value)) != 0 && required) {
    throw_errno(what, errno);
  }
}

} // namespace

Result<int> parse_tos(std::string_view text) {
  for (const auto& [name, value] : k_tos_names) {
    if (name == text) {
      return value;
    }
  }
  std::optional<long long> v;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    v = whole_number(text.substr(2), 16);
  } else {
    v = whole_number(text, 10);
  }
  if (!v || *v < 0 || *v > 255) {
    return fail("-T: invalid TOS '", std::string(text),
                "' (lowdelay, throughput, reliability, lowcost, critical, inetcontrol, "
                "netcontrol, ef, af11..af43, cs0..cs7, or 0-255)");
  }
  return static_cast<int>(*v);
}

Result<int> parse_ttl(std::string_view text) {
  const auto v = whole_number(text, 10);
  if (!v || *v < 1 || *v > 255) {
    return fail("-M: invalid TTL '", std::string(text), "' (1-255)");
  }
  return static_cast<int>(*v);
}

Result<int> parse_buffer_size(std::string_view text) {
  const auto v = whole_number(text, 10);
  if (!v || *v < 1 || *v > (1LL << 30)) {
    return fail("invalid buffer size '", std::string(text), "' (1 to 1073741824 bytes)");
  }
  return static_cast<int>(*v);
}

void apply_socket_options(int fd, int family, const SocketOptions& o, const char* what_prefix) {
  const std::string what = what_prefix;
  if (o.broadcast) {
    set_int(fd, SOL_SOCKET, SO_BROADCAST, 1, what + " (-b, SO_BROADCAST)", true);
  }
  if (o.rcvbuf) {
    set_int(fd, SOL_SOCKET, SO_RCVBUF, *o.rcvbuf, what + " (-I, SO_RCVBUF)", true);
  }
  if (o.sndbuf) {
    set_int(fd, SOL_SOCKET, SO_SNDBUF, *o.sndbuf, what + " (-O, SO_SNDBUF)", true);
  }
  const bool v6 = family == AF_INET6;
  if (o.tos) {
    if (v6) {
      set_int(fd, IPPROTO_IPV6, IPV6_TCLASS, *o.tos, what + " (-T, IPV6_TCLASS)", true);
    }
    // A dual-stack IPv6 socket carries IPv4 traffic too, which takes its TOS from IP_TOS: set
    // that as well, and mind its failure only on an IPv4 socket.
    set_int(fd, IPPROTO_IP, IP_TOS, *o.tos, what + " (-T, IP_TOS)", !v6);
  }
  if (o.ttl) {
    if (v6) {
      set_int(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, *o.ttl, what + " (-M, IPV6_UNICAST_HOPS)", true);
    }
    set_int(fd, IPPROTO_IP, IP_TTL, *o.ttl, what + " (-M, IP_TTL)", !v6);
  }
}

} // namespace ipcat
