// Unit tests for the opening half of the endpoint table: every kind is opened one way, and
// the descriptive half and the opening half name the same kinds.
#include "endpoint_open.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

#include "endpoint_types.hpp"

TEST_CASE("endpoint table: every kind listens, connects or has a local opener, one of them",
          "[endpoint]") {
  const auto& openers = ipcat::local_openers();
  for (const auto& row : ipcat::endpoint_types()) {
    INFO(row.name.name);
    const auto n = std::count_if(openers.begin(), openers.end(),
                                 [&](const ipcat::LocalOpener& o) { return o.kind == row.kind; });
    const int ways = (row.caps.listens ? 1 : 0) + (row.caps.connects ? 1 : 0) + static_cast<int>(n);
    CHECK(ways == 1);
  }
  CHECK(openers.size() <= ipcat::endpoint_types().size());
}

TEST_CASE("endpoint table: only stdio is shared among the clients of a -k listener", "[endpoint]") {
  for (const auto& row : ipcat::endpoint_types()) {
    INFO(row.name.name);
    CHECK(row.caps.shared == (row.kind == ipcat::AddressKind::Stdio));
  }
}
