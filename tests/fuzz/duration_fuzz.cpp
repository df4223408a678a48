// libFuzzer target: the duration, mode and count parsers and format_duration (src/duration.cpp).
//
// The input bytes are one word, given to parse_duration, parse_mode and parse_count. Each call
// must return (no crash, no sanitizer report), and what is accepted must be what the header
// promises:
//   - parse_duration: "[digits][.digits][unit]" with unit ns, us, ms, s, m or h, a duration
//     of 0 up to a year (never negative); format_duration of it parses back to the same
//     duration, less what format_duration leaves out (below a millisecond from 1ms on, below a
//     microsecond under 1ms);
//   - parse_mode: octal digits only, at most 07777;
//   - parse_count: decimal digits only, the value the digits spell.
// format_duration is also given the first 8 bytes as any nanosecond count, negatives included.
#include "duration.hpp"
#include "fuzz_check.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

using ipcat::Duration;
using ipcat_fuzz::quoted;
using namespace std::chrono_literals;

namespace {

constexpr auto k_year = std::chrono::hours(24 * 365);

bool all_of(std::string_view s, std::string_view allowed) {
  return std::all_of(s.begin(), s.end(),
                     [&](char c) { return allowed.find(c) != std::string_view::npos; });
}

void check_duration(std::string_view text) {
  const auto r = ipcat::parse_duration(text);
  if (!r.ok()) {
    FUZZ_CHECK(!r.error().empty(), "parse_duration " + quoted(text));
    return;
  }
  const Duration d = *r;
  const std::string ctx =
      "parse_duration " + quoted(text) + " -> " + std::to_string(d.count()) + "ns";
  FUZZ_CHECK(d.count() >= 0, ctx);
  FUZZ_CHECK(d <= k_year, ctx);

  // The accepted grammar: a number with at least one digit and at most one '.', then a unit.
  const auto unit_at = text.find_first_not_of("0123456789.");
  const std::string_view number = text.substr(0, unit_at);
  const std::string_view unit =
      unit_at == std::string_view::npos ? std::string_view() : text.substr(unit_at);
  FUZZ_CHECK(number.find_first_of("0123456789") != std::string_view::npos, ctx);
  FUZZ_CHECK(std::count(number.begin(), number.end(), '.') <= 1, ctx);
  FUZZ_CHECK(unit.empty() || unit == "ns" || unit == "us" || unit == "ms" || unit == "s" ||
                 unit == "m" || unit == "h",
             ctx);

  // format_duration shows it, and what it shows reads back as (nearly) the same duration.
  const std::string shown = ipcat::format_duration(d);
  const auto back = ipcat::parse_duration(shown);
  const std::string ctx2 = ctx + " shown as " + quoted(shown);
  FUZZ_CHECK(back.ok(), ctx2 + ": " + (back.ok() ? "" : back.error()));
  const Duration diff = d - *back;
  if (d < 1ms) {
    FUZZ_CHECK(diff >= 0ns && diff < 1us, ctx2 + " read back as " + std::to_string(back->count()));
  } else {
    // Truncated to whole milliseconds; the decimal text of large values then reads back within
    // a few nanoseconds (a double holds about 16 digits), so allow a microsecond either way.
    FUZZ_CHECK(diff > -1us && diff < 1ms + 1us,
               ctx2 + " read back as " + std::to_string(back->count()));
  }
}

void check_mode(std::string_view text) {
  const auto r = ipcat::parse_mode(text);
  if (!r.ok()) {
    FUZZ_CHECK(!r.error().empty(), "parse_mode " + quoted(text));
    return;
  }
  const std::string ctx = "parse_mode " + quoted(text) + " -> " + std::to_string(*r);
  FUZZ_CHECK(*r <= 07777U, ctx);
  FUZZ_CHECK(!text.empty() && all_of(text, "01234567"), ctx);
  unsigned value = 0;
  for (const char c : text) {
    value = value * 8 + static_cast<unsigned>(c - '0');
    if (value > 07777U) {
      break;
    }
  }
  FUZZ_CHECK(value == *r, ctx);
}

void check_count(std::string_view text) {
  const auto r = ipcat::parse_count(text);
  if (!r.ok()) {
    FUZZ_CHECK(!r.error().empty(), "parse_count " + quoted(text));
    return;
  }
  const std::string ctx = "parse_count " + quoted(text) + " -> " + std::to_string(*r);
  FUZZ_CHECK(!text.empty() && all_of(text, "0123456789"), ctx);
  std::string_view digits = text;
  while (digits.size() > 1 && digits.front() == '0') {
    digits.remove_prefix(1);
  }
  FUZZ_CHECK(std::to_string(*r) == digits, ctx);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_duration(text);
  check_mode(text);
  check_count(text);

  std::int64_t raw = 0;
  if (size > 0) {
    std::memcpy(&raw, data, std::min(size, sizeof raw));
  }
  const std::string shown = ipcat::format_duration(Duration(raw));
  FUZZ_CHECK(!shown.empty(), "format_duration(" + std::to_string(raw) + "ns)");
  return 0;
}
