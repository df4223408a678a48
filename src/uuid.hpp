// The UUID generator: RFC 9562 version 4 (random) and version 7 (time-ordered) UUIDs,
// formatted as 36 lowercase characters and a newline, produced in bulk.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

namespace ipcat {

/// Which UUID version the generator emits.
enum class UuidVersion { V4, V7 };

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

} // namespace ipcat
