// Unit tests for src/access.cpp: address blocks, id lists, and the admit decisions.
#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <netinet/in.h>

#include "access.hpp"

using namespace ipcat;

namespace {

sockaddr_storage v4(const char* text) {
  sockaddr_storage ss{};
  auto* in = reinterpret_cast<sockaddr_in*>(&ss);
  in->sin_family = AF_INET;
  REQUIRE(inet_pton(AF_INET, text, &in->sin_addr) == 1);
  return ss;
}

sockaddr_storage v6(const char* text) {
  sockaddr_storage ss{};
  auto* in6 = reinterpret_cast<sockaddr_in6*>(&ss);
  in6->sin6_family = AF_INET6;
  REQUIRE(inet_pton(AF_INET6, text, &in6->sin6_addr) == 1);
  return ss;
}

bool inside(const Cidr& c, const sockaddr_storage& ss) {
  return c.contains(reinterpret_cast<const sockaddr*>(&ss));
}

} // namespace

TEST_CASE("parse_cidr: IPv4 and IPv6 blocks, a bare address is one host", "[access]") {
  auto a = parse_cidr("10.0.0.0/8");
  REQUIRE(a.ok());
  CHECK_FALSE(a->v6);
  CHECK(a->prefix == 8);
  CHECK(inside(*a, v4("10.200.3.4")));
  CHECK_FALSE(inside(*a, v4("11.0.0.1")));

  auto host = parse_cidr("127.0.0.2");
  REQUIRE(host.ok());
  CHECK(host->prefix == 32);
  CHECK(inside(*host, v4("127.0.0.2")));
  CHECK_FALSE(inside(*host, v4("127.0.0.3")));

  auto odd = parse_cidr("192.168.1.128/25");
  REQUIRE(odd.ok());
  CHECK(inside(*odd, v4("192.168.1.200")));
  CHECK_FALSE(inside(*odd, v4("192.168.1.127")));

  auto six = parse_cidr("fd00::/8");
  REQUIRE(six.ok());
  CHECK(six->v6);
  CHECK(inside(*six, v6("fd12:3456::1")));
  CHECK_FALSE(inside(*six, v6("fe80::1")));
  CHECK_FALSE(inside(*six, v4("10.0.0.1")));

  auto all = parse_cidr("0.0.0.0/0");
  REQUIRE(all.ok());
  CHECK(inside(*all, v4("203.0.113.9")));
}

TEST_CASE("Cidr::contains matches IPv4-mapped IPv6 peers as IPv4", "[access]") {
  auto a = parse_cidr("127.0.0.0/8");
  REQUIRE(a.ok());
  CHECK(inside(*a, v6("::ffff:127.0.0.5")));
  CHECK_FALSE(inside(*a, v6("::ffff:10.0.0.5")));
  auto loop6 = parse_cidr("::1/128");
  REQUIRE(loop6.ok());
  CHECK_FALSE(inside(*loop6, v6("::ffff:127.0.0.1")));
  CHECK(inside(*loop6, v6("::1")));
}

TEST_CASE("parse_cidr rejects what is not an address block", "[access]") {
  for (const char* bad : {"", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x", "host.example",
                          "10.0.0/8", "1.2.3.4/-1"}) {
    INFO(bad);
    auto r = parse_cidr(bad);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error(), Catch::Contains(bad));
  }
}

TEST_CASE("parse_id_list: numbers and names, users and groups", "[access]") {
  auto ids = parse_id_list("0,1000,root", true);
  REQUIRE(ids.ok());
  CHECK(*ids == std::vector<unsigned>{0, 1000, 0});
  auto groups = parse_id_list("root", false);
  REQUIRE(groups.ok());
  CHECK(*groups == std::vector<unsigned>{0});
  auto unknown = parse_id_list("no-such-user-here", true);
  REQUIRE_FALSE(unknown.ok());
  CHECK_THAT(unknown.error(), Catch::Contains("no-such-user-here"));
  CHECK_FALSE(parse_id_list("0,,1", true).ok());
  CHECK_FALSE(parse_id_list("", false).ok());
}

TEST_CASE("AccessPolicy: uid or gid admits; deny wins over allow", "[access]") {
  AccessPolicy p;
  std::string why;
  CHECK(p.admits_unix(1234, 1234, why)); // no rules: everyone
  p.allow_uids = {0};
  p.allow_gids = {100};
  CHECK(p.admits_unix(0, 5, why));
  CHECK(p.admits_unix(7, 100, why));
  CHECK_FALSE(p.admits_unix(65534, 65534, why));
  CHECK_THAT(why, Catch::Contains("65534"));

  AccessPolicy n;
  n.allow = {*parse_cidr("127.0.0.0/8")};
  n.deny = {*parse_cidr("127.0.0.3")};
  auto ok = v4("127.0.0.2");
  auto denied = v4("127.0.0.3");
  auto outside = v4("10.0.0.1");
  CHECK(n.admits_inet(reinterpret_cast<sockaddr*>(&ok), why));
  CHECK_FALSE(n.admits_inet(reinterpret_cast<sockaddr*>(&denied), why));
  CHECK_THAT(why, Catch::Contains("127.0.0.3"));
  CHECK_FALSE(n.admits_inet(reinterpret_cast<sockaddr*>(&outside), why));
}

TEST_CASE("parse_cidr: an IPv4-mapped block is the IPv4 block it stands for", "[access]") {
  auto host = parse_cidr("::ffff:127.0.0.2");
  REQUIRE(host.ok());
  CHECK_FALSE(host->v6);
  CHECK(host->prefix == 32);
  CHECK(host->text == "::ffff:127.0.0.2"); // messages show the rule as written
  CHECK(inside(*host, v4("127.0.0.2")));
  CHECK(inside(*host, v6("::ffff:127.0.0.2")));
  CHECK_FALSE(inside(*host, v4("127.0.0.3")));

  auto net = parse_cidr("::ffff:127.0.0.0/104");
  REQUIRE(net.ok());
  CHECK_FALSE(net->v6);
  CHECK(net->prefix == 8);
  CHECK(inside(*net, v4("127.0.0.1")));
  CHECK(inside(*net, v6("::ffff:127.9.8.7")));
  CHECK_FALSE(inside(*net, v4("10.0.0.1")));
  CHECK_FALSE(inside(*net, v6("::1")));

  auto all4 = parse_cidr("::ffff:0.0.0.0/96");
  REQUIRE(all4.ok());
  CHECK_FALSE(all4->v6);
  CHECK(all4->prefix == 0);
  CHECK(inside(*all4, v4("203.0.113.9")));
  CHECK_FALSE(inside(*all4, v6("2001:db8::1")));

  auto hex = parse_cidr("::ffff:7f00:2/128"); // the same address in hex groups
  REQUIRE(hex.ok());
  CHECK_FALSE(hex->v6);
  CHECK(inside(*hex, v4("127.0.0.2")));
}

TEST_CASE("Cidr::contains: a wider IPv6 block holds IPv4 peers as ::ffff:a.b.c.d", "[access]") {
  auto any = parse_cidr("::/0");
  REQUIRE(any.ok());
  CHECK(any->v6);
  CHECK(inside(*any, v4("127.0.0.1")));
  CHECK(inside(*any, v6("::ffff:10.1.2.3")));
  CHECK(inside(*any, v6("2001:db8::1")));

  auto low = parse_cidr("::/80"); // holds ::ffff:0:0/96, so every IPv4 address
  REQUIRE(low.ok());
  CHECK(inside(*low, v4("192.0.2.1")));
  CHECK(inside(*low, v6("::1")));

  auto edge = parse_cidr("::ffff:0:0/95");
  REQUIRE(edge.ok());
  CHECK(edge->v6);
  CHECK(inside(*edge, v4("198.51.100.7")));

  auto ula = parse_cidr("fd00::/8");
  REQUIRE(ula.ok());
  CHECK_FALSE(inside(*ula, v4("10.0.0.1")));
  auto compat = parse_cidr("::127.0.0.2"); // IPv4-compatible, not mapped: stays IPv6
  REQUIRE(compat.ok());
  CHECK(compat->v6);
  CHECK_FALSE(inside(*compat, v4("127.0.0.2")));

  auto four = parse_cidr("0.0.0.0/0"); // an IPv4 block never holds a real IPv6 peer
  REQUIRE(four.ok());
  CHECK_FALSE(inside(*four, v6("2001:db8::1")));
}

TEST_CASE("AccessPolicy: rules written as IPv4-mapped IPv6 apply to IPv4 peers", "[access]") {
  std::string why;
  auto peer2 = v4("127.0.0.2");
  auto mapped2 = v6("::ffff:127.0.0.2");
  auto peer1 = v4("127.0.0.1");

  AccessPolicy deny;
  deny.deny = {*parse_cidr("::ffff:127.0.0.2")};
  CHECK_FALSE(deny.admits_inet(reinterpret_cast<sockaddr*>(&peer2), why));
  CHECK_THAT(why, Catch::Contains("::ffff:127.0.0.2"));
  CHECK_FALSE(deny.admits_inet(reinterpret_cast<sockaddr*>(&mapped2), why));
  CHECK(deny.admits_inet(reinterpret_cast<sockaddr*>(&peer1), why));

  AccessPolicy allow;
  allow.allow = {*parse_cidr("::ffff:127.0.0.0/104")};
  CHECK(allow.admits_inet(reinterpret_cast<sockaddr*>(&peer1), why));
  auto outside = v4("10.0.0.1");
  CHECK_FALSE(allow.admits_inet(reinterpret_cast<sockaddr*>(&outside), why));

  AccessPolicy deny_all;
  deny_all.deny = {*parse_cidr("::/0")};
  CHECK_FALSE(deny_all.admits_inet(reinterpret_cast<sockaddr*>(&peer1), why));
}
