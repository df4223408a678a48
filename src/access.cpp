#include "access.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <charconv>
#include <cstring>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>

namespace ipcat {

namespace {

// The address in sa as 16 bytes, IPv4 (also IPv4-mapped IPv6) in the first 4; false if neither.
bool peer_bytes(const sockaddr* sa, bool& v6, std::array<std::uint8_t, 16>& out) {
  out.fill(0);
  if (sa->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
    std::memcpy(out.data(), &in->sin_addr, 4);
    v6 = false;
    return true;
  }
  if (sa->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
    if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
      std::memcpy(out.data(), &in6->sin6_addr.s6_addr[12], 4);
      v6 = false;
    } else {
      std::memcpy(out.data(), &in6->sin6_addr, 16);
      v6 = true;
    }
    return true;
  }
  return false;
}

} // namespace

bool Cidr::contains(const sockaddr* sa) const {
  bool peer_v6 = false;
  std::array<std::uint8_t, 16> peer{};
  if (!peer_bytes(sa, peer_v6, peer)) {
    return false;
  }
  if (peer_v6 != v6) {
    if (peer_v6) {
      return false; // an IPv6 peer is never inside an IPv4 block
    }
    // An IPv4 peer is the IPv6 address ::ffff:a.b.c.d (what a dual-stack socket sees), so an
    // IPv6 block contains it when it contains that address: ::/0 does, fd00::/8 does not.
    std::array<std::uint8_t, 16> mapped{};
    mapped[10] = 0xFF;
    mapped[11] = 0xFF;
    std::memcpy(&mapped[12], peer.data(), 4);
    peer = mapped;
  }
  unsigned bits = prefix;
  for (std::size_t i = 0; bits > 0; ++i) {
    const unsigned take = std::min(bits, 8U);
    const auto mask = static_cast<std::uint8_t>(0xFF << (8 - take));
    if ((peer[i] & mask) != (addr[i] & mask)) {
      return false;
    }
    bits -= take;
  }
  return true;
}

Result<Cidr> parse_cidr(std::string_view text) {
  Cidr c;
  c.text = std::string(text);
  const auto slash = text.find('/');
  const std::string host(text.substr(0, slash));
  if (::inet_pton(AF_INET, host.c_str(), c.addr.data()) == 1) {
    c.v6 = false;
  } else if (::inet_pton(AF_INET6, host.c_str(), c.addr.data()) == 1) {
    c.v6 = true;
  } else {
    return fail("invalid address block '", c.text, "' (examples: 10.0.0.0/8, 127.0.0.2, ::1/128)");
  }
  const unsigned max = c.v6 ? 128 : 32;
  c.prefix = max;
  if (slash != std::string_view::npos) {
    const std::string_view p = text.substr(slash + 1);
    unsigned n = 0;
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), n);
    if (p.empty() || ec != std::errc() || end != p.data() + p.size() || n > max) {
      return fail("invalid prefix length in '", c.text, "' (0-", std::to_string(max), ")");
    }
    c.prefix = n;
  }
  // Peers are compared as IPv4 when they are IPv4-mapped, so a block inside ::ffff:0:0/96 is
  // made the IPv4 block it stands for: ::ffff:127.0.0.0/104 is 127.0.0.0/8. (A wider block
  // stays IPv6; contains() matches IPv4 peers against it as mapped addresses.)
  const std::array<std::uint8_t, 12> mapped_prefix{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  if (c.v6 && c.prefix >= 96 &&
      std::equal(mapped_prefix.begin(), mapped_prefix.end(), c.addr.begin())) {
    std::array<std::uint8_t, 16> v4{};
    std::memcpy(v4.data(), &c.addr[12], 4);
    c.addr = v4;
    c.v6 = false;
    c.prefix -= 96;
  }
  return c;
}

Result<std::vector<unsigned>> parse_id_list(std::string_view text, bool is_user) {
  std::vector<unsigned> ids;
  const char* what = is_user ? "user" : "group";
  while (true) {
    const auto comma = text.find(',');
    const std::string item(text.substr(0, comma));
    if (item.empty()) {
      return fail("empty ", what, " in the list");
    }
    unsigned id = 0;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), id);
    if (ec == std::errc() && end == item.data() + item.size()) {
      ids.push_back(id);
    } else if (is_user) {
      const passwd* pw = ::getpwnam(item.c_str());
      if (pw == nullptr) {
        return fail("unknown user '", item, "'");
      }
      ids.push_back(pw->pw_uid);
    } else {
      const group* gr = ::getgrnam(item.c_str());
      if (gr == nullptr) {
        return fail("unknown group '", item, "'");
      }
      ids.push_back(gr->gr_gid);
    }
    if (comma == std::string_view::npos) {
      return ids;
    }
    text.remove_prefix(comma + 1);
  }
}

bool AccessPolicy::admits_unix(uid_t uid, gid_t gid, std::string& why) const {
  if (!has_unix_rules()) {
    return true;
  }
  const bool by_uid = std::find(allow_uids.begin(), allow_uids.end(), uid) != allow_uids.end();
  const bool by_gid = std::find(allow_gids.begin(), allow_gids.end(), gid) != allow_gids.end();
  if (by_uid || by_gid) {
    return true;
  }
  why = "uid " + std::to_string(uid) + ", gid " + std::to_string(gid) + " not allowed";
  return false;
}

bool AccessPolicy::admits_inet(const sockaddr* peer, std::string& why) const {
  for (const auto& d : deny) {
    if (d.contains(peer)) {
      why = "denied by " + d.text;
      return false;
    }
  }
  if (allow.empty()) {
    return true;
  }
  for (const auto& a : allow) {
    if (a.contains(peer)) {
      return true;
    }
  }
  why = "not in any --allow block";
  return false;
}

} // namespace ipcat
