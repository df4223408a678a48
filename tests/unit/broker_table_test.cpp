// Unit tests for the broker's pure half: a line goes to every client but its sender (stdin's
// to all), queues count their bytes and say when they go over the limit, the <userN> prefix
// goes before each line start only, and the announcements read as ncat's.
#include "broker_table.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using ipcat::announce_name;
using ipcat::BrokerTable;
using ipcat::chat_prefix;

namespace {

std::string drain(BrokerTable& t, unsigned id) {
  std::string out;
  while (t.pending(id)) {
    out += *t.front(id);
    t.pop(id);
  }
  return out;
}

} // namespace

TEST_CASE("broker table: a line goes to every client but its sender", "[broker]") {
  BrokerTable t(1024);
  const unsigned a = t.add("a");
  const unsigned b = t.add("b");
  const unsigned c = t.add("c");
  CHECK(a == 1);
  CHECK(b == 2);
  CHECK(c == 3);
  CHECK(t.route(b, "from b\n").empty());
  CHECK(drain(t, a) == "from b\n");
  CHECK_FALSE(t.pending(b));
  CHECK(drain(t, c) == "from b\n");
}

TEST_CASE("broker table: stdin's lines go to every client", "[broker]") {
  BrokerTable t(1024);
  const unsigned a = t.add("a");
  const unsigned b = t.add("b");
  t.route(BrokerTable::k_stdin, "all\n");
  CHECK(drain(t, a) == "all\n");
  CHECK(drain(t, b) == "all\n");
}

TEST_CASE("broker table: lines keep their order per client", "[broker]") {
  BrokerTable t(1024);
  const unsigned a = t.add("a");
  const unsigned b = t.add("b");
  const unsigned c = t.add("c");
  t.route(b, "b1\n");
  t.route(c, "c1\n");
  t.route(b, "b2\n");
  CHECK(drain(t, a) == "b1\nc1\nb2\n");
  CHECK(drain(t, b) == "c1\n");
  CHECK(drain(t, c) == "b1\nb2\n");
}

TEST_CASE("broker table: a queue over the limit is reported once, when it goes over", "[broker]") {
  BrokerTable t(10);
  const unsigned a = t.add("a");
  const unsigned b = t.add("b");
  CHECK(t.route(a, "12345\n").empty()); // 6 bytes for b
  CHECK_FALSE(t.over_limit(b));
  const auto over = t.route(a, "12345\n"); // 12 > 10
  REQUIRE(over.size() == 1);
  CHECK(over[0] == b);
  CHECK(t.over_limit(b));
  CHECK(t.any_over_limit());
  CHECK(t.route(a, "x\n").empty()); // already over: not reported again
  CHECK(t.queued_bytes(b) == 14);
  t.pop(b);
  t.pop(b);
  CHECK(t.queued_bytes(b) == 2);
  CHECK_FALSE(t.any_over_limit());
}

TEST_CASE("broker table: a client removed gets nothing more", "[broker]") {
  BrokerTable t(1024);
  const unsigned a = t.add("a");
  const unsigned b = t.add("b");
  t.route(a, "one\n");
  t.remove(b);
  CHECK_FALSE(t.has(b));
  CHECK_FALSE(t.pending(b));
  t.route(a, "two\n");
  CHECK(t.size() == 1);
  CHECK(t.add("c") == 3); // numbers are never reused
}

TEST_CASE("broker table: --chat's prefix goes before each line start", "[broker]") {
  bool mid = false;
  CHECK(chat_prefix(3, "a\nb\n", mid) == "<user3> a\n<user3> b\n");
  CHECK_FALSE(mid);
  CHECK(chat_prefix(3, "long", mid) == "<user3> long");
  CHECK(mid);
  CHECK(chat_prefix(3, " line\nnext", mid) == " line\n<user3> next");
  CHECK(mid);
  CHECK(chat_prefix(3, "\n", mid) == "\n");
  CHECK_FALSE(mid);
}

TEST_CASE("broker table: the announcements are ncat's", "[broker]") {
  BrokerTable t(1024);
  const unsigned a = t.add("127.0.0.1");
  CHECK(t.joined(a) == "<announce> 127.0.0.1 is connected as <user1>.\n");
  CHECK(t.already_connected(a) == "<announce> already connected: nobody.\n");
  const unsigned b = t.add("::1");
  const unsigned c = t.add("10.0.0.2");
  CHECK(t.already_connected(c) ==
        "<announce> already connected: 127.0.0.1 as <user1>, ::1 as <user2>.\n");
  CHECK(BrokerTable::left(b) == "<announce> <user2> is disconnected.\n");
}

TEST_CASE("broker table: announcements name the client's host", "[broker]") {
  CHECK(announce_name("tcp:127.0.0.1:4000") == "127.0.0.1");
  CHECK(announce_name("tcp:[::1]:4000") == "::1");
  CHECK(announce_name("unix:/tmp/s") == "unix:/tmp/s");
}
