// Unit tests for the relay core without sockets: the end-of-session rules as a table of cases
// run against Session with fake streams, a few rules that need steps in between, and the
// zero-copy engine's outcomes on real pipes.
#include "relay.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <catch2/catch.hpp>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <sys/eventfd.h>
#include <unistd.h>

#include "fake_stream.hpp"
#include "zero_copy_pump.hpp"

using Catch::Matchers::Contains;
using ipcat::Session;
using ipcat::SessionResult;
using ipcat::SessionSettings;
using ipcat::StreamTraits;
using ipcat::test::FakeScript;
using ipcat::test::make_fake;
using ipcat::test::run_ready;
using ipcat::test::run_until;

namespace {

StreamTraits socket_traits() {
  StreamTraits t;
  t.socket = true;
  return t;
}
StreamTraits stdio_traits(bool tty = false) {
  StreamTraits t;
  t.quiet_broken_pipe = true;
  t.tty_input = tty;
  return t;
}
StreamTraits child_traits() {
  StreamTraits t;
  t.write_error_ends_direction = true;
  return t;
}
StreamTraits generator_traits(bool endless) {
  StreamTraits t;
  t.line_source = true;
  t.endless = endless;
  return t;
}
StreamTraits datagram_traits() {
  StreamTraits t = socket_traits();
  t.datagram = true;
  t.max_message = 65507;
  return t;
}

/// A session between two fake streams, "left" and "right".
struct SessionRig {
  SessionRig(StreamTraits lt, StreamTraits rt, SessionSettings settings = {}) {
    auto [l, ls] = make_fake(io, "left", lt);
    auto [r, rs] = make_fake(io, "right", rt);
    left = ls;
    right = rs;
    m_streams = {std::move(l), std::move(r)};
    m_settings = settings;
  }

  /// Starts the session (the scripts can be set up before).
  void start() {
    auto s = std::make_shared<Session>(io, std::move(m_streams.first), std::move(m_streams.second),
                                       m_settings, [this](const SessionResult& r) { result = r; });
    s->start();
  }
  /// Runs until the session has ended (2 s at most).
  bool finishes() {
    return run_until(io, [&] { return result.has_value(); });
  }

  asio::io_context io;
  std::shared_ptr<FakeScript> left;
  std::shared_ptr<FakeScript> right;
  std::optional<SessionResult> result;

private:
  std::pair<std::unique_ptr<ipcat::Stream>, std::unique_ptr<ipcat::Stream>> m_streams;
  SessionSettings m_settings;
};

/// One end-of-session rule: two endpoints, what they do, how the session must end.
struct EndCase {
  const char* rule;
  StreamTraits left;
  StreamTraits right;
  std::function<void(SessionSettings&)> settings;
  std::function<void(FakeScript& l, FakeScript& r)> script;
  int status;
  const char* message; ///< a part of the one line ("" for a normal end without a line)
  const char* left_got;
  const char* right_got;
};

std::string bytes(std::size_t n) {
  return std::string(n, 'x');
}

} // namespace

TEST_CASE("session: the end-of-session rules", "[relay]") {
  const auto none = [](SessionSettings&) {};
  const std::string hundred = bytes(100);
  const EndCase cases[] = {
      {"both inputs end: a normal end, each output half-closed", stdio_traits(), socket_traits(),
       none,
       [](FakeScript& l, FakeScript& r) {
         l.feed("ping\n");
         l.feed_eof();
         r.feed("pong\n");
         r.feed_eof();
       },
       0, "", "pong\n", "ping\n"},
      {"the peer closes altogether: the session ends although the local input is open",
       stdio_traits(), socket_traits(), none,
       [](FakeScript& l, FakeScript& r) {
         l.feed_wait();
         r.feed("bye\n");
         r.feed_eof();
         r.peer_gone = true;
       },
       0, "", "bye\n", ""},
      {"the network side ends while the local input is a terminal: the session ends",
       stdio_traits(true), socket_traits(), none,
       [](FakeScript& l, FakeScript& r) {
         l.feed_wait();
         r.feed_eof();
       },
       0, "", "", ""},
      {"a peer that resets with bytes held for it: status 1 and the count", stdio_traits(),
       socket_traits(), none,
       [&](FakeScript& l, FakeScript& r) {
         l.feed(hundred);
         l.feed_wait();
         r.fail_writes(ECONNRESET);
         r.feed_eof(); // what a reset socket reads after the error
       },
       1, "write right: Connection reset by peer: 100 bytes not delivered", "", ""},
      {"a peer that closed with our data unread (a pending reset): status 1", stdio_traits(),
       socket_traits(), none,
       [](FakeScript& l, FakeScript& r) {
         l.feed_wait();
         r.feed_eof();
         r.peer_gone = true;
         r.pending_error = ECONNRESET;
       },
       1, "Connection reset by peer", "", ""},
      {"a reset read from the peer: status 1", stdio_traits(), socket_traits(), none,
       [](FakeScript& l, FakeScript& r) {
         l.feed("q\n");
         l.feed_eof();
         r.feed_error(ECONNRESET);
       },
       1, "read right: Connection reset by peer", "", "q\n"},
      {"stdout closed (EPIPE): a quiet, normal end", stdio_traits(), socket_traits(), none,
       [](FakeScript& l, FakeScript& r) {
         l.feed_wait();
         l.fail_writes(EPIPE);
         r.feed("data\n");
         r.feed_wait();
       },
       0, "", "", ""},
      {"a child that stopped reading: only that direction ends, its answer still comes",
       stdio_traits(), child_traits(), none,
       [](FakeScript& l, FakeScript& r) {
         l.feed("input\n");
         l.feed_eof();
         r.fail_writes(EPIPE);
         r.feed("answer\n");
         r.feed_eof();
       },
       0, "", "answer\n", ""},
      {"an endless generator's consumer leaving is a normal end", generator_traits(true),
       socket_traits(), none,
       [](FakeScript& l, FakeScript& r) {
         l.writable = false;
         l.feed("u1\nu2\n");
         l.feed_wait();
         r.fail_writes(EPIPE);
         r.feed_eof();
       },
       0, "", "", ""},
      {"a counted generator's consumer leaving early loses lines: status 1",
       generator_traits(false), socket_traits(), none,
       [](FakeScript& l, FakeScript& r) {
         l.writable = false;
         l.feed("u1\nu2\n");
         l.feed_eof();
         r.fail_writes(EPIPE);
         r.feed_eof();
       },
       1, "write right: Broken pipe: 6 bytes not delivered", "", ""},
      {"-q 0: the session ends when the local input ends", stdio_traits(), socket_traits(),
       [](SessionSettings& s) { s.quit_after_input = std::chrono::seconds(0); },
       [](FakeScript& l, FakeScript& r) {
         l.feed("last\n");
         l.feed_eof();
         r.feed_wait();
       },
       0, "", "", "last\n"},
      {"-i: no data for that long is status 1", stdio_traits(), socket_traits(),
       [](SessionSettings& s) { s.idle_timeout = std::chrono::milliseconds(50); },
       [](FakeScript& l, FakeScript& r) {
         l.feed_wait();
         r.feed_wait();
       },
       1, "idle timeout: no data for 50ms", "", ""},
      {"--send-only: what the right side sends is read and dropped", stdio_traits(),
       socket_traits(), [](SessionSettings& s) { s.send_only = true; },
       [](FakeScript& l, FakeScript& r) {
         l.feed("mine\n");
         l.feed_eof();
         r.feed("theirs\n");
         r.feed_eof();
       },
       0, "", "", "mine\n"},
      {"-d: the local input is never read", stdio_traits(), socket_traits(),
       [](SessionSettings& s) { s.recv_only = true; },
       [](FakeScript& l, FakeScript& r) {
         l.feed("never\n");
         r.feed("theirs\n");
         r.feed_eof();
       },
       0, "", "theirs\n", ""},
      {"a failed read: status 1 and one line", stdio_traits(), socket_traits(), none,
       [](FakeScript& l, FakeScript& r) {
         l.feed_error(EIO);
         r.feed_wait();
       },
       1, "read left: Input/output error", "", ""},
      {"a failed write that is no peer leaving: status 1", stdio_traits(), child_traits(), none,
       [](FakeScript& l, FakeScript& r) {
         l.feed_wait();
         l.fail_writes(ENOSPC);
         r.feed("out\n");
         r.feed_wait();
       },
       1, "write left: No space left on device", "", ""},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.rule) {
      SessionSettings settings;
      c.settings(settings);
      SessionRig rig(c.left, c.right, settings);
      c.script(*rig.left, *rig.right);
      rig.start();
      REQUIRE(rig.finishes());
      CHECK(rig.result->status == c.status);
      if (*c.message == '\0') {
        CHECK(rig.result->message.empty());
      } else {
        CHECK_THAT(rig.result->message, Contains(c.message));
      }
      CHECK(rig.left->written == c.left_got);
      CHECK(rig.right->written == c.right_got);
    }
  }
}

TEST_CASE("session: the left input's end half-closes the right side; the reply still comes",
          "[relay]") {
  SessionRig rig(stdio_traits(), socket_traits());
  rig.left->feed("request\n");
  rig.left->feed_eof();
  rig.right->feed_wait();
  rig.start();
  REQUIRE(run_until(rig.io, [&] { return rig.right->shut_down; }));
  run_ready(rig.io);
  CHECK_FALSE(rig.result.has_value());
  rig.right->feed("reply\n");
  rig.right->feed_eof();
  REQUIRE(rig.finishes());
  CHECK(rig.result->status == 0);
  CHECK(rig.left->written == "reply\n");
  CHECK(rig.left->shut_down);
}

TEST_CASE("session: a peer that only half-closed, then hangs up, ends the session", "[relay]") {
  SessionRig rig(stdio_traits(), socket_traits());
  rig.left->feed_wait(); // the local input stays open
  rig.right->feed("r\n");
  rig.right->feed_eof(); // a half-close
  rig.start();
  REQUIRE(run_until(rig.io, [&] { return rig.left->written == "r\n"; }));
  run_ready(rig.io);
  CHECK_FALSE(rig.result.has_value());
  rig.right->hang_up();
  REQUIRE(rig.finishes());
  CHECK(rig.result->status == 0);
}

TEST_CASE("session: a terminal that hangs up (EIO) is the end of its input", "[relay]") {
  SessionRig rig(stdio_traits(true), socket_traits());
  rig.left->feed_error(EIO);
  rig.right->feed_wait();
  rig.start();
  REQUIRE(run_until(rig.io, [&] { return rig.right->shut_down; }));
  run_ready(rig.io);
  CHECK_FALSE(rig.result.has_value());
  rig.right->feed_eof();
  REQUIRE(rig.finishes());
  CHECK(rig.result->status == 0);
}

TEST_CASE("session: an empty datagram is a datagram, not the end", "[relay]") {
  SessionRig rig(datagram_traits(), datagram_traits());
  rig.left->feed_wait();
  rig.right->feed("a");
  rig.right->feed("");
  rig.right->feed("bc");
  rig.right->feed_wait();
  rig.start();
  REQUIRE(run_until(rig.io, [&] { return rig.left->written == "abc"; }));
  run_ready(rig.io);
  CHECK_FALSE(rig.result.has_value());
  CHECK(rig.left->write_calls == 3); // the empty one was written as an empty datagram
}

TEST_CASE("session: the bytes each way are counted", "[relay]") {
  SessionRig rig(stdio_traits(), socket_traits());
  rig.left->feed(bytes(3000));
  rig.left->feed_eof();
  rig.right->feed(bytes(70));
  rig.right->feed_eof();
  rig.right->max_write = 1000; // short writes
  rig.start();
  REQUIRE(rig.finishes());
  CHECK(rig.result->sent == 3000);
  CHECK(rig.result->received == 70);
}

// ---------------------------------------------------------------------------------------------
// The zero-copy engine on real pipes.

namespace {

/// One end of a pipe as a stream (read end or write end).
class PipeEnd : public ipcat::FdStream {
public:
  PipeEnd(asio::io_context& io, int fd, bool reads)
      : FdStream(io, reads ? "pipe-in" : "pipe-out", reads ? fd : -1, reads ? -1 : fd), m_fd(fd) {}
  ~PipeEnd() override {
    m_rwait.release();
    ::close(m_fd);
  }
  void shutdown_write() override {}

private:
  int m_fd;
};

struct Pipe {
  Pipe() {
    int fds[2];
    REQUIRE(::pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0);
    r = fds[0];
    w = fds[1];
  }
  int r;
  int w;
};

ipcat::PumpOutcome run_engine(asio::io_context& io, ipcat::Stream& src, ipcat::Stream& dst,
                              ipcat::MoveKind kind, ipcat::PumpCounters& counts, bool& stopped) {
  std::string scratch(4096, '\0');
  ipcat::ZeroCopyPump engine(src, dst, kind, 65536, std::span<char>(scratch.data(), scratch.size()),
                             counts, stopped);
  std::optional<ipcat::PumpOutcome> out;
  asio::co_spawn(
      io, [&]() -> asio::awaitable<void> { out = co_await engine.run(); }, asio::detached);
  run_until(io, [&] { return out.has_value(); });
  REQUIRE(out.has_value());
  return *out;
}

} // namespace

TEST_CASE("zero-copy engine: the end of the input, every byte handed over", "[relay][zero-copy]") {
  asio::io_context io;
  Pipe in;
  Pipe out;
  REQUIRE(::write(in.w, "hello", 5) == 5);
  ::close(in.w);
  PipeEnd src(io, in.r, true);
  PipeEnd dst(io, out.w, false);
  ipcat::PumpCounters counts;
  bool stopped = false;
  const auto o = run_engine(io, src, dst, ipcat::MoveKind::SpliceDirect, counts, stopped);
  CHECK(o.end == ipcat::PumpEnd::EndOfInput);
  CHECK(counts.taken == 5);
  CHECK(counts.given == 5);
  char buf[8] = {};
  CHECK(::read(out.r, buf, sizeof(buf)) == 5);
  ::close(out.r);
}

TEST_CASE("zero-copy engine: a reader gone is a write error", "[relay][zero-copy]") {
  std::signal(SIGPIPE, SIG_IGN); // as ipcat itself does: EPIPE where the write happens
  asio::io_context io;
  Pipe in;
  Pipe out;
  REQUIRE(::write(in.w, "hello", 5) == 5);
  ::close(out.r);
  PipeEnd src(io, in.r, true);
  PipeEnd dst(io, out.w, false);
  ipcat::PumpCounters counts;
  bool stopped = false;
  const auto o = run_engine(io, src, dst, ipcat::MoveKind::SpliceDirect, counts, stopped);
  CHECK(o.end == ipcat::PumpEnd::WriteError);
  CHECK(o.err == EPIPE);
  ::close(in.w);
}

TEST_CASE("zero-copy engine: a destination that takes no splice falls back", "[relay][zero-copy]") {
  asio::io_context io;
  Pipe in;
  REQUIRE(::write(in.w, "12345678", 8) == 8);
  const int efd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  REQUIRE(efd >= 0);
  PipeEnd src(io, in.r, true);
  PipeEnd dst(io, efd, false);
  ipcat::PumpCounters counts;
  bool stopped = false;
  const auto o = run_engine(io, src, dst, ipcat::MoveKind::SpliceDirect, counts, stopped);
  CHECK(o.end == ipcat::PumpEnd::Fallback);
  CHECK(counts.taken == 0);
  ::close(in.w);
}

TEST_CASE("zero-copy engine: a stopped session ends the run", "[relay][zero-copy]") {
  asio::io_context io;
  Pipe in;
  Pipe out;
  PipeEnd src(io, in.r, true);
  PipeEnd dst(io, out.w, false);
  ipcat::PumpCounters counts;
  bool stopped = false;
  std::string scratch(4096, '\0');
  ipcat::ZeroCopyPump engine(src, dst, ipcat::MoveKind::SpliceDirect, 65536,
                             std::span<char>(scratch.data(), scratch.size()), counts, stopped);
  std::optional<ipcat::PumpOutcome> result;
  asio::co_spawn(
      io, [&]() -> asio::awaitable<void> { result = co_await engine.run(); }, asio::detached);
  run_ready(io);
  CHECK_FALSE(result.has_value()); // waiting for input
  stopped = true;
  src.cancel();
  REQUIRE(run_until(io, [&] { return result.has_value(); }));
  CHECK(result->end == ipcat::PumpEnd::Stopped);
  ::close(in.w);
  ::close(out.r);
}
