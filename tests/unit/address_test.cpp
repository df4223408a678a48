// Unit tests for the socat-style address parser: every type and alias, the options after
// commas, describe() round trips, the port check, looks_like_address, and for every bad input an
// error that names the offending word.
#include "address.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <string_view>

using Catch::Matchers::Contains;
using ipcat::Address;
using ipcat::AddressKind;
using ipcat::Family;
using ipcat::kind_name;
using ipcat::looks_like_address;
using ipcat::parse_address;
using ipcat::parse_port;
using ipcat::UuidVersion;

namespace {

/// Parses an address that must be valid.
Address parse_ok(std::string_view text) {
  const auto r = parse_address(text);
  INFO("parse_address(\"" << text << "\"): " << (r.ok() ? std::string("ok") : r.error()));
  REQUIRE(r.ok());
  return *r;
}

/// Checks that parse_address rejects text with a message that contains each of the words.
void require_error(std::string_view text, std::initializer_list<std::string_view> words) {
  const auto r = parse_address(text);
  INFO("parse_address(\"" << text << "\")");
  REQUIRE_FALSE(r.ok());
  for (const auto word : words) {
    CHECK_THAT(r.error(), Contains(std::string(word)));
  }
}

/// Checks that parse_port rejects text with a message that contains word.
void require_port_error(std::string_view text, bool allow_zero, const char* protocol,
                        std::string_view word) {
  const auto r = parse_port(text, allow_zero, protocol);
  INFO("parse_port(\"" << text << "\", " << allow_zero << ", " << protocol << ")");
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error(), Contains(std::string(word)));
}

std::string port_ok(std::string_view text, bool allow_zero, const char* protocol) {
  const auto r = parse_port(text, allow_zero, protocol);
  INFO("parse_port(\"" << text << "\"): " << (r.ok() ? std::string("ok") : r.error()));
  REQUIRE(r.ok());
  return *r;
}

} // namespace

TEST_CASE("parse_port: numbers, zero for listeners, service names", "[address][port]") {
  CHECK(port_ok("80", false, "tcp") == "80");
  CHECK(port_ok("1", false, "tcp") == "1");
  CHECK(port_ok("65535", false, "tcp") == "65535");
  CHECK(port_ok("0", true, "tcp") == "0");
  CHECK(port_ok("0080", false, "tcp") == "80"); // normalised to the plain number
  CHECK(port_ok("http", false, "tcp") == "http");
  CHECK(port_ok("domain", false, "udp") == "domain");
}

TEST_CASE("parse_port: rejects out of range, zero for connections, unknown services",
          "[address][port]") {
  require_port_error("70000", false, "tcp", "'70000'");
  require_port_error("65536", true, "tcp", "'65536'");
  require_port_error("99999999999999999999999", true, "tcp", "'99999999999999999999999'");
  require_port_error("0", false, "tcp", "'0'");
  require_port_error("abc-not-a-service", false, "tcp", "'abc-not-a-service'");
  require_port_error("-1", true, "tcp", "'-1'");
  require_port_error("+80", false, "tcp", "'+80'");
  require_port_error("", false, "tcp", "missing port");
  require_port_error("", true, "udp", "missing port");
}

TEST_CASE("parse_address: every type and alias gives its kind and family", "[address]") {
  struct Case {
    const char* text;
    AddressKind kind;
    Family family;
  };
  const Case cases[] = {
      {"-", AddressKind::Stdio, Family::Any},
      {"stdio", AddressKind::Stdio, Family::Any},
      {"unix:/p", AddressKind::Unix, Family::Any},
      {"unix-connect:/p", AddressKind::Unix, Family::Any},
      {"unix-listen:/p", AddressKind::UnixListen, Family::Any},
      {"unix-dgram:/p", AddressKind::UnixDgram, Family::Any},
      {"unix-sendto:/p", AddressKind::UnixDgram, Family::Any},
      {"unix-dgram-listen:/p", AddressKind::UnixDgramListen, Family::Any},
      {"unix-recvfrom:/p", AddressKind::UnixDgramListen, Family::Any},
      {"tcp:h:1", AddressKind::Tcp, Family::Any},
      {"tcp-connect:h:1", AddressKind::Tcp, Family::Any},
      {"tcp4:h:1", AddressKind::Tcp, Family::V4},
      {"tcp6:h:1", AddressKind::Tcp, Family::V6},
      {"tcp-listen:1", AddressKind::TcpListen, Family::Any},
      {"tcp4-listen:1", AddressKind::TcpListen, Family::V4},
      {"tcp6-listen:1", AddressKind::TcpListen, Family::V6},
      {"udp:h:1", AddressKind::Udp, Family::Any},
      {"udp-connect:h:1", AddressKind::Udp, Family::Any},
      {"udp4:h:1", AddressKind::Udp, Family::V4},
      {"udp6:h:1", AddressKind::Udp, Family::V6},
      {"udp-listen:1", AddressKind::UdpListen, Family::Any},
      {"udp4-listen:1", AddressKind::UdpListen, Family::V4},
      {"udp6-listen:1", AddressKind::UdpListen, Family::V6},
      {"fifo:p", AddressKind::Fifo, Family::Any},
      {"pipe:p", AddressKind::Fifo, Family::Any},
      {"file:p", AddressKind::File, Family::Any},
      {"exec:cat", AddressKind::Exec, Family::Any},
      {"system:cat", AddressKind::Exec, Family::Any},
      {"uuid", AddressKind::Uuid, Family::Any},
      {"uuid:v4", AddressKind::Uuid, Family::Any},
      {"uuid:v7", AddressKind::Uuid, Family::Any},
      {"TCP:host:80", AddressKind::Tcp, Family::Any},
      {"Unix-Listen:/p", AddressKind::UnixListen, Family::Any},
      {"STDIO", AddressKind::Stdio, Family::Any},
      {"Tcp6-Listen:1", AddressKind::TcpListen, Family::V6},
  };
  for (const auto& c : cases) {
    const Address a = parse_ok(c.text);
    INFO(c.text);
    CHECK(a.kind == c.kind);
    CHECK(a.family == c.family);
  }
}

TEST_CASE("parse_address: stdio and the UUID versions", "[address]") {
  CHECK(parse_ok("-").kind == AddressKind::Stdio);
  CHECK(parse_ok("-").path.empty());
  CHECK(parse_ok("stdio").describe() == "stdio");
  CHECK(parse_ok("uuid").uuid == UuidVersion::V4);
  CHECK(parse_ok("uuid:v4").uuid == UuidVersion::V4);
  CHECK(parse_ok("uuid:v7").uuid == UuidVersion::V7);
  CHECK(parse_ok("UUID:V7").uuid == UuidVersion::V7);
}

TEST_CASE("parse_address: Unix, FIFO and file paths", "[address]") {
  CHECK(parse_ok("unix:/tmp/s").path == "/tmp/s");
  CHECK(parse_ok("unix-connect:rel/s").path == "rel/s");
  CHECK(parse_ok("unix-listen:/var/tmp/ipc.sock").path == "/var/tmp/ipc.sock");
  CHECK(parse_ok("unix-dgram:/d").path == "/d");
  CHECK(parse_ok("unix-dgram-listen:/d").path == "/d");
  CHECK(parse_ok("Unix-Listen:/p").path == "/p");
  CHECK(parse_ok("fifo:/tmp/f").path == "/tmp/f");
  CHECK(parse_ok("file:storage").path == "storage");
  // A path keeps its colons: only the first one separates the type.
  CHECK(parse_ok("unix:/a:b").path == "/a:b");

  SECTION("abstract namespace") {
    const Address a = parse_ok("unix:@name");
    CHECK(a.kind == AddressKind::Unix);
    CHECK(a.path == "@name");
    CHECK(parse_ok("unix-listen:@ipcat").path == "@ipcat");
  }
}

TEST_CASE("parse_address: exec keeps the whole command, commas included", "[address]") {
  const Address a = parse_ok("exec:echo a,b");
  CHECK(a.kind == AddressKind::Exec);
  CHECK(a.path == "echo a,b");
  CHECK(a.shell);
  CHECK(parse_ok("exec:cat,mode=600").path == "cat,mode=600");
  CHECK(parse_ok("exec:printf '%s:%s' a b").path == "printf '%s:%s' a b");
  CHECK(parse_ok("system:ls -l").path == "ls -l");
}

TEST_CASE("parse_address: TCP and UDP hosts and ports", "[address]") {
  SECTION("connect: HOST:PORT") {
    const Address a = parse_ok("tcp:example.com:80");
    CHECK(a.kind == AddressKind::Tcp);
    CHECK(a.host == "example.com");
    CHECK(a.port == "80");
    CHECK(a.family == Family::Any);
  }
  SECTION("case-insensitive type, host kept as written") {
    const Address a = parse_ok("TCP:host:80");
    CHECK(a.kind == AddressKind::Tcp);
    CHECK(a.host == "host");
    CHECK(a.port == "80");
  }
  SECTION("IPv4 literal and service name") {
    const Address a = parse_ok("tcp:127.0.0.1:http");
    CHECK(a.host == "127.0.0.1");
    CHECK(a.port == "http");
  }
  SECTION("IPv6 literal in brackets") {
    const Address a = parse_ok("tcp6:[::1]:80");
    CHECK(a.host == "::1");
    CHECK(a.port == "80");
    CHECK(a.family == Family::V6);
    CHECK(parse_ok("udp:[2001:db8::1]:53").host == "2001:db8::1");
  }
  SECTION("tcp4") {
    const Address a = parse_ok("tcp4:10.0.0.1:22");
    CHECK(a.host == "10.0.0.1");
    CHECK(a.port == "22");
    CHECK(a.family == Family::V4);
  }
  SECTION("listen: PORT alone") {
    const Address a = parse_ok("tcp-listen:8080");
    CHECK(a.kind == AddressKind::TcpListen);
    CHECK(a.host.empty());
    CHECK(a.port == "8080");
  }
  SECTION("listen: HOST:PORT") {
    const Address a = parse_ok("tcp-listen:127.0.0.1:8080");
    CHECK(a.host == "127.0.0.1");
    CHECK(a.port == "8080");
  }
  SECTION("listen: [::1]:0") {
    const Address a = parse_ok("tcp-listen:[::1]:0");
    CHECK(a.kind == AddressKind::TcpListen);
    CHECK(a.host == "::1");
    CHECK(a.port == "0");
  }
  SECTION("listen: an empty host before the colon is any host") {
    const Address a = parse_ok("tcp-listen::8080");
    CHECK(a.host.empty());
    CHECK(a.port == "8080");
  }
  SECTION("udp") {
    const Address u = parse_ok("udp:h:53");
    CHECK(u.kind == AddressKind::Udp);
    CHECK(u.host == "h");
    CHECK(u.port == "53");
    const Address l = parse_ok("udp-listen:0");
    CHECK(l.kind == AddressKind::UdpListen);
    CHECK(l.host.empty());
    CHECK(l.port == "0");
  }
}

TEST_CASE("parse_address: options after commas", "[address][options]") {
  SECTION("mode on a Unix listener") {
    const Address a = parse_ok("unix-listen:/p,mode=600");
    CHECK(a.path == "/p");
    REQUIRE(a.options.mode.has_value());
    CHECK(*a.options.mode == 0600U);
    CHECK(*parse_ok("unix-dgram-listen:/d,mode=0660").options.mode == 0660U);
    CHECK(*parse_ok("fifo:f,mode=644").options.mode == 0644U);
  }
  SECTION("count and interval on the generator") {
    const Address a = parse_ok("uuid,count=10,interval=1s");
    CHECK(a.kind == AddressKind::Uuid);
    CHECK(a.uuid == UuidVersion::V4);
    REQUIRE(a.options.count.has_value());
    CHECK(*a.options.count == 10ULL);
    REQUIRE(a.options.interval.has_value());
    CHECK(*a.options.interval == std::chrono::seconds(1));
    const Address b = parse_ok("uuid:v7,interval=250ms");
    CHECK(b.uuid == UuidVersion::V7);
    CHECK(*b.options.interval == std::chrono::milliseconds(250));
    CHECK_FALSE(b.options.count.has_value());
    CHECK(*parse_ok("uuid,count=0").options.count == 0ULL);
  }
  SECTION("the libuuid versions, namespace and name") {
    CHECK(parse_ok("uuid:v1").uuid == UuidVersion::V1);
    CHECK(parse_ok("uuid:V3").uuid == UuidVersion::V3);
    const Address a = parse_ok("uuid:v5,namespace=@dns,name=example.com");
    CHECK(a.uuid == UuidVersion::V5);
    CHECK(*a.options.uuid_name == "example.com");
    CHECK(*a.options.uuid_namespace == *ipcat::parse_uuid_namespace("@dns"));
    CHECK(a.describe() == "uuid:v5");
    CHECK_FALSE(ipcat::check_uuid_inputs(a).has_value());
    const Address c = parse_ok("uuid:v3,name=h-%n,namespace=6ba7b811-9dad-11d1-80b4-00c04fd430c8");
    CHECK(*c.options.uuid_namespace == *ipcat::parse_uuid_namespace("@url"));
    CHECK(*c.options.uuid_name == "h-%n");
    // The checks that need the global flags first: v3/v5 without both, the others with one.
    CHECK(ipcat::check_uuid_inputs(parse_ok("uuid:v5,name=x")).has_value());
    CHECK(ipcat::check_uuid_inputs(parse_ok("uuid:v3,namespace=@dns")).has_value());
    CHECK(ipcat::check_uuid_inputs(parse_ok("uuid:v4,name=x")).has_value());
    CHECK(ipcat::check_uuid_inputs(parse_ok("uuid:v1,namespace=@dns")).has_value());
    CHECK_FALSE(ipcat::check_uuid_inputs(parse_ok("uuid:v7")).has_value());
  }
  SECTION("follow and once are plain flags") {
    const Address f = parse_ok("file:x,follow");
    CHECK(f.path == "x");
    CHECK(f.options.follow);
    CHECK_FALSE(f.options.once);
    const Address p = parse_ok("fifo:p,once");
    CHECK(p.path == "p");
    CHECK(p.options.once);
    CHECK_FALSE(p.options.follow);
    const Address both = parse_ok("fifo:p,mode=600,once");
    CHECK(both.options.once);
    CHECK(*both.options.mode == 0600U);
  }
  SECTION("no options: nothing set") {
    const Address a = parse_ok("unix-listen:/p");
    CHECK_FALSE(a.options.mode.has_value());
    CHECK_FALSE(a.options.count.has_value());
    CHECK_FALSE(a.options.interval.has_value());
    CHECK_FALSE(a.options.follow);
    CHECK_FALSE(a.options.once);
  }
}

TEST_CASE("Address::describe gives canonical text that parses back", "[address][describe]") {
  const char* canonical[] = {
      "stdio",
      "unix:/tmp/s",
      "unix:@abstract",
      "unix-listen:/p",
      "unix-dgram:/d",
      "unix-dgram-listen:/d",
      "tcp:example.com:80",
      "tcp:[::1]:80",
      "tcp-listen:8080",
      "tcp-listen:[::1]:0",
      "tcp-listen:127.0.0.1:0",
      "udp:h:53",
      "udp-listen:0",
      "fifo:/f",
      "file:/f",
      "exec:echo a,b",
      "uuid:v4",
      "uuid:v7",
      "uuid:v1",
      "uuid:v3",
      "uuid:v5",
  };
  for (const char* text : canonical) {
    INFO(text);
    const Address a = parse_ok(text);
    CHECK(a.describe() == text);
    const Address b = parse_ok(a.describe());
    CHECK(b.kind == a.kind);
    CHECK(b.path == a.path);
    CHECK(b.host == a.host);
    CHECK(b.port == a.port);
    CHECK(b.uuid == a.uuid);
  }
}

TEST_CASE("Address::describe normalises aliases and spellings", "[address][describe]") {
  CHECK(parse_ok("-").describe() == "stdio");
  CHECK(parse_ok("uuid").describe() == "uuid:v4");
  CHECK(parse_ok("TCP:host:80").describe() == "tcp:host:80");
  CHECK(parse_ok("Unix-Listen:/p").describe() == "unix-listen:/p");
  CHECK(parse_ok("unix-connect:/p").describe() == "unix:/p");
  CHECK(parse_ok("tcp-connect:h:1").describe() == "tcp:h:1");
  CHECK(parse_ok("pipe:p").describe() == "fifo:p");
  CHECK(parse_ok("system:ls").describe() == "exec:ls");
  CHECK(parse_ok("unix-sendto:/d").describe() == "unix-dgram:/d");
  CHECK(parse_ok("unix-recvfrom:/d").describe() == "unix-dgram-listen:/d");
  CHECK(parse_ok("tcp:h:0080").describe() == "tcp:h:80");
  CHECK(parse_ok("tcp-listen::8080").describe() == "tcp-listen:8080");
  CHECK(parse_ok("unix-listen:/p,mode=600").describe() == "unix-listen:/p");
  CHECK(Address{}.describe() == "stdio");
}

TEST_CASE("kind_name names every kind as addresses spell it", "[address]") {
  CHECK(kind_name(AddressKind::Stdio) == "stdio");
  CHECK(kind_name(AddressKind::Unix) == "unix");
  CHECK(kind_name(AddressKind::UnixListen) == "unix-listen");
  CHECK(kind_name(AddressKind::UnixDgram) == "unix-dgram");
  CHECK(kind_name(AddressKind::UnixDgramListen) == "unix-dgram-listen");
  CHECK(kind_name(AddressKind::Tcp) == "tcp");
  CHECK(kind_name(AddressKind::TcpListen) == "tcp-listen");
  CHECK(kind_name(AddressKind::Udp) == "udp");
  CHECK(kind_name(AddressKind::UdpListen) == "udp-listen");
  CHECK(kind_name(AddressKind::Fifo) == "fifo");
  CHECK(kind_name(AddressKind::File) == "file");
  CHECK(kind_name(AddressKind::Exec) == "exec");
  CHECK(kind_name(AddressKind::Uuid) == "uuid");
}

TEST_CASE("Address predicates: listener, inet, unix, datagram", "[address]") {
  const Address ul = parse_ok("unix-listen:/p");
  CHECK(ul.is_listener());
  CHECK(ul.is_unix());
  CHECK_FALSE(ul.is_inet());
  CHECK_FALSE(ul.is_datagram());
  const Address udl = parse_ok("unix-dgram-listen:/p");
  CHECK(udl.is_listener());
  CHECK(udl.is_datagram());
  const Address t = parse_ok("tcp:h:1");
  CHECK(t.is_inet());
  CHECK_FALSE(t.is_listener());
  CHECK_FALSE(t.is_datagram());
  const Address u = parse_ok("udp-listen:1");
  CHECK(u.is_inet());
  CHECK(u.is_listener());
  CHECK(u.is_datagram());
  for (const char* text : {"-", "fifo:p", "file:p", "exec:cat", "uuid"}) {
    INFO(text);
    const Address a = parse_ok(text);
    CHECK_FALSE(a.is_listener());
    CHECK_FALSE(a.is_inet());
    CHECK_FALSE(a.is_unix());
    CHECK_FALSE(a.is_datagram());
  }
}

TEST_CASE("parse_address: unknown types and options are named", "[address][errors]") {
  require_error("foo:bar", {"unknown address type 'foo'"});
  require_error("foo", {"'foo'"});
  require_error("-,once", {"unknown address type '-'"});
  require_error("unix-listen:/p,bogus=1", {"unknown option 'bogus'"});
  require_error("uuid,bogus", {"unknown option 'bogus'"});
  require_error("", {"empty address"});
}

TEST_CASE("parse_address: options that do not apply to the type", "[address][errors]") {
  require_error("unix:/p,mode=600", {"'mode'", "unix"});
  require_error("tcp-listen:1,mode=600", {"'mode'", "tcp-listen"});
  require_error("uuid,follow", {"'follow'", "uuid"});
  require_error("uuid,once", {"'once'", "uuid"});
  require_error("uuid:v5,namespace=@foo,name=x", {"'@foo'", "uuid:v5,namespace=@foo,name=x"});
  require_error("uuid:v5,namespace=123,name=x", {"'123'", "not a UUID"});
  require_error("uuid:v5,namespace=@dns,name=", {"'name'", "needs a value"});
  require_error("uuid:v6", {"'v6'", "v1, v3, v4, v5 or v7"});
  require_error("fifo:p,name=x", {"'name'", "fifo"});
  require_error("file:x,once", {"'once'", "file"});
  require_error("fifo:p,follow", {"'follow'", "fifo"});
  require_error("fifo:p,count=1", {"'count'", "fifo"});
  require_error("unix-listen:/p,interval=1s", {"'interval'", "unix-listen"});
  require_error("stdio,mode=600", {"'mode'", "stdio"});
}

TEST_CASE("parse_address: option values missing, extra or bad", "[address][errors]") {
  require_error("uuid,count", {"'count'", "needs a value"});
  require_error("uuid,count=", {"'count'", "needs a value"});
  require_error("unix-listen:/p,mode", {"'mode'", "needs a value"});
  require_error("uuid,interval", {"'interval'", "needs a value"});
  require_error("uuid,count=x", {"invalid count 'x'"});
  require_error("uuid,count=-1", {"'-1'"});
  require_error("uuid,interval=5parsecs", {"'parsecs'"});
  require_error("unix-listen:/p,mode=9", {"invalid mode '9'"});
  require_error("unix-listen:/p,mode=77777", {"'77777'"});
  require_error("fifo:p,once=1", {"'once'", "takes no value"});
  require_error("file:x,follow=yes", {"'follow'", "takes no value"});
  require_error("file:x,follow=", {"'follow'", "takes no value"});
  require_error("uuid,,count=1", {"empty option", "'uuid,,count=1'"});
  require_error("uuid,", {"empty option"});
  require_error("unix:/p,", {"empty option"});
}

TEST_CASE("parse_address: bad hosts and ports", "[address][errors]") {
  require_error("tcp:host", {"'tcp:host'", "HOST:PORT"});
  require_error("tcp:", {"'tcp:'", "HOST:PORT"});
  require_error("tcp", {"'tcp'", "HOST:PORT"});
  require_error("tcp-listen:", {"'tcp-listen:'", "PORT"});
  require_error("tcp:[::1:80", {"'tcp:[::1:80'", "missing ']'"});
  require_error("tcp:::1:80", {"'tcp:::1:80'", "brackets"});
  require_error("tcp:fe80::1:80", {"'tcp:fe80::1:80'", "brackets"});
  require_error("tcp:[::1]", {"'tcp:[::1]'", "missing port"});
  require_error("tcp:[::1]80", {"'tcp:[::1]80'", "missing port"});
  require_error("tcp:[host]:80", {"'host' is not an IPv6 address"});
  require_error("tcp:[]:80", {"'' is not an IPv6 address"});
  require_error("tcp::80", {"'tcp::80'", "missing host"});
  require_error("tcp:h:", {"missing port", "'tcp:h:'"});
  require_error("tcp:host:70000", {"'70000'", "'tcp:host:70000'"});
  require_error("tcp:host:0", {"'0'"});
  require_error("udp:host:0", {"'0'"});
  require_error("tcp-listen:65536", {"'65536'"});
  require_error("tcp:host:abc-not-a-service", {"'abc-not-a-service'"});
}

TEST_CASE("parse_address: bad arguments for stdio, uuid, paths and commands", "[address][errors]") {
  require_error("uuid:v9", {"'v9'"});
  require_error("uuid:4", {"'4'"});
  require_error("stdio:x", {"'stdio:x'"});
  require_error("unix:", {"missing path", "'unix:'"});
  require_error("unix", {"missing path"});
  require_error("unix-listen:", {"missing path"});
  require_error("unix:,mode=600", {"missing path"});
  require_error("fifo:", {"missing path"});
  require_error("file:", {"missing path"});
  require_error("exec:", {"missing command"});
  require_error("exec", {"missing command"});
}

// A scoped IPv6 literal (link-local with a zone, as OpenBSD nc and socat accept): the zone is
// for getaddrinfo, and the address part is checked.
TEST_CASE("parse_address: scoped link-local IPv6 literal", "[address]") {
  const Address a = parse_ok("tcp:[fe80::1%eth0]:80");
  CHECK(a.host == "fe80::1%eth0");
  CHECK(a.port == "80");
  CHECK(a.describe() == "tcp:[fe80::1%eth0]:80");
  CHECK(parse_ok("udp-listen:[fe80::1%2]:0").host == "fe80::1%2");
  require_error("tcp:[fe80::zz%eth0]:80", {"is not an IPv6 address"});
}

TEST_CASE("parse_address: bind= names a Unix datagram client's own socket", "[address]") {
  const Address a = parse_ok("unix-dgram:/tmp/s,bind=/tmp/me.sock");
  CHECK(a.options.bind == "/tmp/me.sock");
  CHECK(parse_ok("unix-sendto:@srv,bind=@me").options.bind == "@me");
  require_error("unix-dgram:/tmp/s,bind", {"'bind'", "needs a value"});
  require_error("unix-dgram:/tmp/s,bind=", {"'bind'", "needs a value"});
  require_error("unix:/tmp/s,bind=/tmp/me", {"'bind'", "does not apply to unix"});
  require_error("unix-dgram-listen:/tmp/s,bind=/tmp/me", {"'bind'", "unix-dgram-listen"});
}

TEST_CASE("parse_address: mode does not apply to an abstract socket", "[address][errors]") {
  require_error("unix-listen:@n,mode=600", {"'mode'", "abstract", "'unix-listen:@n,mode=600'"});
  require_error("unix-dgram-listen:@n,mode=600", {"abstract"});
  CHECK(parse_ok("unix-listen:/p,mode=600").options.mode == 0600U);
  // A FIFO or file named "@x" is an ordinary file.
  CHECK(parse_ok("fifo:@x,mode=600").options.mode == 0600U);
}

TEST_CASE("parse_address: the options are kept in the order written", "[address]") {
  const Address a = parse_ok("uuid:v7,interval=1s,count=3");
  REQUIRE(a.written_options.size() == 2);
  CHECK(a.written_options[0] == std::pair<std::string, std::string>{"interval", "1s"});
  CHECK(a.written_options[1] == std::pair<std::string, std::string>{"count", "3"});
  const Address f = parse_ok("fifo:p,once,mode=600");
  REQUIRE(f.written_options.size() == 2);
  CHECK(f.written_options[0].first == "once");
  CHECK(f.written_options[0].second.empty());
  CHECK(f.written_options[1].first == "mode");
  CHECK(parse_ok("unix:/p").written_options.empty());
}

TEST_CASE("looks_like_address: addresses versus netcat hosts and ports", "[address]") {
  for (const char* word : {"-", "stdio", "uuid", "tcp:h:1", "unix:/p", "foo:bar", "STDIO",
                           "uuid,count=3", "unix", "tcp-listen:0", "exec:ls -l"}) {
    INFO(word);
    CHECK(looks_like_address(word));
  }
  for (const char* word :
       {"localhost", "80", "::1", "fe80::1", "dead:beef::1", "1.2.3.4", "/path", "", "[::1]",
        "::", "2001:db8::1", "1.2.3.4:80", "./a:b", "http", "example.com"}) {
    INFO(word);
    CHECK_FALSE(looks_like_address(word));
  }
}
