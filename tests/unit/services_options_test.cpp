// Unit tests for the command line of the services: -m/--max-conns (1 or more, with a listener;
// harmless without -k, as in ncat), --broker and --chat (a stream listener with stdio; they
// imply -k, --chat implies --broker).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "options.hpp"

using ipcat::parse_options;
using Args = std::vector<std::string>;

namespace {

ipcat::Options parse_ok(const Args& args) {
  auto r = parse_options(args);
  if (!r) {
    FAIL("unexpected usage error: " << r.error());
  }
  return *r;
}

std::string usage_error(const Args& args) {
  auto r = parse_options(args);
  REQUIRE_FALSE(r);
  return r.error();
}

} // namespace

TEST_CASE("services options: -m and --max-conns", "[options][services]") {
  CHECK(parse_ok({"-lk", "-m", "3", "8080"}).max_conns == 3ULL);
  CHECK(parse_ok({"-lk", "--max-conns", "2", "8080"}).max_conns == 2ULL);
  CHECK(parse_ok({"-ulk", "-m", "1", "5353", "-c", "cat"}).max_conns == 1ULL);
  CHECK_FALSE(parse_ok({"-lk", "8080"}).max_conns.has_value());
  // Without -k a listener serves one client anyway: accepted, as in ncat.
  CHECK(parse_ok({"-l", "-m", "2", "8080"}).max_conns == 2ULL);
  CHECK(usage_error({"-lk", "-m", "0", "8080"}).find("1 or more") != std::string::npos);
  CHECK(usage_error({"-lk", "-m", "x", "8080"}).find("-m") != std::string::npos);
  CHECK(usage_error({"-m", "2", "host", "80"}).find("listener") != std::string::npos);
}

TEST_CASE("services options: --broker and --chat", "[options][services]") {
  const auto b = parse_options({"--broker", "-l", "9000"});
  REQUIRE(b);
  CHECK(b->broker);
  CHECK_FALSE(b->chat);
  CHECK(b->keep_open); // implied, as ncat's broker keeps accepting
  const auto c = parse_options({"--chat", "-lk", "9000"});
  REQUIRE(c);
  CHECK(c->broker);
  CHECK(c->chat);
  CHECK(parse_ok({"--broker", "unix-listen:/tmp/b.sock"}).broker);
  CHECK(usage_error({"--broker", "host", "9000"}).find("stream listener") != std::string::npos);
  CHECK(usage_error({"--broker", "-ul", "9000"}).find("stream listener") != std::string::npos);
  CHECK(usage_error({"--chat", "-l", "9000", "-c", "cat"}).find("stdio") != std::string::npos);
}
