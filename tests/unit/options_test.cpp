// Unit tests for the command line: the netcat forms and the socat-style address forms become the
// right pair of addresses and flags, every conflict is a usage error that names the problem, and
// the help text covers every option and address type.
#include "options.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

using Catch::Matchers::Contains;
using ipcat::AddressKind;
using ipcat::Family;
using ipcat::Options;
using ipcat::parse_options;
using ipcat::usage_text;
using ipcat::UuidVersion;
using Args = std::vector<std::string>;
using namespace std::chrono_literals;

namespace {

std::string joined(const Args& args) {
  std::string s;
  for (const auto& a : args) {
    s += s.empty() ? "" : " ";
    s += "'" + a + "'";
  }
  return "{" + s + "}";
}

/// Parses a command line (without argv[0]) that must be valid.
Options parse_ok(const Args& args) {
  const auto r = parse_options(args);
  INFO("parse_options(" << joined(args) << "): " << (r.ok() ? std::string("ok") : r.error()));
  REQUIRE(r.ok());
  return *r;
}

/// Checks that a command line is a usage error whose message contains each of the words.
void require_error(const Args& args, std::initializer_list<std::string_view> words) {
  const auto r = parse_options(args);
  INFO("parse_options(" << joined(args) << ")");
  REQUIRE_FALSE(r.ok());
  for (const auto word : words) {
    CHECK_THAT(r.error(), Contains(std::string(word)));
  }
}

} // namespace

TEST_CASE("netcat form: host port connects over TCP from stdio", "[options][netcat]") {
  const Options o = parse_ok({"host", "80"});
  CHECK(o.left.kind == AddressKind::Stdio);
  CHECK(o.right.kind == AddressKind::Tcp);
  CHECK(o.right.host == "host");
  CHECK(o.right.port == "80");
  CHECK(o.right.family == Family::Any);
  CHECK(o.family == Family::Any);
  CHECK_FALSE(o.keep_open);
  CHECK_FALSE(o.no_shutdown);
  CHECK_FALSE(o.recv_only);
  CHECK_FALSE(o.send_only);
  CHECK_FALSE(o.zero_io);
  CHECK_FALSE(o.echo);
  CHECK_FALSE(o.verbose);
  CHECK_FALSE(o.stats);
  CHECK_FALSE(o.retry);
  CHECK_FALSE(o.help);
  CHECK_FALSE(o.version);
  CHECK_FALSE(o.quit_after.has_value());
  CHECK_FALSE(o.connect_timeout.has_value());
  CHECK_FALSE(o.idle_timeout.has_value());
  CHECK(o.source_host.empty());
  CHECK(o.source_port.empty());
}

TEST_CASE("netcat form: IPv6 hosts, with or without brackets, and service names",
          "[options][netcat]") {
  const Options a = parse_ok({"::1", "80"});
  CHECK(a.right.kind == AddressKind::Tcp);
  CHECK(a.right.host == "::1");
  const Options b = parse_ok({"[::1]", "80"});
  CHECK(b.right.host == "::1");
  const Options c = parse_ok({"fe80::1", "http"});
  CHECK(c.right.host == "fe80::1");
  CHECK(c.right.port == "http");
}

TEST_CASE("netcat form: -l listens on TCP", "[options][netcat]") {
  SECTION("-l PORT") {
    const Options o = parse_ok({"-l", "8080"});
    CHECK(o.left.kind == AddressKind::Stdio);
    CHECK(o.right.kind == AddressKind::TcpListen);
    CHECK(o.right.host.empty());
    CHECK(o.right.port == "8080");
  }
  SECTION("-l HOST PORT, port 0") {
    const Options o = parse_ok({"-l", "127.0.0.1", "0"});
    CHECK(o.right.kind == AddressKind::TcpListen);
    CHECK(o.right.host == "127.0.0.1");
    CHECK(o.right.port == "0");
  }
  SECTION("-l -p PORT: -p names the listening port, not a source port") {
    const Options o = parse_ok({"-l", "-p", "8080"});
    CHECK(o.right.kind == AddressKind::TcpListen);
    CHECK(o.right.host.empty());
    CHECK(o.right.port == "8080");
    CHECK(o.source_port.empty());
  }
  SECTION("-l -s HOST -p PORT") {
    const Options o = parse_ok({"-l", "-s", "127.0.0.1", "-p", "8080"});
    CHECK(o.right.host == "127.0.0.1");
    CHECK(o.right.port == "8080");
    CHECK(o.source_host.empty());
    CHECK(o.source_port.empty());
  }
  SECTION("long form") {
    const Options o = parse_ok({"--listen", "9000"});
    CHECK(o.right.kind == AddressKind::TcpListen);
    CHECK(o.right.port == "9000");
  }
  SECTION("-k -l 0") {
    const Options o = parse_ok({"-k", "-l", "0"});
    CHECK(o.keep_open);
    CHECK(o.right.kind == AddressKind::TcpListen);
    CHECK(o.right.port == "0");
    CHECK(parse_ok({"--keep-open", "--listen", "0"}).keep_open);
  }
}

TEST_CASE("netcat form: -U and -u pick Unix and datagram sockets", "[options][netcat]") {
  SECTION("-lU PATH") {
    const Options o = parse_ok({"-lU", "/p"});
    CHECK(o.left.kind == AddressKind::Stdio);
    CHECK(o.right.kind == AddressKind::UnixListen);
    CHECK(o.right.path == "/p");
  }
  SECTION("-U PATH") {
    const Options o = parse_ok({"-U", "/p"});
    CHECK(o.right.kind == AddressKind::Unix);
    CHECK(o.right.path == "/p");
    CHECK(parse_ok({"--unix", "@abstract"}).right.path == "@abstract");
  }
  SECTION("-u HOST PORT") {
    const Options o = parse_ok({"-u", "h", "53"});
    CHECK(o.right.kind == AddressKind::Udp);
    CHECK(o.right.host == "h");
    CHECK(o.right.port == "53");
  }
  SECTION("-ul 0") {
    const Options o = parse_ok({"-ul", "0"});
    CHECK(o.right.kind == AddressKind::UdpListen);
    CHECK(o.right.host.empty());
    CHECK(o.right.port == "0");
  }
  SECTION("-uU PATH and -luU PATH") {
    const Options o = parse_ok({"-uU", "/p"});
    CHECK(o.right.kind == AddressKind::UnixDgram);
    CHECK(o.right.path == "/p");
    const Options l = parse_ok({"-luU", "/p"});
    CHECK(l.right.kind == AddressKind::UnixDgramListen);
    CHECK(parse_ok({"--udp", "--unix", "--listen", "/p"}).right.kind ==
          AddressKind::UnixDgramListen);
  }
}

TEST_CASE("netcat form: combined short flags", "[options][netcat]") {
  const Options a = parse_ok({"-lkU", "/p"});
  CHECK(a.keep_open);
  CHECK(a.right.kind == AddressKind::UnixListen);
  CHECK(a.right.path == "/p");
  // CLI11 lets the last flag of a group take the next word as its value, as nc users type it.
  const Options b = parse_ok({"-vlp", "8080"});
  CHECK(b.verbose);
  CHECK(b.right.kind == AddressKind::TcpListen);
  CHECK(b.right.port == "8080");
  const Options c = parse_ok({"-lp8080"});
  CHECK(c.right.kind == AddressKind::TcpListen);
  CHECK(c.right.port == "8080");
}

TEST_CASE("netcat form: the generator as the local side", "[options][uuid]") {
  SECTION("--uuid --count 10: ten UUIDs to stdout") {
    const Options o = parse_ok({"--uuid", "--count", "10"});
    CHECK(o.left.kind == AddressKind::Uuid);
    CHECK(o.left.uuid == UuidVersion::V4);
    REQUIRE(o.left.options.count.has_value());
    CHECK(*o.left.options.count == 10ULL);
    CHECK_FALSE(o.left.options.interval.has_value());
    CHECK(o.right.kind == AddressKind::Stdio);
  }
  SECTION("--uuid=v7 -lU PATH") {
    const Options o = parse_ok({"--uuid=v7", "-lU", "/p"});
    CHECK(o.left.kind == AddressKind::Uuid);
    CHECK(o.left.uuid == UuidVersion::V7);
    CHECK(o.right.kind == AddressKind::UnixListen);
    CHECK(o.right.path == "/p");
    CHECK(parse_ok({"--uuid=v4", "-U", "/p"}).left.uuid == UuidVersion::V4);
  }
  SECTION("--uuid takes no value from the next word") {
    const Options o = parse_ok({"--uuid", "host", "80"});
    CHECK(o.left.kind == AddressKind::Uuid);
    CHECK(o.left.uuid == UuidVersion::V4);
    CHECK(o.right.kind == AddressKind::Tcp);
    CHECK(o.right.host == "host");
    CHECK(o.right.port == "80");
  }
  SECTION("the UUID producer: one a second, echoed, on a Unix socket") {
    const Options o =
        parse_ok({"--uuid", "--interval", "1s", "--echo", "-lU", "/var/tmp/ipc.sock"});
    CHECK(o.left.kind == AddressKind::Uuid);
    REQUIRE(o.left.options.interval.has_value());
    CHECK(*o.left.options.interval == 1s);
    CHECK_FALSE(o.left.options.count.has_value());
    CHECK(o.echo);
    CHECK(o.right.kind == AddressKind::UnixListen);
    CHECK(o.right.path == "/var/tmp/ipc.sock");
  }
  SECTION("--interval 250ms with a single address") {
    const Options o = parse_ok({"--uuid", "--interval", "250ms", "fifo:p"});
    CHECK(o.left.kind == AddressKind::Uuid);
    CHECK(*o.left.options.interval == 250ms);
    CHECK(o.right.kind == AddressKind::Fifo);
    CHECK(o.right.path == "p");
  }
}

TEST_CASE("netcat form: -e and -c make a child the local side", "[options][exec]") {
  const Options e = parse_ok({"-e", "cat -n", "h", "80"});
  CHECK(e.left.kind == AddressKind::Exec);
  CHECK(e.left.path == "cat -n");
  CHECK_FALSE(e.left.shell);
  const Options c = parse_ok({"-c", "cat | tr a b", "-lU", "/p"});
  CHECK(c.left.kind == AddressKind::Exec);
  CHECK(c.left.path == "cat | tr a b");
  CHECK(c.left.shell);
  CHECK(c.right.kind == AddressKind::UnixListen);
  CHECK(parse_ok({"--exec", "cat", "h", "80"}).left.path == "cat");
  CHECK(parse_ok({"--sh-exec", "date", "tcp:h:1"}).left.shell);
}

TEST_CASE("options: --retry and --retry-interval", "[options][retry]") {
  const Options a = parse_ok({"--retry", "-U", "/p"});
  CHECK(a.retry);
  CHECK_FALSE(a.retry_count.has_value());
  CHECK(a.retry_interval == 1s);
  CHECK(a.right.kind == AddressKind::Unix);
  const Options b = parse_ok({"--retry=3", "-U", "/p"});
  CHECK(b.retry);
  REQUIRE(b.retry_count.has_value());
  CHECK(*b.retry_count == 3ULL);
  const Options c = parse_ok({"--retry", "--retry-interval", "250ms", "h", "80"});
  CHECK(c.retry_interval == 250ms);
  CHECK(c.right.kind == AddressKind::Tcp);
}

TEST_CASE("timeouts: -q, -w, -i", "[options][timeouts]") {
  const Options q0 = parse_ok({"-q", "0", "h", "80"});
  REQUIRE(q0.quit_after.has_value());
  CHECK(q0.quit_after->count() == 0);
  const Options q1 = parse_ok({"-q", "-1", "h", "80"});
  CHECK_FALSE(q1.quit_after.has_value());
  CHECK(q1.right.host == "h");
  const Options q2 = parse_ok({"-q", "2.5", "h", "80"});
  CHECK(*q2.quit_after == 2500ms);
  const Options w = parse_ok({"-w", "2", "h", "80"});
  REQUIRE(w.connect_timeout.has_value());
  CHECK(*w.connect_timeout == 2s);
  const Options i = parse_ok({"-i", "5", "h", "80"});
  REQUIRE(i.idle_timeout.has_value());
  CHECK(*i.idle_timeout == 5s);
  CHECK(*parse_ok({"--idle-timeout", "250ms", "h", "80"}).idle_timeout == 250ms);
}

TEST_CASE("options: --mode goes to the socket or FIFO ipcat creates", "[options][mode]") {
  const Options o = parse_ok({"--mode", "600", "-lU", "/p"});
  REQUIRE(o.right.options.mode.has_value());
  CHECK(*o.right.options.mode == 0600U);
  CHECK_FALSE(o.left.options.mode.has_value());
  const Options d = parse_ok({"--mode", "0660", "-luU", "/p"});
  CHECK(*d.right.options.mode == 0660U);
  const Options f = parse_ok({"--mode", "644", "fifo:p", "-"});
  CHECK(*f.left.options.mode == 0644U);
  CHECK_FALSE(f.right.options.mode.has_value());
}

TEST_CASE("global flags do not override an address's own options", "[options][mode]") {
  const Options c = parse_ok({"--count", "5", "uuid,count=3", "-"});
  CHECK(*c.left.options.count == 3ULL);
  const Options m = parse_ok({"--mode", "600", "unix-listen:/p,mode=644", "-"});
  CHECK(*m.left.options.mode == 0644U);
  const Options i = parse_ok({"--interval", "1s", "uuid,interval=2s", "-"});
  CHECK(*i.left.options.interval == 2s);
}

TEST_CASE("plain flags", "[options]") {
  const Options o = parse_ok({"-v", "--stats", "--echo", "-d", "--no-shutdown", "h", "80"});
  CHECK(o.verbose);
  CHECK(o.stats);
  CHECK(o.echo);
  CHECK(o.recv_only);
  CHECK_FALSE(o.send_only);
  CHECK(o.no_shutdown);
  CHECK(parse_ok({"--send-only", "h", "80"}).send_only);
  CHECK(parse_ok({"--recv-only", "h", "80"}).recv_only);
  CHECK(parse_ok({"--verbose", "h", "80"}).verbose);
  CHECK(parse_ok({"-z", "h", "80"}).zero_io);
  const Options n = parse_ok({"-N", "h", "80"});
  CHECK_FALSE(n.no_shutdown);
  const Options s = parse_ok({"-s", "10.0.0.1", "-p", "4000", "h", "80"});
  CHECK(s.source_host == "10.0.0.1");
  CHECK(s.source_port == "4000");
  CHECK(s.right.host == "h");
  CHECK(s.right.port == "80");
}

TEST_CASE("options: -4 and -6 restrict the family", "[options]") {
  const Options a = parse_ok({"-4", "tcp:h:1"});
  CHECK(a.family == Family::V4);
  CHECK(a.right.kind == AddressKind::Tcp);
  CHECK(a.right.family == Family::V4);
  const Options b = parse_ok({"-6", "h", "80"});
  CHECK(b.family == Family::V6);
  CHECK(b.right.family == Family::V6);
  const Options c = parse_ok({"-4", "-ul", "0"});
  CHECK(c.right.family == Family::V4);
  // An address that names its family keeps it.
  const Options d = parse_ok({"tcp6:h:1"});
  CHECK(d.right.family == Family::V6);
  CHECK(d.family == Family::Any);
}

TEST_CASE("address form: one address pairs with the local side", "[options][address]") {
  SECTION("unix:PATH") {
    const Options o = parse_ok({"unix:/p"});
    CHECK(o.left.kind == AddressKind::Stdio);
    CHECK(o.right.kind == AddressKind::Unix);
    CHECK(o.right.path == "/p");
  }
  SECTION("--uuid with one address") {
    const Options o = parse_ok({"--uuid=v7", "tcp:h:1"});
    CHECK(o.left.kind == AddressKind::Uuid);
    CHECK(o.left.uuid == UuidVersion::V7);
    CHECK(o.right.kind == AddressKind::Tcp);
  }
  SECTION("a lone '-' relays stdio to stdio") {
    // Decided from the code: "-" is an address, paired with the local side (stdio).
    const Options o = parse_ok({"-"});
    CHECK(o.left.kind == AddressKind::Stdio);
    CHECK(o.right.kind == AddressKind::Stdio);
  }
}

TEST_CASE("address form: two addresses", "[options][address]") {
  SECTION("uuid,count=3 -") {
    const Options o = parse_ok({"uuid,count=3", "-"});
    CHECK(o.left.kind == AddressKind::Uuid);
    REQUIRE(o.left.options.count.has_value());
    CHECK(*o.left.options.count == 3ULL);
    CHECK(o.right.kind == AddressKind::Stdio);
  }
  SECTION("unix-listen:/s tcp:127.0.0.1:80") {
    const Options o = parse_ok({"unix-listen:/s", "tcp:127.0.0.1:80"});
    CHECK(o.left.kind == AddressKind::UnixListen);
    CHECK(o.left.path == "/s");
    CHECK(o.right.kind == AddressKind::Tcp);
    CHECK(o.right.host == "127.0.0.1");
    CHECK(o.right.port == "80");
  }
  SECTION("fifo:p -") {
    const Options o = parse_ok({"fifo:p", "-"});
    CHECK(o.left.kind == AddressKind::Fifo);
    CHECK(o.right.kind == AddressKind::Stdio);
  }
  SECTION("-k with a listener address") {
    const Options o = parse_ok({"-k", "tcp-listen:0", "-"});
    CHECK(o.keep_open);
    CHECK(o.left.kind == AddressKind::TcpListen);
  }
}

TEST_CASE("options: -h and -V", "[options]") {
  CHECK(parse_ok({"-h"}).help);
  CHECK(parse_ok({"--help"}).help);
  CHECK_FALSE(parse_ok({"-h"}).version);
  CHECK(parse_ok({"-V"}).version);
  CHECK(parse_ok({"--version"}).version);
  CHECK_FALSE(parse_ok({"-V"}).help);
  // Help wins over an incomplete command line.
  CHECK(parse_ok({"-l", "-h"}).help);
}

TEST_CASE("usage errors: unknown options and wrong argument counts", "[options][errors]") {
  require_error({"--bogus"}, {"'--bogus'"});
  require_error({}, {"missing destination"});
  require_error({"host"}, {"missing port", "'host'"});
  require_error({"a", "b", "c"}, {"too many arguments"});
  require_error({"-l", "a", "b", "c"}, {"too many arguments"});
  require_error({"-l"}, {"missing port"});
  require_error({"-U"}, {"-U needs a socket path"});
  require_error({"-U", "/a", "/b"}, {"too many arguments", "-U"});
  require_error({"-q", "1", "-q", "2", "h", "80"}, {"-q"});
  require_error({"--count"}, {"--count"});
}

TEST_CASE("usage errors: bad ports and values name the word", "[options][errors]") {
  require_error({"-l", "70000"}, {"'70000'"});
  require_error({"h", "0"}, {"'0'"});
  require_error({"h", "abc-not-a-service"}, {"'abc-not-a-service'"});
  require_error({"-p", "x", "h", "80"}, {"-p", "'x'"});
  require_error({"-w", "x", "h", "80"}, {"-w", "'x'"});
  require_error({"-q", "abc", "h", "80"}, {"-q", "'abc'"});
  require_error({"-i", "0", "h", "80"}, {"-i"});
  require_error({"-w", "0", "h", "80"}, {"-w"});
  require_error({"-w", "0ms", "--ssl", "h", "443"}, {"-w"});
  require_error({"--retry=x", "h", "80"}, {"--retry", "'x'"});
  require_error({"--retry-interval", "soon", "h", "80"}, {"--retry-interval", "'soon'"});
  require_error({"--interval", "5parsecs", "--uuid"}, {"--interval", "'parsecs'"});
  require_error({"--uuid", "--count", "-1"}, {"--count"});
  require_error({"--uuid", "--count", "ten"}, {"--count", "'ten'"});
  require_error({"--uuid=v9"}, {"'v9'", "--uuid"});
  require_error({"--mode", "999", "-lU", "/p"}, {"--mode", "'999'"});
}

TEST_CASE("usage errors: conflicting flags", "[options][errors]") {
  require_error({"-k", "h", "80"}, {"-k"});
  require_error({"-z", "-l", "80"}, {"-z", "-l"});
  require_error({"-z", "tcp-listen:0"}, {"-z"});
  require_error({"-4", "-6", "h", "80"}, {"-4", "-6"});
  require_error({"-d", "--send-only", "h", "80"}, {"-d", "--send-only"});
  require_error({"-4", "-U", "/p"}, {"-4", "-U"});
  require_error({"-6", "-U", "/p"}, {"-6", "-U"});
  require_error({"-s", "1.2.3.4", "-U", "/p"}, {"-s", "-U"});
  require_error({"-p", "4000", "-U", "/p"}, {"-p", "-U"});
  require_error({"--retry", "-l", "80"}, {"--retry", "-l"});
  require_error({"--uuid", "-c", "cat", "-lU", "/p"}, {"--uuid", "-c"});
  require_error({"--uuid", "-e", "cat", "-lU", "/p"}, {"--uuid", "-e"});
  require_error({"-e", "a", "-c", "b", "h", "80"}, {"-e", "-c"});
  require_error({"-N", "--no-shutdown", "h", "80"}, {"-N", "--no-shutdown"});
  require_error({"-l", "-p", "80", "81"}, {"-p"});
  require_error({"-l", "-s", "h", "a", "80"}, {"-s"});
}

TEST_CASE("usage errors: flags that apply to nothing", "[options][errors]") {
  require_error({"--count", "3", "h", "80"}, {"--count", "generator"});
  require_error({"--interval", "1s", "-lU", "/p"}, {"--interval", "generator"});
  require_error({"--mode", "600", "h", "80"}, {"--mode"});
  require_error({"--mode", "600", "-U", "/p"}, {"--mode"});
}

TEST_CASE("usage errors: addresses", "[options][errors][address]") {
  require_error({"-l", "unix:/p"}, {"-l"});
  require_error({"-U", "unix:/p"}, {"-U"});
  require_error({"foo:bar", "-"}, {"unknown address type 'foo'"});
  // An unknown type in the netcat form gets that message, not "bad port".
  require_error({"bogus:thing", "80"}, {"unknown address type 'bogus'"});
  require_error({"unix-listen:/p,bogus=1"}, {"'bogus'"});
  require_error({"--uuid", "uuid", "-"}, {"--uuid"});
  require_error({"-e", "cat", "unix:/a", "unix:/b"}, {"-e"});
  require_error({"uuid", "uuid,count=1"}, {"two generators"});
  require_error({"-", "uuid"}, {"source"});
  require_error({"-k", "tcp-listen:0", "tcp-listen:1"}, {"-k", "two listeners"});
  require_error({"-k", "unix:/a", "-"}, {"-k"});
}

// With -U (or -l/-u) a lone word that happens to be an address type name ("pipe", "file",
// "uuid") or look like TYPE:ARGS ("a:b") is a path, host or port, not an address: -U's
// argument is a path, and "ipcat -l exec" listens on the exec service (512/tcp).
TEST_CASE("netcat form: -U takes a path even when it reads like an address type",
          "[options][netcat]") {
  for (const char* word : {"pipe", "file", "uuid", "stdio", "a:b", "tcp"}) {
    INFO(word);
    const Options o = parse_ok({"-lU", word});
    CHECK(o.right.kind == AddressKind::UnixListen);
    CHECK(o.right.path == word);
  }
  const Options o = parse_ok({"-l", "exec"});
  CHECK(o.right.kind == AddressKind::TcpListen);
  CHECK(o.right.port == "exec");
}

// A scoped link-local host ("fe80::1%eth0", as nc accepts) is a host, not TYPE:ARGS.
TEST_CASE("netcat form: scoped link-local IPv6 host", "[options][netcat]") {
  const Options o = parse_ok({"fe80::1%eth0", "80"});
  CHECK(o.right.kind == AddressKind::Tcp);
  CHECK(o.right.host == "fe80::1%eth0");
  CHECK(o.right.port == "80");
  CHECK(parse_ok({"[fe80::1%eth0]", "80"}).right.host == "fe80::1%eth0");
}

// The conflicts of the netcat form are rejected in the address form too.
TEST_CASE("address form: -4/-6/-s/-p conflicts are rejected too", "[options][errors]") {
  require_error({"-4", "unix:/p"}, {"-4"});
  require_error({"-6", "unix-listen:/p"}, {"-6"});
  require_error({"-s", "1.2.3.4", "unix:/p"}, {"-s"});
  require_error({"-p", "4000", "unix:/p"}, {"-p"});
  require_error({"-6", "tcp4:h:1"}, {"-6", "'tcp:h:1'"});
  require_error({"-4", "udp6-listen:0"}, {"-4"});
  CHECK(parse_ok({"-4", "tcp:h:1"}).right.family == Family::V4);
}

TEST_CASE("options: --uuid= with an empty value names --uuid", "[options][errors]") {
  require_error({"--uuid="}, {"--uuid="});
  const auto r = parse_options({"--uuid="});
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error(), !Contains("--uuid-version"));
  // The next word is not taken as the version.
  const auto h = parse_options({"--uuid=", "host", "80"});
  REQUIRE_FALSE(h.ok());
  CHECK_THAT(h.error(), Contains("--uuid="));
}

TEST_CASE("access flags: --allow, --deny, --allow-uid, --allow-gid take one value each",
          "[options][access]") {
  SECTION("the operands after the value stay positional") {
    const Options o = parse_ok({"-l", "--allow", "127.0.0.1", "38080"});
    CHECK(o.right.kind == AddressKind::TcpListen);
    CHECK(o.right.port == "38080");
    CHECK(o.access.allow.size() == 1);
    const Options h = parse_ok({"-l", "--deny", "10.0.0.0/8", "127.0.0.1", "38080"});
    CHECK(h.right.host == "127.0.0.1");
    CHECK(h.access.deny.size() == 1);
    const Options u = parse_ok({"--allow-uid", "0", "-lU", "/p"});
    CHECK(u.right.path == "/p");
    CHECK(u.access.allow_uids.size() == 1);
    const Options g = parse_ok({"-lU", "--allow-gid", "0", "/p"});
    CHECK(g.right.path == "/p");
    CHECK(g.access.allow_gids.size() == 1);
  }
  SECTION("repeats accumulate, in order") {
    const Options o = parse_ok({"-l", "--allow", "127.0.0.1", "--allow", "::1", "--deny",
                                "10.0.0.0/8", "--deny", "192.168.0.0/16", "0"});
    CHECK(o.access.allow.size() == 2);
    CHECK(o.access.deny.size() == 2);
    CHECK(o.right.port == "0");
    const Options u =
        parse_ok({"--allow-uid", "0", "--allow-uid", "1,2", "--allow-gid", "0", "-lU", "/p"});
    CHECK(u.access.allow_uids.size() == 3);
    CHECK(u.access.allow_gids.size() == 1);
  }
  SECTION("a missing value is an error") {
    require_error({"-l", "80", "--allow"}, {"--allow"});
  }
}

TEST_CASE("usage errors: the first unknown option is named alone", "[options][errors]") {
  const auto r = parse_options({"-J", "-b"});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error() == "unknown option '-J'");
  const auto s = parse_options({"host", "--bogus", "80", "--worse"});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error() == "unknown option '--bogus'");
  // After "--", a word that looks like an option is a positional.
  CHECK(parse_ok({"--", "-C", "80"}).right.host == "-C");
}

TEST_CASE("options: --mode needs a file that ipcat creates, not an abstract socket",
          "[options][errors]") {
  require_error({"-lU", "@name", "--mode", "600"}, {"--mode", "abstract", "@name"});
  require_error({"-luU", "@name", "--mode", "600"}, {"--mode", "abstract"});
  require_error({"--mode", "600", "unix-listen:@n"}, {"--mode", "abstract"});
  require_error({"unix-listen:@n,mode=600"}, {"mode", "abstract"});
  // With a FIFO beside it, --mode goes to the FIFO.
  const Options o = parse_ok({"--mode", "600", "fifo:f", "unix-listen:@n"});
  CHECK(o.left.options.mode == 0600U);
  CHECK_FALSE(o.right.options.mode.has_value());
  CHECK(parse_ok({"-lU", "/p", "--mode", "600"}).right.options.mode == 0600U);
}

TEST_CASE("netcat form: -Uu -s PATH names a Unix datagram client's own socket", "[options][unix]") {
  const Options o = parse_ok({"-Uu", "-s", "/tmp/me.sock", "/tmp/server.sock"});
  CHECK(o.right.kind == AddressKind::UnixDgram);
  CHECK(o.right.path == "/tmp/server.sock");
  CHECK(o.right.options.bind == "/tmp/me.sock");
  REQUIRE(o.right.written_options.size() == 1);
  CHECK(o.right.written_options[0].first == "bind");
  CHECK(o.source_host.empty());
  // The address form says the same with bind=.
  const Options a = parse_ok({"unix-dgram:/tmp/server.sock,bind=/tmp/me.sock"});
  CHECK(a.right.options.bind == "/tmp/me.sock");
  // Not for a stream socket, not for a listener; -p never applies to Unix sockets.
  require_error({"-U", "-s", "/tmp/me.sock", "/tmp/server.sock"}, {"-s", "-Uu"});
  require_error({"-lUu", "-s", "/tmp/me.sock", "/tmp/server.sock"}, {"-s", "-Uu"});
  require_error({"-Uu", "-p", "4000", "/tmp/server.sock"}, {"-p", "-U"});
  require_error({"unix:/tmp/s,bind=/tmp/me.sock"}, {"bind", "unix"});
  require_error({"-s", "/tmp/me.sock", "unix-dgram:/tmp/server.sock"}, {"-s"});
}

TEST_CASE("usage_text mentions every option and address type", "[options][usage]") {
  const std::string text = usage_text();
  for (const char* option : {"--listen",
                             "--unix",
                             "--udp",
                             "--keep-open",
                             "--no-shutdown",
                             "--idle-timeout",
                             "--recv-only",
                             "--send-only",
                             "--exec",
                             "--sh-exec",
                             "--uuid",
                             "--count",
                             "--interval",
                             "--echo",
                             "--retry",
                             "--retry-interval",
                             "--mode",
                             "--verbose",
                             "--stats",
                             "--help",
                             "--version",
                             "-l,",
                             "-U,",
                             "-u,",
                             "-k,",
                             "-4",
                             "-6",
                             "-s ADDR",
                             "-p PORT",
                             "-N",
                             "-q SECS",
                             "-w SECS",
                             "-i,",
                             "-z",
                             "-d,",
                             "-e,",
                             "-c,",
                             "-v,",
                             "-h,",
                             "-V,"}) {
    INFO(option);
    CHECK_THAT(text, Contains(option));
  }
  for (const char* type : {"stdio",
                           "unix:",
                           "unix-listen:",
                           "unix-dgram:",
                           "unix-dgram-listen:",
                           "tcp:",
                           "tcp-listen:",
                           "tcp4:",
                           "tcp6:",
                           "udp:",
                           "udp-listen:",
                           "udp4:",
                           "udp6:",
                           "fifo:",
                           "file:",
                           "exec:",
                           "uuid:v1|v3|v4|v5|v7",
                           "@NAME",
                           "mode=",
                           "count=",
                           "interval=",
                           "follow",
                           "once",
                           "namespace=",
                           "name="}) {
    INFO(type);
    CHECK_THAT(text, Contains(type));
  }
}

TEST_CASE("regressions found by fuzzing the option parser", "[options][errors][fuzz]") {
  // -p is checked in the address form as in the netcat form.
  require_error({"-p", "x", "tcp:h:80"}, {"-p", "'x'"});
  // Empty words are not a path or a host.
  require_error({"-lU", ""}, {"path"});
  require_error({"-U", ""}, {"path"});
  require_error({"", "80"}, {"host"});
  // An empty command is an error, not a silent fallback to stdio.
  require_error({"-c", "", "-lU", "/p"}, {"command"});
  require_error({"-e", "", "-lU", "/p"}, {"command"});
  // After "--", words are positionals even when they look like --uuid=.
  const Options o = parse_ok({"--", "--uuid=v7", "80"});
  CHECK(o.left.kind == AddressKind::Stdio);
  CHECK(o.right.host == "--uuid=v7");
}

TEST_CASE("the libuuid versions: --uuid=v1|v3|v5, --namespace and --name", "[options][uuid]") {
  SECTION("--uuid=v5 --namespace @dns --name example.com") {
    const Options o = parse_ok({"--uuid=v5", "--namespace", "@dns", "--name", "example.com"});
    CHECK(o.left.kind == AddressKind::Uuid);
    CHECK(o.left.uuid == UuidVersion::V5);
    REQUIRE(o.left.options.uuid_name.has_value());
    CHECK(*o.left.options.uuid_name == "example.com");
    REQUIRE(o.left.options.uuid_namespace.has_value());
    CHECK(*o.left.options.uuid_namespace == *ipcat::parse_uuid_namespace("@dns"));
    CHECK(o.right.kind == AddressKind::Stdio);
  }
  SECTION("--uuid=v1 and --uuid=v3") {
    CHECK(parse_ok({"--uuid=v1", "--count", "3"}).left.uuid == UuidVersion::V1);
    const Options o =
        parse_ok({"--uuid=V3", "--namespace=@url", "--name=host-%n", "--count", "2", "-lU", "/p"});
    CHECK(o.left.uuid == UuidVersion::V3);
    CHECK(*o.left.options.uuid_name == "host-%n");
    CHECK(o.right.kind == AddressKind::UnixListen);
  }
  SECTION("the flags reach a uuid address; its own options win") {
    const Options o = parse_ok({"--namespace", "@oid", "--name", "a", "uuid:v5,name=b", "-"});
    CHECK(*o.left.options.uuid_name == "b");
    CHECK(*o.left.options.uuid_namespace == *ipcat::parse_uuid_namespace("@oid"));
    const Options n = parse_ok({"--name", "", "--namespace", "@x500", "uuid:v3"});
    CHECK(n.left.options.uuid_name == std::string());
  }
  SECTION("a custom namespace UUID") {
    const Options o = parse_ok(
        {"--uuid=v3", "--namespace", "0f0e0d0c-0b0a-0908-0706-050403020100", "--name", "x"});
    CHECK((*o.left.options.uuid_namespace)[0] == 0x0f);
    CHECK((*o.left.options.uuid_namespace)[15] == 0x00);
  }
  SECTION("--uuid v5 asks for the '=' form") {
    require_error({"--uuid", "v5", "--name", "x"}, {"--uuid=v5"});
  }
}

TEST_CASE("the libuuid versions: bad input is a usage error", "[options][uuid][errors]") {
  require_error({"--uuid=v5", "--name", "x"}, {"uuid:v5", "namespace"});
  require_error({"--uuid=v3", "--namespace", "@dns"}, {"uuid:v3", "name"});
  require_error({"uuid:v5"}, {"uuid:v5", "namespace"});
  require_error({"--uuid=v3", "--namespace", "@nope", "--name", "x"}, {"--namespace", "'@nope'"});
  require_error({"--uuid=v3", "--namespace", "6ba7b810-9dad-11d1-80b4", "--name", "x"},
                {"--namespace", "not a UUID"});
  for (const char* v : {"--uuid=v1", "--uuid=v4", "--uuid=v7", "--uuid"}) {
    require_error({v, "--name", "x"}, {"v3 and v5"});
    require_error({v, "--namespace", "@dns"}, {"v3 and v5"});
  }
  require_error({"--name", "x", "host", "80"}, {"--name", "generator"});
  require_error({"--namespace", "@dns", "fifo:p", "-"}, {"--namespace", "generator"});
  require_error({"--uuid=v2"}, {"'v2'", "v1, v3, v4, v5 or v7"});
  require_error({"--uuid=v6"}, {"'v6'"});
}
