// Who may connect to a listener: Unix peers by credentials (SO_PEERCRED), inet peers by
// address (CIDR allow and deny lists). Parsed once from the command line; checked on accept.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <sys/socket.h>
#include <sys/types.h>
#include <vector>

#include "result.hpp"

namespace ipcat {

/// An address block: 10.0.0.0/8, 127.0.0.2 (a /32), ::1/128, fd00::/8.
struct Cidr {
  bool v6 = false;
  std::array<std::uint8_t, 16> addr{}; ///< network bytes (IPv4 in the first 4)
  unsigned prefix = 0;                 ///< bits that must match
  std::string text;                    ///< as written, for messages

  /// True when the IPv4 or IPv6 address in sa (IPv4-mapped IPv6 counts as IPv4) is inside;
  /// an IPv6 block holds an IPv4 peer a.b.c.d when it holds ::ffff:a.b.c.d.
  [[nodiscard]] bool contains(const sockaddr* sa) const;
};

/// Parses "ADDR" or "ADDR/PREFIX" (IPv4 or IPv6); an IPv4-mapped block ::ffff:a.b.c.d/N with
/// N >= 96 becomes the IPv4 block a.b.c.d/(N-96).
Result<Cidr> parse_cidr(std::string_view text);

/// Parses "1000,1001" or names ("root,www-data"); users when is_user, else groups.
Result<std::vector<unsigned>> parse_id_list(std::string_view text, bool is_user);

/// The access rules of a listener. Empty rules admit everyone.
struct AccessPolicy {
  std::vector<unsigned> allow_uids; ///< --allow-uid
  std::vector<unsigned> allow_gids; ///< --allow-gid
  std::vector<Cidr> allow;          ///< --allow (any match admits, when given)
  std::vector<Cidr> deny;           ///< --deny (any match refuses; wins over --allow)

  /// True when there is any Unix credential rule.
  [[nodiscard]] bool has_unix_rules() const { return !allow_uids.empty() || !allow_gids.empty(); }
  /// True when there is any address rule.
  [[nodiscard]] bool has_inet_rules() const { return !allow.empty() || !deny.empty(); }
  /// Unix peer check; why is set to the reason when refused.
  [[nodiscard]] bool admits_unix(uid_t uid, gid_t gid, std::string& why) const;
  /// Inet peer check; why is set to the reason when refused.
  [[nodiscard]] bool admits_inet(const sockaddr* peer, std::string& why) const;
};

} // namespace ipcat
