// The UUID generator: RFC 9562 version 4 (random) and version 7 (time-ordered) UUIDs,
// formatted as 36 lowercase characters and a newline, produced in bulk; versions 1, 3 and 5
// (time-based, name-based with MD5 and SHA-1) made one at a time through libuuid.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "result.hpp"

namespace ipcat {

/// Which UUID version the generator emits.
enum class UuidVersion { V1, V3, V4, V5, V7 };

/// The 16 bytes of one UUID, in RFC 9562 order.
using UuidBytes = std::array<std::uint8_t, 16>;

/// The version "v1", "v3", "v4", "v5" or "v7" (case-insensitive) names, or nothing.
std::optional<UuidVersion> parse_uuid_version(std::string_view text);
/// The version as written: "v4".
std::string_view uuid_version_name(UuidVersion version);
/// True for v3 and v5, which hash a namespace and a name.
bool is_name_based(UuidVersion version);

/// A namespace as uuidgen takes it: @dns, @url, @oid, @x500 or a UUID in its 36-character form.
Result<UuidBytes> parse_uuid_namespace(std::string_view text);
/// True when a name pattern holds the counter placeholder %n (%% is a literal %).
bool has_name_counter(std::string_view pattern);
/// The pattern with each %n replaced by n and each %% by %; any other % is kept as written.
std::string expand_name(std::string_view pattern, unsigned long long n);

/// Length of one formatted UUID line: 36 characters and '\n'.
inline constexpr std::size_t k_uuid_line = 37;

/// Fills a buffer with random bytes (the seam a unit test fakes). Default: getrandom(2).
using RandomSource = std::function<void(std::span<std::uint8_t>)>;
/// Milliseconds since the Unix epoch (the seam a unit test fakes). Default: CLOCK_REALTIME.
using MillisClock = std::function<std::uint64_t()>;

/// The kernel's CSPRNG through getrandom(2); throws std::system_error on failure.
void system_random(std::span<std::uint8_t> out);
/// The wall clock in milliseconds since the epoch.
std::uint64_t system_millis();

/// Generates UUID lines. Randomness is drawn in bulk (kilobytes at a time), formatting does no
/// allocation and no system call per UUID, so one core makes well over 10 million a second.
class UuidGenerator {
public:
  explicit UuidGenerator(UuidVersion version, RandomSource random = system_random,
                         MillisClock clock = system_millis);

  /// Writes as many whole lines as fit in out (at most max_lines), returns the bytes written
  /// (a multiple of k_uuid_line; 0 only when out is shorter than one line or max_lines is 0).
  std::size_t fill(std::span<char> out, std::size_t max_lines = SIZE_MAX);

  /// Formats 16 raw bytes as 36 lowercase hex characters with dashes (no newline).
  static void format(const std::uint8_t (&bytes)[16], char* out36);

private:
  void next_v4(std::uint8_t (&bytes)[16]);
  void next_v7(std::uint8_t (&bytes)[16]);
  void seed_counter();
  void take_random(std::uint8_t* out, std::size_t n);

  UuidVersion m_version;
  RandomSource m_random;
  MillisClock m_clock;
  std::uint8_t m_pool[4096];
  std::size_t m_pool_pos = sizeof(m_pool);
  std::uint64_t m_last_ms = 0;
  std::uint64_t m_counter = 0; // v7: 12-bit rand_a plus high bits of rand_b as a counter
  bool m_started = false;      // v7: whether m_last_ms and m_counter hold a previous UUID
};

/// Makes v1, v3 and v5 UUID lines through libuuid, one UUID at a time: these versions are
/// for correctness beside uuidgen, not for bulk (v4 and v7 are UuidGenerator's).
class LibUuidGenerator {
public:
  /// ns and name matter only to v3 and v5; name may hold the %n counter.
  LibUuidGenerator(UuidVersion version, const UuidBytes& ns, std::string name);

  /// Writes as many whole lines as fit in out (at most max_lines), returns the bytes written.
  std::size_t fill(std::span<char> out, std::size_t max_lines = SIZE_MAX);

  /// v1: whether the first UUID was made safely (uuid_generate_time_safe returned 0: through
  /// uuidd, or with a clock sequence libuuid trusts); nothing before the first v1 UUID.
  [[nodiscard]] std::optional<bool> first_safe() const { return m_first_safe; }

private:
  void next(UuidBytes& bytes);

  UuidVersion m_version;
  UuidBytes m_namespace;
  std::string m_name;
  bool m_counter;                   // the name holds %n: hash each expansion
  std::optional<UuidBytes> m_fixed; // v3/v5 without %n: every UUID is this one
  unsigned long long m_serial = 0;  // the last %n value used
  std::optional<bool> m_first_safe;
};

} // namespace ipcat
