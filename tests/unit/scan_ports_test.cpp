// Unit tests for -z's port lists: single ports, ranges, lists, service names, and the errors.
#include "scan_ports.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "options.hpp"

using ipcat::parse_port_list;
using Ports = std::vector<std::uint16_t>;

TEST_CASE("port lists: ports, ranges and lists, in the order written, each once", "[scan]") {
  CHECK(*parse_port_list("22", "tcp") == Ports{22});
  CHECK(*parse_port_list("20-23", "tcp") == Ports{20, 21, 22, 23});
  CHECK(*parse_port_list("22,80,8000-8002", "tcp") == Ports{22, 80, 8000, 8001, 8002});
  CHECK(*parse_port_list("80,22,80,21-23", "tcp") == Ports{80, 22, 21, 23});
  CHECK(*parse_port_list("5-5", "tcp") == Ports{5});
  CHECK(parse_port_list("1-65535", "tcp")->size() == 65535);
  CHECK(*parse_port_list("ssh", "tcp") == Ports{22});
  CHECK(*parse_port_list("http,ssh", "tcp") == Ports{80, 22});
  CHECK(*parse_port_list("domain", "udp") == Ports{53});
}

TEST_CASE("port lists: what is not a port is an error that says so", "[scan]") {
  for (const char* bad : {"", "0", "65536", "30-20", "1-70000", "0-5", "22,", ",22", "22,,80", "-5",
                          "5-", "nonesuch-service", "2 2", "1-2-3"}) {
    INFO(bad);
    const auto r = parse_port_list(bad, "tcp");
    REQUIRE_FALSE(r.ok());
    CHECK_FALSE(r.error().empty());
  }
  CHECK_THAT(parse_port_list("30-20", "tcp").error(), Catch::Matchers::Contains("above"));
}

TEST_CASE("port lists: -z in the netcat form takes them, other forms do not", "[scan]") {
  auto o = ipcat::parse_options({"-z", "host", "20-22,80"});
  REQUIRE(o.ok());
  CHECK(o->zero_io);
  CHECK(o->scan_ports == Ports{20, 21, 22, 80});
  CHECK(o->right.host == "host");
  CHECK(o->right.port == "20");
  CHECK_FALSE(ipcat::parse_options({"host", "20-22"}).ok());
  CHECK_FALSE(ipcat::parse_options({"-z", "host", "22-20"}).ok());
}
