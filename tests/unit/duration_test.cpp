// Unit tests for the duration, mode and count parsers and for format_duration: exact values for
// every accepted spelling, and for every rejected one an error that names the offending text.
#include "duration.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <string_view>

using Catch::Matchers::Contains;
using ipcat::Duration;
using ipcat::format_duration;
using ipcat::parse_count;
using ipcat::parse_duration;
using ipcat::parse_mode;

namespace {

/// Parses a duration that must be valid and returns it in nanoseconds.
long long nanos(std::string_view text) {
  const auto r = parse_duration(text);
  INFO("parse_duration(\"" << text << "\"): " << (r.ok() ? std::string("ok") : r.error()));
  REQUIRE(r.ok());
  return static_cast<long long>(r->count());
}

/// Checks that a parser rejects text with a message that contains each of the given words.
template <class T>
void require_error(const ipcat::Result<T>& r, std::string_view text,
                   std::initializer_list<std::string_view> words) {
  INFO("input: \"" << text << "\"");
  REQUIRE_FALSE(r.ok());
  for (const auto word : words) {
    CHECK_THAT(r.error(), Contains(std::string(word)));
  }
}

constexpr long long k_second = 1'000'000'000;

} // namespace

TEST_CASE("parse_duration: a bare number means seconds", "[duration]") {
  CHECK(nanos("1") == k_second);
  CHECK(nanos("0") == 0);
  CHECK(nanos("2") == 2 * k_second);
  CHECK(nanos("1.5") == 1'500'000'000);
  CHECK(nanos("0.25") == 250'000'000);
  CHECK(nanos(".5") == 500'000'000);
  CHECK(nanos("1.") == k_second);
  CHECK(nanos("007") == 7 * k_second);
}

TEST_CASE("parse_duration: every unit", "[duration]") {
  CHECK(nanos("5ns") == 5);
  CHECK(nanos("10us") == 10'000);
  CHECK(nanos("250ms") == 250'000'000);
  CHECK(nanos("1.5ms") == 1'500'000);
  CHECK(nanos("2s") == 2 * k_second);
  CHECK(nanos("0.5s") == 500'000'000);
  CHECK(nanos("1m") == 60 * k_second);
  CHECK(nanos("1.5m") == 90 * k_second);
  CHECK(nanos("1h") == 3600 * k_second);
  CHECK(nanos("0s") == 0);
  CHECK(nanos("0ms") == 0);
}

TEST_CASE("parse_duration: up to a year is accepted, beyond is too long", "[duration]") {
  constexpr long long year = 365LL * 24 * 3600 * k_second;
  CHECK(nanos("8760h") == year);
  CHECK(nanos("31536000") == year);
  require_error(parse_duration("8761h"), "8761h", {"'8761h'", "too long"});
  require_error(parse_duration("31536001"), "31536001", {"'31536001'", "too long"});
  require_error(parse_duration("525601m"), "525601m", {"'525601m'", "too long"});
  require_error(parse_duration("99999999999999999999"), "99999999999999999999", {"too long"});
  // Under half a nanosecond over rounds to a year; from half a nanosecond over it is too long.
  CHECK(nanos("31536000.0000000004") == year);
  require_error(parse_duration("31536000.000000000999"), "31536000.000000000999", {"too long"});
  // One nanosecond over, which a double rounds to exactly a year (found by fuzzing).
  require_error(parse_duration("31536000.000000001"), "31536000.000000001", {"too long"});
  require_error(parse_duration("0031536000.000000001000100000540547952"),
                "0031536000.000000001000100000540547952", {"too long"});
  CHECK(nanos("525600.0000000000001m") == year); // 0.006 ns over: rounded to a year
  require_error(parse_duration("525600.0000000001m"), "525600.0000000001m", {"too long"});
}

TEST_CASE("parse_duration: malformed numbers are rejected", "[duration]") {
  require_error(parse_duration(""), "", {"invalid duration ''"});
  require_error(parse_duration("."), ".", {"'.'"});
  require_error(parse_duration("1..2"), "1..2", {"'1..2'"});
  require_error(parse_duration("1.5.2"), "1.5.2", {"'1.5.2'"});
  require_error(parse_duration("-1"), "-1", {"'-1'"});
  require_error(parse_duration("+1"), "+1", {"'+1'"});
  require_error(parse_duration("abc"), "abc", {"'abc'"});
  require_error(parse_duration(" 1"), " 1", {"' 1'"});
  require_error(parse_duration("ms"), "ms", {"'ms'"});
  require_error(parse_duration("inf"), "inf", {"'inf'"});
  require_error(parse_duration("nan"), "nan", {"'nan'"});
}

TEST_CASE("parse_duration: an unknown unit is named in the message", "[duration]") {
  require_error(parse_duration("5parsecs"), "5parsecs", {"'5parsecs'", "unknown unit 'parsecs'"});
  // An exponent is not a unit: "1e3" is "1" with the unit "e3".
  require_error(parse_duration("1e3"), "1e3", {"'1e3'", "unknown unit 'e3'"});
  require_error(parse_duration("1s "), "1s ", {"unknown unit 's '"});
  require_error(parse_duration("10S"), "10S", {"unknown unit 'S'"});
  require_error(parse_duration("1d"), "1d", {"unknown unit 'd'"});
  require_error(parse_duration("0x10"), "0x10", {"unknown unit 'x10'"});
}

TEST_CASE("format_duration: whole seconds, milliseconds, fractional seconds", "[duration]") {
  using namespace std::chrono_literals;
  CHECK(format_duration(Duration(0)) == "0s");
  CHECK(format_duration(1s) == "1s");
  CHECK(format_duration(60s) == "60s");
  CHECK(format_duration(1h) == "3600s");
  CHECK(format_duration(250ms) == "250ms");
  CHECK(format_duration(1ms) == "1ms");
  CHECK(format_duration(999ms) == "999ms");
  CHECK(format_duration(1500ms) == "1.5s");
  CHECK(format_duration(2250ms) == "2.25s");
  CHECK(format_duration(1001ms) == "1.001s");
  CHECK(format_duration(10500ms) == "10.5s");
}

TEST_CASE("format_duration shows what parse_duration read", "[duration]") {
  for (const char* text : {"1.5", "2s", "250ms", "1m", "0.75", "10.5s"}) {
    INFO(text);
    const auto d = parse_duration(text);
    REQUIRE(d.ok());
    const auto shown = format_duration(*d);
    const auto again = parse_duration(shown);
    REQUIRE(again.ok());
    CHECK(again->count() == d->count());
  }
  CHECK(format_duration(*parse_duration("1.5")) == "1.5s");
  CHECK(format_duration(*parse_duration("1m")) == "60s");
  CHECK(format_duration(*parse_duration("250ms")) == "250ms");
}

// Decimals that are not exact in binary keep their last nanosecond ("1.001" is not
// 1000999999 ns), so format_duration shows what was written.
TEST_CASE("parse_duration is exact for decimals that binary cannot hold", "[duration]") {
  CHECK(nanos("1.001") == 1'001'000'000);
  CHECK(nanos("1.003") == 1'003'000'000);
  CHECK(nanos("1.001ms") == 1'001'000);
  CHECK(nanos("1.5ns") == 2);
  CHECK(nanos("1.4ns") == 1);
  CHECK(nanos("0.0000000015") == 2);
  CHECK(nanos("0.00000000149") == 1);
  CHECK(nanos("0.01h") == 36'000'000'000);
  CHECK(nanos("0.000000000001h") == 4);  // 3.6 ns
  CHECK(nanos("0.0000000000001m") == 0); // 0.006 ns
  CHECK(format_duration(*parse_duration("1.001")) == "1.001s");
  CHECK(format_duration(*parse_duration("1.003")) == "1.003s");
}

TEST_CASE("parse_mode: octal permissions up to 07777", "[mode]") {
  CHECK(*parse_mode("600") == 0600U);
  CHECK(*parse_mode("0660") == 0660U);
  CHECK(*parse_mode("7777") == 07777U);
  CHECK(*parse_mode("07777") == 07777U);
  CHECK(*parse_mode("0") == 0U);
  CHECK(*parse_mode("755") == 0755U);
}

TEST_CASE("parse_mode: rejects what is not an octal mode", "[mode]") {
  require_error(parse_mode("999"), "999", {"'999'"});
  require_error(parse_mode("8"), "8", {"'8'"});
  require_error(parse_mode("68"), "68", {"'68'"});
  require_error(parse_mode(""), "", {"invalid mode ''"});
  require_error(parse_mode("-1"), "-1", {"'-1'"});
  require_error(parse_mode("+600"), "+600", {"'+600'"});
  require_error(parse_mode("77777"), "77777", {"'77777'"});
  require_error(parse_mode("10000"), "10000", {"'10000'"});
  require_error(parse_mode("rw"), "rw", {"'rw'"});
  require_error(parse_mode("600 "), "600 ", {"'600 '"});
}

TEST_CASE("parse_count: whole numbers that fit in 64 bits", "[count]") {
  CHECK(*parse_count("0") == 0ULL);
  CHECK(*parse_count("10") == 10ULL);
  CHECK(*parse_count("007") == 7ULL);
  CHECK(*parse_count("18446744073709551615") == 18446744073709551615ULL);
}

TEST_CASE("parse_count: rejects negative, non-decimal and too large counts", "[count]") {
  require_error(parse_count(""), "", {"invalid count ''"});
  require_error(parse_count("-1"), "-1", {"'-1'"});
  require_error(parse_count("+1"), "+1", {"'+1'"});
  require_error(parse_count("1e3"), "1e3", {"'1e3'"});
  require_error(parse_count("1.5"), "1.5", {"'1.5'"});
  require_error(parse_count("18446744073709551616"), "18446744073709551616",
                {"'18446744073709551616'"});
  require_error(parse_count("10x"), "10x", {"'10x'"});
  require_error(parse_count(" 10"), " 10", {"' 10'"});
  require_error(parse_count("ten"), "ten", {"'ten'"});
}

TEST_CASE("parse_duration is exact to the nanosecond, also for long values", "[duration][fuzz]") {
  CHECK(nanos("8507037.598") == 8'507'037'598'000'000);
  CHECK(nanos("1.001") == 1'001'000'000);
  CHECK(nanos("1.003ms") == 1'003'000);
  CHECK(nanos("0.000000001") == 1);
}
