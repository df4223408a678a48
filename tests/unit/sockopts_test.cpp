// Unit tests for nc.openbsd's socket flags: -T's keywords and numbers, -M, -I/-O, and where the
// command line carries them.
#include "sockopts.hpp"

#include <catch2/catch.hpp>

#include "options.hpp"

using ipcat::parse_buffer_size;
using ipcat::parse_tos;
using ipcat::parse_ttl;

TEST_CASE("TOS (-T): nc.openbsd's keywords, the DiffServ code points, numbers", "[sockopts]") {
  CHECK(*parse_tos("lowdelay") == 0x10);
  CHECK(*parse_tos("throughput") == 0x08);
  CHECK(*parse_tos("reliability") == 0x04);
  CHECK(*parse_tos("lowcost") == 0x02);
  CHECK(*parse_tos("critical") == 0xa0);
  CHECK(*parse_tos("inetcontrol") == 0xc0);
  CHECK(*parse_tos("netcontrol") == 0xe0);
  CHECK(*parse_tos("ef") == 0xb8);
  CHECK(*parse_tos("af11") == 0x28);
  CHECK(*parse_tos("af12") == 0x30);
  CHECK(*parse_tos("af23") == 0x58);
  CHECK(*parse_tos("af43") == 0x98);
  CHECK(*parse_tos("cs0") == 0x00);
  CHECK(*parse_tos("cs1") == 0x20);
  CHECK(*parse_tos("cs7") == 0xe0);
  CHECK(*parse_tos("0") == 0);
  CHECK(*parse_tos("184") == 184);
  CHECK(*parse_tos("0x2e") == 0x2e);
  CHECK(*parse_tos("0XFF") == 255);
  for (const char* bad :
       {"", "256", "-1", "0x100", "0x", "lowdelays", "LOWDELAY", "af14", "cs8", "1.5", " 16"}) {
    INFO(bad);
    CHECK_FALSE(parse_tos(bad).ok());
  }
}

TEST_CASE("TTL (-M) and buffer sizes (-I, -O): ranges", "[sockopts]") {
  CHECK(*parse_ttl("1") == 1);
  CHECK(*parse_ttl("255") == 255);
  CHECK_FALSE(parse_ttl("0").ok());
  CHECK_FALSE(parse_ttl("256").ok());
  CHECK_FALSE(parse_ttl("x").ok());
  CHECK(*parse_buffer_size("65536") == 65536);
  CHECK_FALSE(parse_buffer_size("0").ok());
  CHECK_FALSE(parse_buffer_size("2147483648").ok());
}

TEST_CASE("socket flags go to the TCP and UDP endpoints only", "[sockopts]") {
  auto o = ipcat::parse_options(
      {"-n", "-T", "ef", "-M", "9", "-I", "1000", "-O", "2000", "127.0.0.1", "80"});
  REQUIRE(o.ok());
  const auto& s = o->right.options.sock;
  CHECK(s.numeric);
  CHECK(*s.tos == 0xb8);
  CHECK(*s.ttl == 9);
  CHECK(*s.rcvbuf == 1000);
  CHECK(*s.sndbuf == 2000);
  CHECK_FALSE(o->left.options.sock.tos.has_value());
  CHECK(ipcat::parse_options({"-b", "-u", "127.0.0.1", "9"})->right.options.sock.broadcast);
  CHECK_FALSE(ipcat::parse_options({"-b", "127.0.0.1", "9"}).ok());
  CHECK_FALSE(ipcat::parse_options({"-T", "ef", "-U", "/tmp/s"}).ok());
  CHECK(ipcat::parse_options({"-T", "ef", "unix-listen:/tmp/s", "tcp:h:1"}).ok());
  CHECK(ipcat::parse_options({"--stderr", "-c", "cat", "h", "1"})->left.options.child_stderr);
  CHECK_FALSE(ipcat::parse_options({"--stderr", "h", "1"}).ok());
}
