// Unit tests for seeing and shaping the stream: the hex formatter, LF to CRLF, the rate parser,
// the token bucket, and a session's taps through fake streams (-C, the -o log and the dump,
// --delay a line at a time, --rate in bursts, what comes back left alone).
#include "tap.hpp"

#include <catch2/catch.hpp>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

#include "duration.hpp"
#include "fake_stream.hpp"
#include "hub.hpp"
#include "relay.hpp"
#include "zero_copy_pump.hpp"

using ipcat::format_hex_chunk;
using ipcat::Session;
using ipcat::SessionResult;
using ipcat::SessionSettings;
using ipcat::StreamTraits;
using ipcat::TokenBucket;
using ipcat::test::make_fake;
using ipcat::test::run_until;
using namespace std::chrono_literals;

namespace {

std::span<const char> span_of(const std::string& s) {
  return {s.data(), s.size()};
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A temporary file name, removed at the end of the test.
struct TempPath {
  TempPath() {
    char name[] = "/tmp/ipcat-tap-test.XXXXXX";
    const int fd = ::mkstemp(name);
    REQUIRE(fd >= 0);
    ::close(fd);
    path = name;
  }
  ~TempPath() { std::remove(path.c_str()); }
  std::string path;
};

/// A session between fake "left" (stdio-like) and "right" (a socket) streams with a tap.
struct TapRig {
  explicit TapRig(SessionSettings settings, StreamTraits right_traits = socket()) {
    auto [l, ls] = make_fake(io, "left", StreamTraits{});
    auto [r, rs] = make_fake(io, "right", right_traits);
    left = ls;
    right = rs;
    session = std::make_shared<Session>(io, std::move(l), std::move(r), settings,
                                        [this](const SessionResult& res) { result = res; });
  }
  static StreamTraits socket() {
    StreamTraits t;
    t.socket = true;
    return t;
  }
  bool finishes(std::chrono::milliseconds bound = 2s) {
    session->start();
    session.reset();
    return run_until(
        io, [&] { return result.has_value(); }, bound);
  }
  asio::io_context io;
  std::shared_ptr<ipcat::test::FakeScript> left;
  std::shared_ptr<ipcat::test::FakeScript> right;
  std::shared_ptr<Session> session;
  std::optional<SessionResult> result;
};

} // namespace

TEST_CASE("hex dump: a header and hexdump -C lines, none left out", "[tap]") {
  // 2026-12-01T15:04:10.000123Z
  const auto at = std::chrono::system_clock::time_point(1796137450s + 123us);
  std::string data = "hello\n";
  data += std::string(16, '\0');
  data += "\x7f\xff~ ";
  const std::string text = format_hex_chunk(true, at, "tcp:127.0.0.1:80", span_of(data));
  CHECK(text == "> 2026-12-01T15:04:10.000123Z 26 bytes tcp:127.0.0.1:80\n"
                "00000000  68 65 6c 6c 6f 0a 00 00  00 00 00 00 00 00 00 00  |hello...........|\n"
                "00000010  00 00 00 00 00 00 7f ff  7e 20                    |........~ |\n");
  // Repeated lines are all written (hexdump -C would print '*').
  const std::string zeros(48, '\0');
  const std::string z = format_hex_chunk(false, at, "unix:/s", span_of(zeros));
  CHECK(z.rfind("< 2026-12-01T15:04:10.000123Z 48 bytes unix:/s\n", 0) == 0);
  CHECK(z.find("00000020  00 00") != std::string::npos);
  CHECK(z.find('*') == std::string::npos);
  CHECK(format_hex_chunk(true, at, "x", span_of(std::string("A"))) ==
        "> 2026-12-01T15:04:10.000123Z 1 byte x\n"
        "00000000  41                                                |A|\n");
  // An empty datagram is a header alone.
  CHECK(format_hex_chunk(true, at, "udp:h:1", {}) ==
        "> 2026-12-01T15:04:10.000123Z 0 bytes udp:h:1\n");
}

TEST_CASE("crlf: every LF becomes CRLF, a CR before it is kept", "[tap]") {
  std::string out;
  ipcat::expand_crlf(span_of(std::string("a\nb\n")), out);
  CHECK(out == "a\r\nb\r\n");
  out.clear();
  ipcat::expand_crlf(span_of(std::string("\r\n\n no newline")), out);
  CHECK(out == "\r\r\n\r\n no newline");
  out.clear();
  ipcat::expand_crlf({}, out);
  CHECK(out.empty());
}

TEST_CASE("rate: bytes a second, K/M/G powers of 1024", "[tap]") {
  CHECK(*ipcat::parse_rate("1500") == 1500);
  CHECK(*ipcat::parse_rate("500K") == 500 * 1024);
  CHECK(*ipcat::parse_rate("1M") == 1024 * 1024);
  CHECK(*ipcat::parse_rate("2g") == 2ULL * 1024 * 1024 * 1024);
  CHECK(*ipcat::parse_rate("1.5M") == 1572864);
  for (const char* bad : {"0", "5X", "", "M", "-1M", "0.1", "1e3", "inf", "1MB", " 1M"}) {
    INFO(bad);
    CHECK_FALSE(ipcat::parse_rate(bad).ok());
  }
  CHECK_THAT(ipcat::parse_rate("0").error(), Catch::Matchers::Contains("invalid rate '0'"));
}

TEST_CASE("token bucket: a burst at once, then the rate", "[tap]") {
  const auto t0 = TokenBucket::Clock::time_point{} + 1h;
  TokenBucket b(1000, 100, t0);
  CHECK(b.burst() == 100);
  CHECK(b.take(100, t0) == ipcat::Duration::zero());      // the full bucket
  CHECK(b.take(50, t0) == std::chrono::milliseconds(50)); // 50 bytes of debt at 1000/s
  // The debt was paid by waiting; 100 ms later 50 more bytes are there for the taking.
  CHECK(b.take(50, t0 + 100ms) == ipcat::Duration::zero());
  // A long pause refills no more than the burst.
  CHECK(b.take(100, t0 + 10s) == ipcat::Duration::zero());
  CHECK(b.take(1, t0 + 10s) == std::chrono::milliseconds(1));
  // A chunk larger than the burst (a datagram) goes out whole and is paid for afterwards.
  TokenBucket d(1000, 10, t0);
  CHECK(d.take(1010, t0) == std::chrono::seconds(1));
}

TEST_CASE("tap: -C and the -o log and dump in a session, what comes back unchanged", "[tap]") {
  TempPath log;
  TempPath dump;
  SessionSettings s;
  s.shape.crlf = true;
  s.shape.files = std::make_shared<ipcat::TapFiles>(dump.path, log.path, false);
  TapRig rig(s);
  rig.left->feed("a\nb\n");
  rig.left->feed_eof();
  rig.right->feed("x\ny\n");
  rig.right->feed_eof();
  REQUIRE(rig.finishes());
  CHECK(rig.result->status == 0);
  CHECK(rig.right->written == "a\r\nb\r\n");
  CHECK(rig.left->written == "x\ny\n");
  // Counted as read: the session sent 4 bytes (6 went out).
  CHECK(rig.result->sent == 4);
  const std::string raw = read_file(log.path);
  CHECK((raw == "a\r\nb\r\nx\ny\n" || raw == "x\ny\na\r\nb\r\n"));
  const std::string text = read_file(dump.path);
  CHECK(text.find(" 6 bytes right\n") != std::string::npos);
  CHECK(text.find("|a..b..|") != std::string::npos);
  CHECK(text.find("\n< ") + text.find("< ") != 2 * std::string::npos);
  CHECK(text.find("|x.y.|") != std::string::npos);
}

TEST_CASE("tap: the dump names the left side when it is the listener's client", "[tap]") {
  TempPath dump;
  SessionSettings s;
  s.peer_is_left = true;
  s.shape.files = std::make_shared<ipcat::TapFiles>(dump.path, std::nullopt, false);
  TapRig rig(s);
  rig.left->feed("q");
  rig.left->feed_eof();
  rig.right->feed_eof();
  REQUIRE(rig.finishes());
  CHECK(read_file(dump.path).find(" 1 byte left\n") != std::string::npos);
}

TEST_CASE("tap: --delay writes a line at a time with the pause between", "[tap]") {
  SessionSettings s;
  s.shape.delay = 30ms;
  TapRig rig(s);
  rig.left->feed("one\ntwo\nthree");
  rig.left->feed_eof();
  rig.right->feed_eof();
  const auto start = std::chrono::steady_clock::now();
  REQUIRE(rig.finishes());
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(rig.right->written == "one\ntwo\nthree");
  CHECK(rig.right->write_calls == 3);
  CHECK(took >= 60ms); // two pauses: between the three pieces
}

TEST_CASE("tap: --rate reads in bursts and paces them", "[tap]") {
  SessionSettings s;
  s.shape.rate = 20000; // bursts of 1000 bytes (a twentieth of a second's worth)
  TapRig rig(s);
  rig.left->feed(std::string(5000, 'r'));
  rig.left->feed_eof();
  rig.right->feed_eof();
  const auto start = std::chrono::steady_clock::now();
  REQUIRE(rig.finishes());
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(rig.right->written == std::string(5000, 'r'));
  CHECK(rig.right->write_calls == 5);
  // The first burst goes at once, the other four at 20000 bytes a second: 200 ms.
  CHECK(took >= 190ms);
  CHECK(took < 1500ms);
}

TEST_CASE("tap: a session stopped while pacing ends at once", "[tap]") {
  SessionSettings s;
  s.shape.delay = 10s;
  TapRig rig(s);
  rig.left->feed("a\nb\n");
  rig.right->feed_wait();
  auto session = rig.session;
  session->start();
  rig.session.reset();
  REQUIRE(run_until(rig.io, [&] { return rig.right->written == "a\n"; }));
  session->stop(143);
  REQUIRE(run_until(
      rig.io, [&] { return rig.result.has_value(); }, 1s));
  CHECK(rig.result->status == 143);
  CHECK(rig.right->written == "a\n");
}

TEST_CASE("tap files: one that cannot be opened is an error naming it", "[tap]") {
  CHECK_THROWS_WITH(ipcat::TapFiles("/nonexistent/dir/d", std::nullopt, false),
                    "--hex-dump /nonexistent/dir/d: No such file or directory");
  CHECK_THROWS_WITH(ipcat::TapFiles(std::nullopt, "/nonexistent/dir/o", true),
                    "--append-output /nonexistent/dir/o: No such file or directory");
}

TEST_CASE("tap: the hub dumps per client, -C and --delay apply to each client", "[tap]") {
  TempPath dump;
  asio::io_context io;
  ipcat::HubSettings settings;
  settings.shape.crlf = true;
  settings.shape.delay = 20ms;
  settings.shape.files = std::make_shared<ipcat::TapFiles>(dump.path, std::nullopt, false);
  auto [stdio, local] = make_fake(io, "stdio");
  ipcat::Hub hub(io, std::move(stdio), settings, [](int) {});
  hub.start();
  auto [s1, c1] = make_fake(io, "client-1");
  auto [s2, c2] = make_fake(io, "client-2");
  hub.add(std::move(s1));
  hub.add(std::move(s2));
  c1->feed("up\n");
  local->feed("a\nb\n");
  REQUIRE(run_until(io, [&] { return c1->written == "a\r\nb\r\n" && c2->written == c1->written; }));
  CHECK(c1->write_calls == 2); // a line at a time
  REQUIRE(run_until(io, [&] { return local->written == "up\n"; }));
  const std::string text = read_file(dump.path);
  CHECK(text.find(" 3 bytes client-1\n") != std::string::npos); // "up\n" back from client-1
  CHECK(text.find(" 3 bytes client-2\n") != std::string::npos); // "a\r\n" sent to client-2
  hub.stop();
  io.restart();
  io.run_for(1s);
}

namespace {

/// One end of a socket pair as a stream that reads or writes it.
class SocketEnd : public ipcat::FdStream {
public:
  SocketEnd(asio::io_context& io, int fd, bool reads)
      : FdStream(io, "sock", reads ? fd : -1, reads ? -1 : fd, socket_traits()), m_fd(fd) {}
  ~SocketEnd() override {
    m_rwait.release();
    ::close(m_fd);
  }
  void shutdown_write() override {}
  static StreamTraits socket_traits() {
    StreamTraits t;
    t.socket = true;
    t.zero_copy = true;
    return t;
  }

private:
  int m_fd;
};

} // namespace

TEST_CASE("zero-copy engine: -o tees the private pipe into the log", "[tap][zero-copy]") {
  TempPath log;
  const int log_fd = ::open(log.path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  REQUIRE(log_fd >= 0);
  int in[2];
  int out[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, in) == 0);
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, out) == 0);
  std::string data(300000, '\0');
  for (std::size_t i = 0; i < data.size(); ++i) {
    data[i] = static_cast<char>(i * 7 + i / 251);
  }
  asio::io_context io;
  SocketEnd src(io, in[1], true);
  SocketEnd dst(io, out[0], false);
  std::string got;
  bool stopped = false;
  ipcat::PumpCounters counts;
  std::string scratch(4096, '\0');
  ipcat::ZeroCopyPump engine(src, dst, ipcat::MoveKind::SpliceViaPipe, 65536,
                             std::span<char>(scratch.data(), scratch.size()), counts, stopped,
                             log_fd);
  std::optional<ipcat::PumpOutcome> outcome;
  asio::co_spawn(
      io, [&]() -> asio::awaitable<void> { outcome = co_await engine.run(); }, asio::detached);
  // Feed the source and drain the destination by hand, a piece at a time.
  std::size_t fed = 0;
  char buf[65536];
  const bool done = run_until(io, [&] {
    if (fed < data.size()) {
      const ssize_t w =
          ::write(in[0], data.data() + fed, std::min<std::size_t>(8192, data.size() - fed));
      if (w > 0) {
        fed += static_cast<std::size_t>(w);
      }
      if (fed == data.size()) {
        ::shutdown(in[0], SHUT_WR);
      }
    }
    for (ssize_t r; (r = ::read(out[1], buf, sizeof(buf))) > 0;) {
      got.append(buf, static_cast<std::size_t>(r));
    }
    return outcome.has_value();
  });
  REQUIRE(done);
  CHECK(outcome->end == ipcat::PumpEnd::EndOfInput);
  for (ssize_t r; (r = ::read(out[1], buf, sizeof(buf))) > 0;) {
    got.append(buf, static_cast<std::size_t>(r));
  }
  CHECK(got == data);
  ::close(log_fd);
  CHECK(read_file(log.path) == data);
  ::close(in[0]);
  ::close(out[1]);
}
