// Durations and octal modes as the command line spells them.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "result.hpp"

namespace ipcat {

using Duration = std::chrono::nanoseconds;

/// Parses "1.5", "250ms", "2s", "1m", "10us": a non-negative decimal number with an optional
/// unit (ns, us, ms, s, m, h); a bare number means seconds, as nc's -q/-w/-i take them.
Result<Duration> parse_duration(std::string_view text);

/// Parses an octal permission mode such as "600" or "0660" (at most 07777).
Result<unsigned> parse_mode(std::string_view text);

/// Parses a non-negative decimal count that fits in 64 bits ("10", not "-1", "1e3" or "").
Result<unsigned long long> parse_count(std::string_view text);

/// Parses a rate in bytes a second: "1500", "500K", "1M", "2G", "1.5M" (K, M, G are powers
/// of 1024, as pv and dd read them); more than 0.
Result<std::uint64_t> parse_rate(std::string_view text);

/// Formats a duration for messages: "1.5s", "250ms".
std::string format_duration(Duration d);

} // namespace ipcat
