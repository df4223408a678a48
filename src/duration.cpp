#include "duration.hpp"

#include <charconv>
#include <cmath>
#include <string>

namespace ipcat {

Result<Duration> parse_duration(std::string_view text) {
  const std::string shown(text);
  std::size_t i = 0;
  while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) {
    ++i;
  }
  const std::string_view number = text.substr(0, i);
  const std::string_view unit = text.substr(i);
  if (number.empty() || number == "." || number.find('.') != number.rfind('.')) {
    return fail("invalid duration '", shown, "' (examples: 1, 1.5s, 250ms)");
  }
  double value = 0;
  // from_chars for double is in g++ 12's libstdc++.
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc() || end != number.data() + number.size() || !std::isfinite(value)) {
    return fail("invalid duration '", shown, "' (examples: 1, 1.5s, 250ms)");
  }
  double scale = 1e9;
  if (unit.empty() || unit == "s") {
    scale = 1e9;
  } else if (unit == "ms") {
    scale = 1e6;
  } else if (unit == "us") {
    scale = 1e3;
  } else if (unit == "ns") {
    scale = 1;
  } else if (unit == "m") {
    scale = 60e9;
  } else if (unit == "h") {
    scale = 3600e9;
  } else {
    return fail("invalid duration '", shown, "': unknown unit '", std::string(unit),
                "' (use ns, us, ms, s, m or h)");
  }
  // A year is far beyond any sensible timeout and keeps the arithmetic far from overflow. The
  // double only screens out what is far too long (so the integers below cannot overflow); the
  // exact limit is checked on the exact value, since a double rounds "31536000.000000001" down
  // to exactly one year.
  constexpr long long year_ns = 365LL * 24 * 3600 * 1'000'000'000;
  if (value * scale > 2.0 * static_cast<double>(year_ns)) {
    return fail("invalid duration '", shown, "': too long");
  }
  // Exact arithmetic: whole units as integers, the fraction digits as an integer over 10^k,
  // so "8507037.598" is 8507037598 ms to the nanosecond (a double would lose the last digit),
  // rounded to the nearest nanosecond ("1.5ns" is 2ns; "0.01h" is 36 s exactly). Digits past
  // the 24th after the point are below 10^-11 ns even in hours, and are left out.
  const auto unit_ns = static_cast<long long>(scale);
  const auto dot = number.find('.');
  long long whole = 0;
  std::from_chars(number.data(),
                  number.data() + (dot == std::string_view::npos ? number.size() : dot), whole);
  long long total = whole * unit_ns;
  if (dot != std::string_view::npos) {
    // 24 digits times an hour in nanoseconds needs more than 64 bits.
    __extension__ using Wide = __int128;
    Wide numerator = 0;
    Wide denominator = 1;
    for (std::size_t k = dot + 1; k < number.size() && k <= dot + 24; ++k) {
      numerator = numerator * 10 + (number[k] - '0');
      denominator *= 10;
    }
    const Wide scaled = numerator * unit_ns;
    const Wide remainder = scaled % denominator;
    total += static_cast<long long>(scaled / denominator) + (2 * remainder >= denominator ? 1 : 0);
  }
  if (total > year_ns) {
    return fail("invalid duration '", shown, "': too long");
  }
  return Duration(total);
}

Result<unsigned> parse_mode(std::string_view text) {
  const std::string shown(text);
  unsigned mode = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), mode, 8);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || mode > 07777) {
    return fail("invalid mode '", shown, "' (an octal permission such as 600 or 0660)");
  }
  return mode;
}

Result<unsigned long long> parse_count(std::string_view text) {
  const std::string shown(text);
  unsigned long long n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n, 10);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return fail("invalid count '", shown, "' (a whole number, 0 or more)");
  }
  return n;
}

Result<std::uint64_t> parse_rate(std::string_view text) {
  const std::string shown(text);
  const auto bad = [&] {
    return fail("invalid rate '", shown,
                "' (bytes a second, more than 0: 1500, 500K, 1M, 2G; K=1024)");
  };
  if (text.empty()) {
    return bad();
  }
  double scale = 1;
  switch (text.back()) {
  case 'k':
  case 'K':
    scale = 1024.0;
    break;
  case 'm':
  case 'M':
    scale = 1024.0 * 1024.0;
    break;
  case 'g':
  case 'G':
    scale = 1024.0 * 1024.0 * 1024.0;
    break;
  default:
    break;
  }
  const std::string_view number = scale == 1 ? text : text.substr(0, text.size() - 1);
  if (number.empty() || number.front() < '0' || number.front() > '9' ||
      number.find_first_not_of("0123456789.") != std::string_view::npos) {
    return bad();
  }
  double value = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc() || end != number.data() + number.size()) {
    return bad();
  }
  const double rate = std::floor(value * scale);
  if (!(rate >= 1) || rate > 1e18) {
    return bad();
  }
  return static_cast<std::uint64_t>(rate);
}

std::string format_duration(Duration d) {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(d).count();
  if (d.count() != 0 && d < milliseconds(1)) {
    return std::to_string(duration_cast<microseconds>(d).count()) + "us";
  }
  if (ms % 1000 == 0) {
    return std::to_string(ms / 1000) + "s";
  }
  if (ms < 1000) {
    return std::to_string(ms) + "ms";
  }
  std::string s = std::to_string(static_cast<double>(ms) / 1000.0);
  while (!s.empty() && s.back() == '0') {
    s.pop_back();
  }
  return s + "s";
}

} // namespace ipcat
