// nc.openbsd's socket flags as one value: -n (numeric hosts only), -b (SO_BROADCAST), -T (the
// IPv4 TOS or IPv6 traffic class), -M (the TTL or hop limit), -I and -O (the receive and send
// buffer sizes). The parsers are pure; apply_socket_options sets them on a TCP or UDP socket.
#pragma once

#include <optional>
#include <string_view>

#include "result.hpp"

namespace ipcat {

/// The socket flags of the command line, carried to every TCP and UDP endpoint.
struct SocketOptions {
  bool numeric = false;      ///< -n: HOST must be a numeric address (no name resolution)
  bool broadcast = false;    ///< -b: SO_BROADCAST (UDP)
  std::optional<int> tos;    ///< -T: IP_TOS / IPV6_TCLASS
  std::optional<int> ttl;    ///< -M: IP_TTL / IPV6_UNICAST_HOPS
  std::optional<int> rcvbuf; ///< -I: SO_RCVBUF
  std::optional<int> sndbuf; ///< -O: SO_SNDBUF

  /// True when a flag that sets an option on the socket was given (-n is not one).
  [[nodiscard]] bool sets_any() const {
    return broadcast || tos.has_value() || ttl.has_value() || rcvbuf.has_value() ||
           sndbuf.has_value();
  }
};

/// Reads -T's value as nc.openbsd does: a keyword (lowdelay, throughput, reliability, lowcost,
/// critical, inetcontrol, netcontrol), a DiffServ code point (ef, af11 ... af43, cs0 ... cs7),
/// or a number 0-255, decimal or 0x hex.
Result<int> parse_tos(std::string_view text);

/// Reads -M's value: a hop count 1-255.
Result<int> parse_ttl(std::string_view text);

/// Reads -I's or -O's value: a buffer size in bytes, 1 to 1 GiB.
Result<int> parse_buffer_size(std::string_view text);

/// Sets the options on a TCP or UDP socket of family (AF_INET or AF_INET6) before it connects
/// or binds; throws Error(what, why) when the kernel refuses one.
void apply_socket_options(int fd, int family, const SocketOptions& o, const char* what_prefix);

} // namespace ipcat
