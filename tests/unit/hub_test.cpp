// Unit tests for the -k hub: a real io_context, fake streams for stdio and the clients. Stdin
// reaches every client, is not read without one, and what no client got goes to the next one;
// client lines reach stdout whole, long lines included; a client's failure ends only that
// client; the hub waits for a slow stdout without busy waking; stop() ends every coroutine.
#include "hub.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <catch2/catch.hpp>

#include <cerrno>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "fake_stream.hpp"

using ipcat::Hub;
using ipcat::HubSettings;
using ipcat::test::FakeScript;
using ipcat::test::make_fake;
using ipcat::test::run_ready;
using ipcat::test::run_until;

namespace {

/// A hub on stdio (a fake) with a helper to add fake clients; stop() at the end must let every
/// coroutine of the hub return.
struct HubRig {
  explicit HubRig(HubSettings settings = {}, ipcat::StreamTraits stdio = {}) {
    auto [stream, script] = make_fake(io, "stdio", stdio);
    local = script;
    hub = std::make_unique<Hub>(io, std::move(stream), settings,
                                [this](int status) { ends.push_back(status); });
    hub->start();
  }
  HubRig(const HubRig&) = delete;
  HubRig& operator=(const HubRig&) = delete;
  ~HubRig() { stop(); }

  /// Connects one more client.
  std::shared_ptr<FakeScript> add(const std::string& name) {
    auto [stream, script] = make_fake(io, name);
    hub->add(std::move(stream));
    return script;
  }

  /// Stops the hub and runs until nothing is left to do; true when everything ended.
  bool stop() {
    if (!hub) {
      return true;
    }
    hub->stop();
    io.restart();
    io.run_for(std::chrono::seconds(2));
    const bool all_ended = io.stopped();
    hub.reset();
    return all_ended;
  }

  asio::io_context io;
  std::shared_ptr<FakeScript> local;
  std::vector<int> ends;
  std::unique_ptr<Hub> hub;
};

std::string xs(std::size_t n) {
  return std::string(n, 'x');
}

} // namespace

TEST_CASE("hub: stdin goes to every client", "[hub]") {
  HubRig rig;
  auto a = rig.add("a");
  auto b = rig.add("b");
  rig.local->feed("hello\n");
  REQUIRE(run_until(rig.io, [&] { return a->written == "hello\n" && b->written == "hello\n"; }));
  rig.local->feed("world\n");
  REQUIRE(run_until(rig.io, [&] { return b->written == "hello\nworld\n"; }));
  REQUIRE(run_until(rig.io, [&] { return a->written == "hello\nworld\n"; }));
  CHECK_FALSE(a->shut_down);
  rig.local->feed_eof();
  REQUIRE(run_until(rig.io, [&] { return a->shut_down && b->shut_down; }));
  CHECK(rig.ends.empty());
  CHECK(rig.stop());
}

TEST_CASE("hub: --no-shutdown keeps the clients' write side open at the end of stdin", "[hub]") {
  HubSettings settings;
  settings.no_shutdown = true;
  HubRig rig(settings);
  auto a = rig.add("a");
  rig.local->feed("last\n");
  rig.local->feed_eof();
  REQUIRE(run_until(rig.io, [&] { return a->written == "last\n"; }));
  run_ready(rig.io);
  CHECK_FALSE(a->shut_down);
  CHECK(rig.stop());
}

TEST_CASE("hub: stdin is not read while no client is connected", "[hub]") {
  HubRig rig;
  rig.local->feed("early\n");
  run_ready(rig.io);
  CHECK(rig.local->read_calls == 0);
  auto a = rig.add("a");
  REQUIRE(run_until(rig.io, [&] { return a->written == "early\n"; }));
  CHECK(rig.stop());
}

TEST_CASE("hub: -d never reads stdin", "[hub]") {
  HubSettings settings;
  settings.recv_only = true;
  HubRig rig(settings);
  rig.local->feed("ignored\n");
  auto a = rig.add("a");
  REQUIRE(run_until(rig.io, [&] { return a->shut_down; }));
  CHECK(rig.local->read_calls == 0);
  CHECK(a->written.empty());
  CHECK(rig.stop());
}

TEST_CASE("hub: a chunk no client got goes to the next client", "[hub]") {
  HubRig rig;

  SECTION("the only client fails before writing it") {
    auto a = rig.add("a");
    a->block_writes();
    rig.local->feed("one\n");
    REQUIRE(run_until(rig.io, [&] { return a->write_calls == 1; }));
    a->fail_writes(ECONNRESET);
    REQUIRE(run_until(rig.io, [&] { return rig.hub->client_count() == 0; }));
    CHECK(a->written.empty());
    rig.local->feed("two\n");
    run_ready(rig.io);
    auto b = rig.add("b");
    REQUIRE(run_until(rig.io, [&] { return b->written == "one\ntwo\n"; }));
  }

  SECTION("the only client leaves while stdin is being read") {
    auto a = rig.add("a");
    REQUIRE(run_until(rig.io, [&] { return rig.local->read_calls == 1; }));
    a->feed_error(ECONNRESET);
    REQUIRE(run_until(rig.io, [&] { return rig.hub->client_count() == 0; }));
    rig.local->feed("while nobody is there\n");
    run_ready(rig.io);
    auto b = rig.add("b");
    REQUIRE(run_until(rig.io, [&] { return b->written == "while nobody is there\n"; }));
    CHECK(a->written.empty());
  }

  SECTION("a chunk another client wrote is not repeated") {
    auto a = rig.add("a");
    auto b = rig.add("b");
    b->block_writes();
    rig.local->feed("both\n");
    REQUIRE(run_until(rig.io, [&] { return a->written == "both\n" && b->write_calls == 1; }));
    b->fail_writes(EPIPE);
    REQUIRE(run_until(rig.io, [&] { return rig.hub->client_count() == 1; }));
    auto c = rig.add("c");
    rig.local->feed("after\n");
    REQUIRE(run_until(rig.io, [&] { return c->written == "after\n"; }));
    REQUIRE(run_until(rig.io, [&] { return a->written == "both\nafter\n"; }));
  }
  CHECK(rig.stop());
}

TEST_CASE("hub: client lines reach stdout whole", "[hub]") {
  HubRig rig;
  auto a = rig.add("a");
  auto b = rig.add("b");
  a->feed("a1\na2 begins ");
  b->feed("b1\n");
  REQUIRE(run_until(rig.io, [&] { return rig.local->written.size() == 6; }));
  CHECK(rig.local->written == "a1\nb1\n");
  a->feed("and ends\n");
  REQUIRE(run_until(rig.io, [&] { return rig.local->written == "a1\nb1\na2 begins and ends\n"; }));
  CHECK(rig.stop());
}

TEST_CASE("hub: a long line owns stdout until its newline", "[hub]") {
  HubRig rig;
  auto a = rig.add("a");
  a->feed(xs(100000));
  REQUIRE(run_until(rig.io, [&] { return rig.local->written.size() >= 65536; }));
  auto b = rig.add("b");
  b->feed("b1\nb2\n");
  b->feed("b3\n");
  b->feed_eof();
  run_until(
      rig.io, [] { return false; }, std::chrono::milliseconds(50));
  CHECK(rig.local->written == xs(100000));
  // b is not read further while it waits: what it holds stays bounded.
  CHECK(b->read_calls <= 1);
  CHECK(b->reads.size() >= 2);

  a->feed(xs(200000) + "\nafter\n");
  const std::string want = xs(300000) + "\nb1\nb2\nb3\n";
  REQUIRE(run_until(rig.io, [&] { return rig.local->written.size() >= want.size() + 6; }));
  // a's next line may come before or after b's lines, but never inside a line.
  const bool a_first = rig.local->written == xs(300000) + "\nafter\nb1\nb2\nb3\n";
  const bool b_first = rig.local->written == want + "after\n";
  CHECK((a_first || b_first));
  CHECK(rig.stop());
}

TEST_CASE("hub: lines that waited for a long line go before the next long line", "[hub]") {
  HubRig rig;
  auto a = rig.add("a");
  a->feed(xs(100000));
  REQUIRE(run_until(rig.io, [&] { return rig.local->written.size() >= 65536; }));
  auto b = rig.add("b");
  b->feed("b1\n");
  run_until(
      rig.io, [] { return false; }, std::chrono::milliseconds(20));
  a->feed("\n" + xs(100000) + "\n");
  const std::string want = xs(100000) + "\nb1\n" + xs(100000) + "\n";
  REQUIRE(run_until(rig.io, [&] { return rig.local->written.size() >= want.size(); }));
  CHECK(rig.local->written == want);
  CHECK(rig.stop());
}

TEST_CASE("hub: a last line without a newline gets one", "[hub]") {
  HubRig rig;

  SECTION("a short line") {
    auto c = rig.add("c");
    c->feed("c-last");
    c->peer_gone = true;
    c->feed_eof();
    REQUIRE(run_until(rig.io, [&] { return rig.local->written == "c-last\n"; }));
    REQUIRE(run_until(rig.io, [&] { return rig.hub->client_count() == 0; }));
    auto d = rig.add("d");
    d->feed("d-line\n");
    REQUIRE(run_until(rig.io, [&] { return rig.local->written == "c-last\nd-line\n"; }));
  }

  SECTION("a long line") {
    auto c = rig.add("c");
    c->feed(xs(70000));
    c->feed_eof();
    auto d = rig.add("d");
    d->feed("d-line\n");
    REQUIRE(run_until(rig.io, [&] { return rig.local->written.size() == 70008; }));
    const bool c_first = rig.local->written == xs(70000) + "\nd-line\n";
    const bool d_first = rig.local->written == "d-line\n" + xs(70000) + "\n";
    CHECK((c_first || d_first));
  }

  SECTION("a client that fails") {
    auto c = rig.add("c");
    c->feed("half a line");
    c->feed_error(ECONNRESET);
    REQUIRE(run_until(rig.io, [&] { return rig.local->written == "half a line\n"; }));
    CHECK(rig.hub->client_count() == 0);
  }
  CHECK(rig.stop());
}

TEST_CASE("hub: a client write error drops only that client", "[hub]") {
  HubRig rig;
  auto a = rig.add("a");
  auto b = rig.add("b");
  a->fail_writes(EPIPE);
  rig.local->feed("one\n");
  REQUIRE(run_until(rig.io, [&] { return b->written == "one\n"; }));
  REQUIRE(run_until(rig.io, [&] { return rig.hub->client_count() == 1; }));
  CHECK(a->cancel_count >= 1);
  rig.local->feed("two\n");
  REQUIRE(run_until(rig.io, [&] { return b->written == "one\ntwo\n"; }));
  b->feed("from b\n");
  REQUIRE(run_until(rig.io, [&] { return rig.local->written == "from b\n"; }));
  CHECK(a->written.empty());
  CHECK(rig.ends.empty());
  CHECK(rig.stop());
}

TEST_CASE("hub: a half-closed client still receives stdin", "[hub]") {
  HubRig rig;
  auto a = rig.add("a");
  a->feed("request\n");
  a->feed_eof();
  REQUIRE(run_until(rig.io, [&] { return rig.local->written == "request\n"; }));
  run_ready(rig.io);
  CHECK(rig.hub->client_count() == 1);
  rig.local->feed("answer\n");
  REQUIRE(run_until(rig.io, [&] { return a->written == "answer\n"; }));
  a->hang_up();
  REQUIRE(run_until(rig.io, [&] { return rig.hub->client_count() == 0; }));
  CHECK(rig.stop());
}

TEST_CASE("hub: a closed stdout ends the hub", "[hub]") {
  SECTION("quietly when EPIPE is a normal end there") {
    ipcat::StreamTraits stdio;
    stdio.quiet_broken_pipe = true;
    HubRig rig({}, stdio);
    rig.local->fail_writes(EPIPE);
    auto a = rig.add("a");
    a->feed("line\n");
    REQUIRE(run_until(rig.io, [&] { return !rig.ends.empty(); }));
    CHECK(rig.ends == std::vector<int>{0});
    CHECK(rig.stop());
  }
  SECTION("with status 1 on another error") {
    HubRig rig;
    rig.local->fail_writes(EIO);
    auto a = rig.add("a");
    a->feed("line\n");
    REQUIRE(run_until(rig.io, [&] { return !rig.ends.empty(); }));
    CHECK(rig.ends == std::vector<int>{1});
    CHECK(rig.stop());
  }
}

TEST_CASE("hub: --send-only reads clients but writes nothing to stdout", "[hub]") {
  HubSettings settings;
  settings.send_only = true;
  HubRig rig(settings);
  auto a = rig.add("a");
  a->feed(xs(200000) + "\nmore\n");
  a->feed_eof();
  a->peer_gone = true;
  REQUIRE(run_until(rig.io, [&] { return rig.hub->client_count() == 0; }));
  CHECK(rig.local->written.empty());
  CHECK(rig.stop());
}

TEST_CASE("hub: clients waiting for a slow stdout do not wake each other", "[hub]") {
  HubRig rig;
  rig.local->block_writes();
  auto a = rig.add("a");
  auto b = rig.add("b");
  for (int i = 0; i < 40; ++i) {
    a->feed(std::string(64 * 1024 - 1, 'a') + "\n");
    b->feed(std::string(64 * 1024 - 1, 'b') + "\n");
  }
  // Both fill the output up to its bound and then wait for stdout.
  run_until(
      rig.io, [] { return false; }, std::chrono::milliseconds(100));
  CHECK(a->reads.size() > 10);
  CHECK(b->reads.size() > 10);
  rig.io.restart();
  const std::size_t handlers = rig.io.run_for(std::chrono::milliseconds(200));
  CHECK(handlers < 5);

  rig.local->release_writes();
  const std::size_t total = 80 * 64 * 1024;
  REQUIRE(run_until(
      rig.io, [&] { return rig.local->written.size() == total; }, std::chrono::seconds(5)));
  CHECK(rig.stop());
}

TEST_CASE("hub: stop ends every coroutine", "[hub]") {
  HubRig rig;
  auto a = rig.add("a");
  a->block_writes();
  rig.local->block_writes();
  rig.local->feed("stdin\n");
  a->feed("client\n");
  run_until(
      rig.io, [] { return false; }, std::chrono::milliseconds(50));
  CHECK(rig.stop());
  CHECK(a->cancel_count >= 1);
  CHECK(a->destroyed);
}

TEST_CASE("notifier: one notification wakes every waiter once", "[hub]") {
  asio::io_context io;
  ipcat::Notifier n(io);
  int woken = 0;
  auto waiter = [&]() -> asio::awaitable<void> {
    co_await n.wait();
    ++woken;
  };
  asio::co_spawn(io, waiter(), asio::detached);
  asio::co_spawn(io, waiter(), asio::detached);
  io.poll();
  CHECK(woken == 0);
  n.notify_all();
  io.restart();
  io.poll();
  CHECK(woken == 2);
  n.notify_all(); // nobody waits: nothing happens
  io.restart();
  io.poll();
  CHECK(woken == 2);
}

TEST_CASE("hub: -i ends only the idle client", "[hub]") {
  HubSettings settings;
  settings.idle_timeout = std::chrono::milliseconds(300);
  HubRig rig(settings);
  auto idle = rig.add("idle");
  auto busy = rig.add("busy");
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 6; ++i) {
    run_until(
        rig.io, [] { return false; }, std::chrono::milliseconds(100));
    busy->feed("tick\n");
  }
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(600));
  REQUIRE(run_until(rig.io, [&] { return rig.hub->client_count() == 1; }));
  CHECK(idle->cancel_count >= 1);
  CHECK(busy->cancel_count == 0);
  CHECK(rig.stop());
}

TEST_CASE("hub: -i does not count the time a client waits for stdout", "[hub]") {
  HubSettings settings;
  settings.idle_timeout = std::chrono::milliseconds(200);
  HubRig rig(settings);
  rig.local->block_writes();
  auto a = rig.add("a");
  auto b = rig.add("b");
  for (int i = 0; i < 20; ++i) {
    a->feed(std::string(64 * 1024 - 1, 'a') + "\n");
    b->feed(std::string(64 * 1024 - 1, 'b') + "\n");
  }
  run_until(
      rig.io, [] { return false; }, std::chrono::milliseconds(500));
  CHECK(rig.hub->client_count() == 2);
  rig.local->release_writes();
  const std::size_t total = 40 * 64 * 1024;
  REQUIRE(run_until(rig.io, [&] { return rig.local->written.size() == total; }));
  CHECK(rig.stop());
}

TEST_CASE("hub: stop does not wait for -i timers", "[hub]") {
  HubSettings settings;
  settings.idle_timeout = std::chrono::seconds(60);
  HubRig rig(settings);
  auto a = rig.add("a");
  run_ready(rig.io);
  CHECK(rig.stop());
  CHECK(a->destroyed);
}
