// Unit tests for the UUID generator, through fake randomness and clocks where the exact output
// matters, and through the real getrandom(2) and clock where only the shape and order matter.
#include "uuid.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <regex>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

using ipcat::k_uuid_line;
using ipcat::UuidGenerator;
using ipcat::UuidVersion;

namespace {

using Bytes = std::array<std::uint8_t, 16>;

/// A random source that hands out 0, 1, 2, ... (wrapping), and counts its calls.
struct SequenceRandom {
  std::uint8_t m_next = 0;
  std::size_t m_calls = 0;
  std::size_t m_bytes = 0;

  ipcat::RandomSource source() {
    return [this](std::span<std::uint8_t> out) {
      ++m_calls;
      m_bytes += out.size();
      for (auto& b : out) {
        b = m_next++;
      }
    };
  }
};

/// A random source that returns the same byte everywhere.
ipcat::RandomSource constant_random(std::uint8_t value) {
  return [value](std::span<std::uint8_t> out) {
    for (auto& b : out) {
      b = value;
    }
  };
}

/// Runs fill for exactly n lines and splits the result, checking the newlines on the way.
std::vector<std::string> generate(UuidGenerator& gen, std::size_t n) {
  std::vector<char> buffer(n * k_uuid_line);
  REQUIRE(gen.fill(buffer, n) == n * k_uuid_line);
  std::vector<std::string> lines;
  lines.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const char* line = buffer.data() + i * k_uuid_line;
    REQUIRE(line[36] == '\n');
    lines.emplace_back(line, 36);
  }
  return lines;
}

/// Generates n lines one fill call at a time, so each line sees the clock afresh.
std::vector<std::string> generate_one_by_one(UuidGenerator& gen, std::size_t n) {
  std::vector<std::string> lines;
  lines.reserve(n);
  char line[k_uuid_line];
  for (std::size_t i = 0; i < n; ++i) {
    REQUIRE(gen.fill(line, 1) == k_uuid_line);
    REQUIRE(line[36] == '\n');
    lines.emplace_back(line, 36);
  }
  return lines;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  return -1;
}

/// Whether s is 8-4-4-4-12 lowercase hex with the given version and the RFC 9562 variant.
/// A hand-written check, because std::regex is too slow for a hundred thousand lines.
bool well_formed(const std::string& s, char version) {
  if (s.size() != 36) {
    return false;
  }
  for (std::size_t i = 0; i < 36; ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : hex_value(s[i]) < 0) {
      return false;
    }
  }
  return s[14] == version && (s[19] == '8' || s[19] == '9' || s[19] == 'a' || s[19] == 'b');
}

Bytes parse(const std::string& s) {
  REQUIRE(s.size() == 36);
  Bytes bytes{};
  std::size_t n = 0;
  for (std::size_t i = 0; i < 36 && n < 16;) {
    if (s[i] == '-') {
      ++i;
      continue;
    }
    const int hi = hex_value(s[i]);
    const int lo = hex_value(s[i + 1]);
    REQUIRE(hi >= 0);
    REQUIRE(lo >= 0);
    bytes[n++] = static_cast<std::uint8_t>(hi << 4 | lo);
    i += 2;
  }
  REQUIRE(n == 16);
  return bytes;
}

std::uint64_t millis_of(const Bytes& b) {
  std::uint64_t ms = 0;
  for (std::size_t i = 0; i < 6; ++i) {
    ms = ms << 8 | b[i];
  }
  return ms;
}

/// The 18-bit v7 counter: rand_a and the top 6 bits of rand_b.
std::uint64_t counter_of(const Bytes& b) {
  return std::uint64_t{b[6] & 0x0fu} << 14 | std::uint64_t{b[7]} << 6 | (b[8] & 0x3fu);
}

std::string format(const Bytes& b) {
  std::uint8_t raw[16];
  std::copy(b.begin(), b.end(), raw);
  std::string out(36, '?');
  UuidGenerator::format(raw, out.data());
  return out;
}

} // namespace

TEST_CASE("format writes known bytes as 36 lowercase characters", "[uuid]") {
  std::uint8_t zero[16] = {};
  std::uint8_t sequence[16];
  std::uint8_t ones[16];
  std::uint8_t mixed[16] = {0xde, 0xad, 0xbe, 0xef, 0x01, 0x23, 0x45, 0x67,
                            0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x90};
  for (std::uint8_t i = 0; i < 16; ++i) {
    sequence[i] = i;
    ones[i] = 0xff;
  }
  char out[37];
  out[36] = '#';

  UuidGenerator::format(zero, out);
  CHECK(std::string(out, 37) == "00000000-0000-0000-0000-000000000000#");
  UuidGenerator::format(sequence, out);
  CHECK(std::string(out, 37) == "00010203-0405-0607-0809-0a0b0c0d0e0f#");
  UuidGenerator::format(ones, out);
  CHECK(std::string(out, 37) == "ffffffff-ffff-ffff-ffff-ffffffffffff#");
  UuidGenerator::format(mixed, out);
  CHECK(std::string(out, 37) == "deadbeef-0123-4567-89ab-cdeffedcba90#");
}

TEST_CASE("v4 puts the random bytes in order, with version and variant bits", "[uuid]") {
  SequenceRandom random;
  UuidGenerator gen(UuidVersion::V4, random.source());
  // 600 UUIDs take 9600 bytes, so the 4096-byte pool is refilled three times.
  const auto lines = generate(gen, 600);
  const std::regex shape("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

  for (std::size_t i = 0; i < lines.size(); ++i) {
    INFO("line " << i << ": " << lines[i]);
    REQUIRE(std::regex_match(lines[i], shape));
    Bytes expected{};
    for (std::size_t j = 0; j < 16; ++j) {
      expected[j] = static_cast<std::uint8_t>(i * 16 + j);
    }
    expected[6] = static_cast<std::uint8_t>((expected[6] & 0x0f) | 0x40);
    expected[8] = static_cast<std::uint8_t>((expected[8] & 0x3f) | 0x80);
    REQUIRE(lines[i] == format(expected));
  }
  CHECK(random.m_calls == 3);
  CHECK(random.m_bytes == 3 * 4096);
}

TEST_CASE("v4 sets the version and variant bits over random bytes of all ones", "[uuid]") {
  UuidGenerator gen(UuidVersion::V4, constant_random(0xff));
  CHECK(generate(gen, 1)[0] == "ffffffff-ffff-4fff-bfff-ffffffffffff");
  UuidGenerator zero_gen(UuidVersion::V4, constant_random(0x00));
  CHECK(generate(zero_gen, 1)[0] == "00000000-0000-4000-8000-000000000000");
}

TEST_CASE("fill writes whole lines only, within max_lines", "[uuid]") {
  SequenceRandom random;
  UuidGenerator gen(UuidVersion::V4, random.source());

  SECTION("a buffer shorter than one line gets nothing") {
    std::vector<char> buffer(36, '#');
    CHECK(gen.fill(buffer) == 0);
    CHECK(buffer == std::vector<char>(36, '#'));
  }
  SECTION("max_lines of zero gets nothing") {
    std::vector<char> buffer(100, '#');
    CHECK(gen.fill(buffer, 0) == 0);
    CHECK(buffer == std::vector<char>(100, '#'));
  }
  SECTION("max_lines stops early") {
    std::vector<char> buffer(10 * k_uuid_line, '#');
    CHECK(gen.fill(buffer, 3) == 3 * k_uuid_line);
    CHECK(buffer[3 * k_uuid_line - 1] == '\n');
    CHECK(buffer[3 * k_uuid_line] == '#');
  }
  SECTION("a buffer of ten lines and a bit gets ten lines") {
    std::vector<char> buffer(10 * k_uuid_line + 5, '#');
    CHECK(gen.fill(buffer) == 370);
    CHECK(buffer[369] == '\n');
    CHECK(std::string(buffer.begin() + 370, buffer.end()) == "#####");
  }
  SECTION("exactly one line fits") {
    std::vector<char> buffer(k_uuid_line, '#');
    CHECK(gen.fill(buffer) == k_uuid_line);
    CHECK(buffer[36] == '\n');
  }
}

TEST_CASE("v4 from getrandom: 100,000 distinct, well-formed UUIDs", "[uuid]") {
  UuidGenerator gen(UuidVersion::V4);
  const auto lines = generate(gen, 100'000);
  std::unordered_set<std::string> seen;
  for (const auto& line : lines) {
    INFO(line);
    REQUIRE(well_formed(line, '4'));
    REQUIRE(seen.insert(line).second);
  }
}

TEST_CASE("system_random fills large spans with non-constant bytes", "[uuid]") {
  std::vector<std::uint8_t> a(1 << 20, 0);
  std::vector<std::uint8_t> b(1 << 20, 0);
  ipcat::system_random(a);
  ipcat::system_random(b);
  CHECK(a != b);
  // A megabyte of real randomness holds every byte value; a short fill would leave zeros.
  std::array<bool, 256> seen{};
  for (std::size_t i = a.size() - 4096; i < a.size(); ++i) {
    seen[a[i]] = true;
  }
  std::size_t distinct = 0;
  for (bool s : seen) {
    distinct += s ? 1 : 0;
  }
  CHECK(distinct > 200);
}

TEST_CASE("system_millis agrees with the system clock", "[uuid]") {
  const auto before = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const std::uint64_t ms = ipcat::system_millis();
  const auto after = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  CHECK(ms >= static_cast<std::uint64_t>(before));
  CHECK(ms <= static_cast<std::uint64_t>(after));
}

TEST_CASE("v7 timestamp field is the clock, with version and variant bits", "[uuid]") {
  std::uint64_t now = 0x0123456789ab;
  UuidGenerator gen(UuidVersion::V7, ipcat::system_random, [&] { return now; });
  const auto first = generate_one_by_one(gen, 1)[0];
  CHECK(first.substr(0, 15) == "01234567-89ab-7");
  CHECK(well_formed(first, '7'));

  now = 1'700'000'000'123;
  const auto second = generate_one_by_one(gen, 1)[0];
  CHECK(millis_of(parse(second)) == 1'700'000'000'123);
  CHECK(well_formed(second, '7'));
  const std::regex shape("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  CHECK(std::regex_match(second, shape));
}

TEST_CASE("v7 is strictly increasing across 100,000 UUIDs in one millisecond", "[uuid]") {
  const std::uint64_t now = 1'700'000'000'000;
  UuidGenerator gen(UuidVersion::V7, ipcat::system_random, [&] { return now; });
  const auto lines = generate(gen, 100'000);

  const auto first = parse(lines[0]);
  // The seed leaves the counter's top bit clear, so 100,000 increments cannot overflow it.
  CHECK(counter_of(first) < (1u << 17));
  for (std::size_t i = 0; i < lines.size(); ++i) {
    INFO("line " << i << ": " << lines[i]);
    REQUIRE(well_formed(lines[i], '7'));
    const auto bytes = parse(lines[i]);
    REQUIRE(millis_of(bytes) == now);
    REQUIRE(counter_of(bytes) == counter_of(first) + i);
    if (i > 0) {
      REQUIRE(lines[i - 1] < lines[i]);
    }
  }
}

TEST_CASE("v7 counter overflow borrows the next millisecond", "[uuid]") {
  // All-ones randomness seeds the counter at its highest start, 0x1ffff, so it overflows
  // after 0x20001 UUIDs (0x1ffff to 0x3ffff) in each millisecond.
  const std::uint64_t now = 5'000;
  UuidGenerator gen(UuidVersion::V7, constant_random(0xff), [&] { return now; });
  const std::size_t per_ms = 0x20001;
  const auto lines = generate(gen, 3 * per_ms + 10);

  for (std::size_t i = 0; i < lines.size(); ++i) {
    INFO("line " << i << ": " << lines[i]);
    const auto bytes = parse(lines[i]);
    REQUIRE(millis_of(bytes) == now + i / per_ms);
    REQUIRE(counter_of(bytes) == 0x1ffff + i % per_ms);
    if (i > 0) {
      REQUIRE(lines[i - 1] < lines[i]);
    }
  }
  CHECK(lines[0] == "00000000-1388-77ff-bfff-ffffffffffff");
  CHECK(lines[per_ms - 1] == "00000000-1388-7fff-bfff-ffffffffffff");
  CHECK(lines[per_ms] == "00000000-1389-77ff-bfff-ffffffffffff");
}

TEST_CASE("v7 stays strictly increasing when the clock goes backwards", "[uuid]") {
  std::uint64_t now = 1'000'000;
  UuidGenerator gen(UuidVersion::V7, ipcat::system_random, [&] { return now; });
  auto lines = generate_one_by_one(gen, 3);
  now = 400'000;
  for (auto& line : generate_one_by_one(gen, 3)) {
    lines.push_back(line);
  }
  const auto first = parse(lines[0]);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    INFO("line " << i << ": " << lines[i]);
    const auto bytes = parse(lines[i]);
    CHECK(millis_of(bytes) == 1'000'000);
    CHECK(counter_of(bytes) == counter_of(first) + i);
    if (i > 0) {
      CHECK(lines[i - 1] < lines[i]);
    }
  }

  // Once the clock passes the stored millisecond again, it is used as it is.
  now = 1'000'001;
  const auto later = generate_one_by_one(gen, 1)[0];
  CHECK(millis_of(parse(later)) == 1'000'001);
  CHECK(lines.back() < later);
}

TEST_CASE("v7 reseeds the counter on a new millisecond", "[uuid]") {
  std::uint64_t now = 2'000;
  UuidGenerator gen(UuidVersion::V7, constant_random(0x5a), [&] { return now; });
  const auto first_ms = generate_one_by_one(gen, 5);
  // 0x5a5a5a with the top bit of the 18-bit counter cleared.
  const std::uint64_t seed = 0x5a5a5a & 0x1ffff;
  for (std::size_t i = 0; i < first_ms.size(); ++i) {
    CHECK(counter_of(parse(first_ms[i])) == seed + i);
  }

  now = 2'001;
  const auto next = parse(generate_one_by_one(gen, 1)[0]);
  CHECK(millis_of(next) == 2'001);
  CHECK(counter_of(next) == seed);
}

TEST_CASE("v7 draws fresh random bits for the tail of every UUID", "[uuid]") {
  SequenceRandom random;
  const std::uint64_t now = 3'000;
  UuidGenerator gen(UuidVersion::V7, random.source(), [&] { return now; });
  const auto lines = generate(gen, 2);
  // The first UUID spends random bytes 0 to 2 on the counter seed and 3 to 9 on its tail;
  // the second, in the same millisecond, only needs a tail: bytes 10 to 16.
  const auto first = parse(lines[0]);
  const auto second = parse(lines[1]);
  CHECK(counter_of(first) == (0x000102 & 0x1ffff));
  for (std::size_t j = 0; j < 7; ++j) {
    CHECK(first[9 + j] == 3 + j);
    CHECK(second[9 + j] == 10 + j);
  }
  CHECK(random.m_calls == 1);
}

TEST_CASE("v7 with the real clock is strictly increasing and near the clock", "[uuid]") {
  UuidGenerator gen(UuidVersion::V7);
  const std::uint64_t before = ipcat::system_millis();
  const auto lines = generate(gen, 100'000);
  const std::uint64_t after = ipcat::system_millis();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    INFO("line " << i << ": " << lines[i]);
    REQUIRE(well_formed(lines[i], '7'));
    const std::uint64_t ms = millis_of(parse(lines[i]));
    REQUIRE(ms >= before);
    REQUIRE(ms <= after);
    if (i > 0) {
      REQUIRE(lines[i - 1] < lines[i]);
    }
  }
}

namespace {

/// Generates UUIDs into a 1 MiB buffer for about a second and returns how many a second.
double measure_rate(UuidVersion version) {
  UuidGenerator gen(version);
  std::vector<char> buffer(1 << 20);
  std::size_t bytes = 0;
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = std::chrono::steady_clock::duration::zero();
  while (elapsed < std::chrono::seconds(1)) {
    bytes += gen.fill(buffer);
    elapsed = std::chrono::steady_clock::now() - start;
  }
  return static_cast<double>(bytes / k_uuid_line) / std::chrono::duration<double>(elapsed).count();
}

} // namespace

TEST_CASE("benchmark: UUIDs a second into a 1 MiB buffer", "[.bench]") {
  const double v4 = measure_rate(UuidVersion::V4);
  const double v7 = measure_rate(UuidVersion::V7);
  std::cout << "v4: " << v4 / 1e6 << " million UUIDs/s\n"
            << "v7: " << v7 / 1e6 << " million UUIDs/s\n";
  CHECK(v4 > 0);
  CHECK(v7 > 0);
}
