// Unit tests for the per-peer table of -ulk: a peer's datagrams go to its one session, a new
// peer starts one while -m allows, a peer whose session is ending starts a new one, an ended
// session forgets only its own entry, and a peer's queue is bounded.
#include "udp_sessions.hpp"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string>

using ipcat::peer_key;
using ipcat::PeerQueue;
using ipcat::PeerTable;
using Route = ipcat::PeerTable::Route;

namespace {

std::string key_of(const char* ip, unsigned short port) {
  sockaddr_in in{};
  in.sin_family = AF_INET;
  in.sin_port = htons(port);
  ::inet_pton(AF_INET, ip, &in.sin_addr);
  return peer_key(reinterpret_cast<const sockaddr*>(&in), sizeof(in));
}

} // namespace

TEST_CASE("peer table: a peer keeps its session; another address or port is another peer",
          "[udp_sessions]") {
  PeerTable t(0);
  auto [r1, q1] = t.route(key_of("127.0.0.2", 5000));
  CHECK(r1 == Route::Started);
  auto [r2, q2] = t.route(key_of("127.0.0.2", 5000));
  CHECK(r2 == Route::Existing);
  CHECK(q2 == q1);
  auto [r3, q3] = t.route(key_of("127.0.0.2", 5001));
  CHECK(r3 == Route::Started);
  auto [r4, q4] = t.route(key_of("127.0.0.3", 5000));
  CHECK(r4 == Route::Started);
  CHECK(q3 != q1);
  CHECK(q4 != q3);
  CHECK(t.size() == 3);
}

TEST_CASE("peer table: -m refuses new peers while that many sessions run", "[udp_sessions]") {
  PeerTable t(1);
  const std::string a = key_of("127.0.0.2", 1);
  const std::string b = key_of("127.0.0.3", 1);
  auto [ra, qa] = t.route(a);
  CHECK(ra == Route::Started);
  auto [rb, qb] = t.route(b);
  CHECK(rb == Route::Refused);
  CHECK(qb == nullptr);
  CHECK(t.route(a).first == Route::Existing); // the running peer is still served
  t.erase(a, qa);
  CHECK(t.route(b).first == Route::Started);
}

TEST_CASE("peer table: a peer whose session is ending starts a new one", "[udp_sessions]") {
  PeerTable t(1);
  const std::string a = key_of("127.0.0.2", 1);
  auto [r1, old_queue] = t.route(a);
  old_queue->closed = true; // its child exited, or it was idle
  auto [r2, new_queue] = t.route(a);
  CHECK(r2 == Route::Started); // and the ending one no longer counts for -m
  CHECK(new_queue != old_queue);
  t.erase(a, old_queue); // the old session's end leaves the new one alone
  CHECK(t.route(a).first == Route::Existing);
  t.erase(a, new_queue);
  CHECK(t.size() == 0);
}

TEST_CASE("peer queue: datagrams in order, bounded in bytes", "[udp_sessions]") {
  PeerQueue q;
  CHECK(q.push("one", 8));
  CHECK(q.push("two", 8));
  CHECK_FALSE(q.push("three", 8)); // 11 > 8: dropped
  CHECK(q.bytes == 6);
  CHECK(q.pop() == "one");
  CHECK(q.push("xyz", 8));
  CHECK(q.pop() == "two");
  CHECK(q.pop() == "xyz");
  CHECK(q.bytes == 0);
}
