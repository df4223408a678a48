// Unit tests for the libuuid side of the generator: the bulk v4 and v7 UUIDs as libuuid reads
// them, v1, v3 and v5 from LibUuidGenerator (v3/v5 against known values), the namespaces and
// the %n counter of the name.
#include "uuid.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <unordered_set>
#include <vector>

#include <uuid/uuid.h>

using ipcat::expand_name;
using ipcat::has_name_counter;
using ipcat::k_uuid_line;
using ipcat::LibUuidGenerator;
using ipcat::parse_uuid_namespace;
using ipcat::parse_uuid_version;
using ipcat::UuidBytes;
using ipcat::UuidGenerator;
using ipcat::UuidVersion;

namespace {

/// Splits n generated lines, checking each newline.
template <class Gen> std::vector<std::string> lines_of(Gen& gen, std::size_t n) {
  std::vector<char> buffer(n * k_uuid_line);
  REQUIRE(gen.fill(buffer, n) == n * k_uuid_line);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) {
    const char* line = buffer.data() + i * k_uuid_line;
    REQUIRE(line[36] == '\n');
    out.emplace_back(line, 36);
  }
  return out;
}

UuidBytes ns(std::string_view text) {
  const auto r = parse_uuid_namespace(text);
  INFO(text << ": " << (r.ok() ? std::string("ok") : r.error()));
  REQUIRE(r.ok());
  return *r;
}

/// The one UUID a name-based generator makes for a name.
std::string name_based(UuidVersion v, std::string_view space, const std::string& name) {
  LibUuidGenerator gen(v, ns(space), name);
  return lines_of(gen, 1).front();
}

/// libuuid's reading of a UUID line: its type (the version nibble) and variant.
struct Parsed {
  int type = -1;
  int variant = -1;
};

Parsed libuuid_parse(const std::string& line) {
  uuid_t u;
  REQUIRE(uuid_parse(line.c_str(), u) == 0);
  return {uuid_type(u), uuid_variant(u)};
}

} // namespace

TEST_CASE("libuuid reads the bulk v4 and v7 UUIDs as version 4 and 7, RFC variant", "[uuid]") {
  // Debian 12's libuuid (2.38) has no UUID_TYPE_DCE_TIME_V7 constant; uuid_type returns the
  // version nibble, so 7 is compared as a number.
  for (const auto& [version, type] :
       {std::pair{UuidVersion::V4, UUID_TYPE_DCE_RANDOM}, std::pair{UuidVersion::V7, 7}}) {
    UuidGenerator gen(version);
    for (const auto& line : lines_of(gen, 10'000)) {
      const Parsed p = libuuid_parse(line);
      INFO(line);
      REQUIRE(p.type == type);
      REQUIRE(p.variant == UUID_VARIANT_DCE);
    }
  }
}

TEST_CASE("v3 and v5 match the RFC 9562 appendix and uuidgen", "[uuid]") {
  // RFC 9562 A.2 and A.4: "www.example.com" in the DNS namespace.
  CHECK(name_based(UuidVersion::V3, "@dns", "www.example.com") ==
        "5df41881-3aed-3515-88a7-2f4a814cf09e");
  CHECK(name_based(UuidVersion::V5, "@dns", "www.example.com") ==
        "2ed6657d-e927-568b-95e1-2665a8aea6a2");
  // uuidgen --md5 / --sha1 --namespace NS --name example.com (util-linux 2.38.1).
  struct Known {
    const char* space;
    const char* md5;
    const char* sha1;
  };
  for (const Known& k : {Known{"@dns", "9073926b-929f-31c2-abc9-fad77ae3e8eb",
                               "cfbff0d1-9375-5685-968c-48ce8b15ae17"},
                         Known{"@url", "a0473a67-27a1-3c05-a2d1-5c134639347f",
                               "a5cf6e8e-4cfa-5f31-a804-6de6d1245e26"},
                         Known{"@oid", "109f8204-164d-33ef-871d-d92c373e8c66",
                               "eb6106fd-8a37-5395-b3f7-7cb93195fdba"},
                         Known{"@x500", "11c2f001-e3a4-3ad0-90f7-88ac418c36b8",
                               "f014ed3c-177a-541e-a840-fc330670f8e8"}}) {
    INFO(k.space);
    CHECK(name_based(UuidVersion::V3, k.space, "example.com") == k.md5);
    CHECK(name_based(UuidVersion::V5, k.space, "example.com") == k.sha1);
  }
  // A namespace written as a UUID is the same as its @name.
  CHECK(name_based(UuidVersion::V3, "6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.example.com") ==
        "5df41881-3aed-3515-88a7-2f4a814cf09e");
  CHECK(name_based(UuidVersion::V5, "6BA7B810-9DAD-11D1-80B4-00C04FD430C8", "www.example.com") ==
        "2ed6657d-e927-568b-95e1-2665a8aea6a2");
}

TEST_CASE("a name without %n gives the same UUID every time", "[uuid]") {
  LibUuidGenerator gen(UuidVersion::V5, ns("@dns"), "example.com");
  for (const auto& line : lines_of(gen, 5)) {
    CHECK(line == "cfbff0d1-9375-5685-968c-48ce8b15ae17");
  }
  CHECK_FALSE(gen.first_safe()); // only v1 says how it was made
}

TEST_CASE("%n counts from 1 in the name; %% is a literal %", "[uuid]") {
  CHECK(expand_name("host-%n", 1) == "host-1");
  CHECK(expand_name("%n-%n", 42) == "42-42");
  CHECK(expand_name("100%%", 7) == "100%");
  CHECK(expand_name("%%n", 7) == "%n");
  CHECK(expand_name("a%b%", 7) == "a%b%");
  CHECK(expand_name("", 7).empty());
  CHECK(has_name_counter("host-%n"));
  CHECK(has_name_counter("%%%n"));
  CHECK_FALSE(has_name_counter("%%n"));
  CHECK_FALSE(has_name_counter("host-%"));
  CHECK_FALSE(has_name_counter("plain"));

  LibUuidGenerator gen(UuidVersion::V3, ns("@url"), "host-%n");
  const auto lines = lines_of(gen, 3);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    CHECK(lines[i] == name_based(UuidVersion::V3, "@url", "host-" + std::to_string(i + 1)));
  }
  // A second fill goes on counting.
  CHECK(lines_of(gen, 1).front() == name_based(UuidVersion::V3, "@url", "host-4"));
}

TEST_CASE("v1 UUIDs are time-based, distinct, and say whether they were made safely", "[uuid]") {
  LibUuidGenerator gen(UuidVersion::V1, UuidBytes{}, "");
  CHECK_FALSE(gen.first_safe());
  std::unordered_set<std::string> seen;
  for (const auto& line : lines_of(gen, 10'000)) {
    const Parsed p = libuuid_parse(line);
    REQUIRE(p.type == UUID_TYPE_DCE_TIME);
    REQUIRE(p.variant == UUID_VARIANT_DCE);
    REQUIRE(seen.insert(line).second);
  }
  CHECK(gen.first_safe().has_value());
}

TEST_CASE("fill of the libuuid versions writes whole lines within max_lines", "[uuid]") {
  LibUuidGenerator gen(UuidVersion::V5, ns("@oid"), "x");
  std::vector<char> small(k_uuid_line * 2 + 5);
  CHECK(gen.fill(small) == 2 * k_uuid_line);
  CHECK(gen.fill(small, 1) == k_uuid_line);
  CHECK(gen.fill(small, 0) == 0);
  std::vector<char> tiny(k_uuid_line - 1);
  CHECK(gen.fill(tiny) == 0);
}

TEST_CASE("namespaces: the four names and UUIDs; anything else is an error", "[uuid]") {
  CHECK(ns("@dns") == ns("6ba7b810-9dad-11d1-80b4-00c04fd430c8"));
  CHECK(ns("@url") == ns("6ba7b811-9dad-11d1-80b4-00c04fd430c8"));
  CHECK(ns("@oid") == ns("6ba7b812-9dad-11d1-80b4-00c04fd430c8"));
  CHECK(ns("@x500") == ns("6ba7b814-9dad-11d1-80b4-00c04fd430c8"));
  for (const char* bad :
       {"@DNS", "@", "@foo", "", "dns", "6ba7b810-9dad-11d1-80b4-00c04fd430c",
        "6ba7b810-9dad-11d1-80b4-00c04fd430c8x", "6ba7b810x9dad-11d1-80b4-00c04fd430c8",
        "6ba7b810-9dad-11d1-80b4-00c04fd430cg"}) {
    INFO(bad);
    const auto r = parse_uuid_namespace(bad);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error(), Catch::Matchers::Contains("namespace"));
  }
}

TEST_CASE("UUID versions by name", "[uuid]") {
  CHECK(parse_uuid_version("v1") == UuidVersion::V1);
  CHECK(parse_uuid_version("V3") == UuidVersion::V3);
  CHECK(parse_uuid_version("v4") == UuidVersion::V4);
  CHECK(parse_uuid_version("v5") == UuidVersion::V5);
  CHECK(parse_uuid_version("v7") == UuidVersion::V7);
  for (const char* bad : {"", "v", "v2", "v6", "v8", "4", "v44", "x4"}) {
    CHECK_FALSE(parse_uuid_version(bad));
  }
  CHECK(ipcat::uuid_version_name(UuidVersion::V5) == "v5");
  CHECK(ipcat::is_name_based(UuidVersion::V3));
  CHECK(ipcat::is_name_based(UuidVersion::V5));
  CHECK_FALSE(ipcat::is_name_based(UuidVersion::V1));
  CHECK_FALSE(ipcat::is_name_based(UuidVersion::V4));
}
