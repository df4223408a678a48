// Unit tests for the broker on fake streams: lines go to the other clients and stdout, never
// back to their sender, and whole (a partial line waits for its newline, while another
// client's line goes first); the end of a client's data is its leaving, with a newline for
// its last line; a client that does not read is dropped once its queue has stayed full, and
// the others go on.
#include "broker.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "fake_stream.hpp"

using ipcat::Broker;
using ipcat::BrokerSettings;
using ipcat::test::FakeScript;
using ipcat::test::make_fake;
using ipcat::test::run_until;

namespace {

struct BrokerRig {
  explicit BrokerRig(BrokerSettings settings = {}) {
    auto [stream, script] = make_fake(io, "stdio");
    local = script;
    broker = std::make_unique<Broker>(io, std::move(stream), settings,
                                      [this](int status) { ends.push_back(status); });
    broker->start();
  }
  BrokerRig(const BrokerRig&) = delete;
  BrokerRig& operator=(const BrokerRig&) = delete;
  ~BrokerRig() { stop(); }

  std::shared_ptr<FakeScript> add(const std::string& name) {
    auto [stream, script] = make_fake(io, name);
    broker->add(std::move(stream));
    return script;
  }

  bool stop() {
    if (!broker) {
      return true;
    }
    broker->stop();
    io.restart();
    io.run_for(std::chrono::seconds(2));
    const bool all_ended = io.stopped();
    broker.reset();
    return all_ended;
  }

  asio::io_context io;
  std::shared_ptr<FakeScript> local;
  std::vector<int> ends;
  std::unique_ptr<Broker> broker;
};

} // namespace

TEST_CASE("broker: a client's lines go to the others and stdout, not back", "[broker]") {
  BrokerRig rig;
  auto a = rig.add("tcp:127.0.0.1:1");
  auto b = rig.add("tcp:127.0.0.1:2");
  auto c = rig.add("tcp:127.0.0.1:3");
  a->feed("from a\n");
  REQUIRE(run_until(rig.io, [&] {
    return b->written == "from a\n" && c->written == "from a\n" && rig.local->written == "from a\n";
  }));
  CHECK(a->written.empty());
  CHECK(rig.stop());
}

TEST_CASE("broker: a partial line waits for its newline; others' lines never get inside it",
          "[broker]") {
  BrokerRig rig;
  auto a = rig.add("tcp:127.0.0.1:1");
  auto b = rig.add("tcp:127.0.0.1:2");
  auto c = rig.add("tcp:127.0.0.1:3");
  a->feed("first half, ");
  b->feed("b's line\n");
  REQUIRE(run_until(rig.io, [&] { return c->written == "b's line\n"; }));
  a->feed("second half\n");
  REQUIRE(run_until(rig.io, [&] { return c->written == "b's line\nfirst half, second half\n"; }));
  CHECK(rig.local->written == "b's line\nfirst half, second half\n");
  CHECK(rig.stop());
}

TEST_CASE("broker: stdin's lines go to every client, not to stdout", "[broker]") {
  BrokerRig rig;
  auto a = rig.add("tcp:127.0.0.1:1");
  auto b = rig.add("tcp:127.0.0.1:2");
  rig.local->feed("to all\n");
  REQUIRE(run_until(rig.io, [&] { return a->written == "to all\n" && b->written == "to all\n"; }));
  CHECK(rig.local->written.empty());
  CHECK(rig.stop());
}

TEST_CASE("broker: a client's end is its leaving; its last line gets a newline", "[broker]") {
  BrokerRig rig;
  auto a = rig.add("tcp:127.0.0.1:1");
  auto b = rig.add("tcp:127.0.0.1:2");
  a->feed("no newline");
  a->feed_eof();
  REQUIRE(run_until(rig.io, [&] { return rig.broker->client_count() == 1; }));
  REQUIRE(run_until(rig.io, [&] { return b->written == "no newline\n"; }));
  CHECK(a->cancel_count > 0);
  CHECK(rig.stop());
}

TEST_CASE("broker: --chat prefixes lines and announces clients", "[broker]") {
  BrokerRig rig(
      BrokerSettings{.chat = true, .recv_only = false, .send_only = false, .idle_timeout = {}});
  auto a = rig.add("tcp:127.0.0.1:1");
  auto b = rig.add("tcp:127.0.0.1:2");
  b->feed("hi\n");
  REQUIRE(run_until(rig.io, [&] { return rig.local->written == "<user2> hi\n"; }));
  b->feed_eof();
  const std::string want_a = "<announce> 127.0.0.1 is connected as <user1>.\n"
                             "<announce> already connected: nobody.\n"
                             "<announce> 127.0.0.1 is connected as <user2>.\n"
                             "<user2> hi\n"
                             "<announce> <user2> is disconnected.\n";
  REQUIRE(run_until(rig.io, [&] { return a->written == want_a; }));
  CHECK(b->written == "<announce> 127.0.0.1 is connected as <user2>.\n"
                      "<announce> already connected: 127.0.0.1 as <user1>.\n");
  CHECK(rig.stop());
}

TEST_CASE("broker: a client that does not read is dropped; the others go on", "[broker]") {
  BrokerRig rig;
  auto sender = rig.add("tcp:127.0.0.1:1");
  auto reader = rig.add("tcp:127.0.0.1:2");
  auto stuck = rig.add("tcp:127.0.0.1:3");
  stuck->block_writes();
  const std::string line(1000, 'x');
  std::string all;
  for (int i = 0; i < 2000; ++i) {
    all += line + "\n";
  }
  sender->feed(all); // 2 MB: more than a queue holds
  REQUIRE(run_until(
      rig.io, [&] { return rig.broker->client_count() == 2; }, std::chrono::seconds(4)));
  CHECK(rig.broker->lost_data());
  CHECK(stuck->cancel_count > 0);
  REQUIRE(run_until(rig.io, [&] { return reader->written.size() == all.size(); }));
  CHECK(reader->written == all);
  CHECK(rig.stop());
}
