// The UUID generator: bulk randomness from a pool, table-driven hex formatting, and the RFC 9562
// §6.2 counter that keeps version 7 UUIDs strictly increasing within one run; versions 1, 3
// and 5 through libuuid, the namespace and name arguments they take.
#include "uuid.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <system_error>
#include <utility>

#include <sys/random.h>
#include <uuid/uuid.h>

namespace ipcat {

namespace {

/// Every byte value as its two lowercase hex digits, so formatting is one lookup a byte.
constexpr std::array<char, 512> k_hex_pairs = [] {
  constexpr char digits[] = "0123456789abcdef";
  std::array<char, 512> table{};
  for (std::size_t i = 0; i < 256; ++i) {
    table[2 * i] = digits[i >> 4];
    table[2 * i + 1] = digits[i & 0x0f];
  }
  return table;
}();

// The v7 counter is method 1 of RFC 9562 §6.2 ("fixed bit-length dedicated counter"): the
// 12 bits of rand_a and the top 6 bits of rand_b, 18 bits in all, so the 56 bits left in
// bytes 9 to 15 are fresh random in every UUID. On a new millisecond the counter is seeded
// with random bits but its top bit is zero (the RFC's rollover guard), which leaves at least
// 2^17 increments before it overflows: that is 131 million UUIDs a second, well above what
// one core formats, so in practice the stored millisecond never runs ahead of the clock.
constexpr unsigned k_counter_bits = 18;
constexpr std::uint64_t k_counter_max = (std::uint64_t{1} << k_counter_bits) - 1;
constexpr std::uint64_t k_counter_seed_mask = k_counter_max >> 1;
constexpr std::uint64_t k_timestamp_mask = (std::uint64_t{1} << 48) - 1;

/// Writes the two hex digits of byte b at out.
inline void put_hex(char* out, std::uint8_t b) {
  std::memcpy(out, &k_hex_pairs[2 * std::size_t{b}], 2);
}

} // namespace

std::optional<UuidVersion> parse_uuid_version(std::string_view text) {
  if (text.size() != 2 || (text[0] != 'v' && text[0] != 'V')) {
    return std::nullopt;
  }
  switch (text[1]) {
  case '1':
    return UuidVersion::V1;
  case '3':
    return UuidVersion::V3;
  case '4':
    return UuidVersion::V4;
  case '5':
    return UuidVersion::V5;
  case '7':
    return UuidVersion::V7;
  default:
    return std::nullopt;
  }
}

std::string_view uuid_version_name(UuidVersion version) {
  switch (version) {
  case UuidVersion::V1:
    return "v1";
  case UuidVersion::V3:
    return "v3";
  case UuidVersion::V4:
    return "v4";
  case UuidVersion::V5:
    return "v5";
  case UuidVersion::V7:
    return "v7";
  }
  return "v4";
}

bool is_name_based(UuidVersion version) {
  return version == UuidVersion::V3 || version == UuidVersion::V5;
}

Result<UuidBytes> parse_uuid_namespace(std::string_view text) {
  const std::string shown(text);
  UuidBytes out{};
  if (!text.empty() && text.front() == '@') {
    // The same four names as uuidgen, from libuuid's own table of RFC 9562 namespaces.
    const std::string alias(text.substr(1));
    const uuid_t* ns = nullptr;
    if (alias == "dns" || alias == "url" || alias == "oid" || alias == "x500") {
      ns = uuid_get_template(alias.c_str());
    }
    if (ns == nullptr) {
      return fail("unknown namespace '", shown, "' (@dns, @url, @oid, @x500 or a UUID)");
    }
    std::memcpy(out.data(), *ns, out.size());
    return out;
  }
  // uuid_parse reads the first 36 characters of a C string: the length is checked here, so
  // that trailing characters are an error rather than ignored.
  uuid_t parsed;
  if (text.size() != 36 || text.find('\0') != std::string_view::npos ||
      uuid_parse(shown.c_str(), parsed) != 0) {
    return fail("invalid namespace '", shown,
                "': not a UUID (8-4-4-4-12 hex digits) nor @dns, @url, @oid, @x500");
  }
  std::memcpy(out.data(), parsed, out.size());
  return out;
}

bool has_name_counter(std::string_view pattern) {
  for (std::size_t i = 0; i + 1 < pattern.size(); ++i) {
    if (pattern[i] == '%') {
      if (pattern[i + 1] == 'n') {
        return true;
      }
      if (pattern[i + 1] == '%') {
        ++i; // "%%n" is a literal "%n", not the counter
      }
    }
  }
  return false;
}

std::string expand_name(std::string_view pattern, unsigned long long n) {
  std::string out;
  out.reserve(pattern.size() + 20);
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '%' && i + 1 < pattern.size()) {
      if (pattern[i + 1] == 'n') {
        out += std::to_string(n);
        ++i;
        continue;
      }
      if (pattern[i + 1] == '%') {
        out += '%';
        ++i;
        continue;
      }
    }
    out += pattern[i];
  }
  return out;
}

void system_random(std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    // getrandom(2) may return fewer bytes than asked for (large requests, or a signal after
    // some bytes were copied), so keep going until the span is full.
    const ssize_t got = ::getrandom(out.data() + done, out.size() - done, 0);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw std::system_error(errno, std::generic_category(), "getrandom");
    }
    done += static_cast<std::size_t>(got);
  }
}

std::uint64_t system_millis() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000 +
         static_cast<std::uint64_t>(ts.tv_nsec) / 1'000'000;
}

UuidGenerator::UuidGenerator(UuidVersion version, RandomSource random, MillisClock clock)
    : m_version(version), m_random(std::move(random)), m_clock(std::move(clock)) {}

std::size_t UuidGenerator::fill(std::span<char> out, std::size_t max_lines) {
  const std::size_t lines = std::min(out.size() / k_uuid_line, max_lines);
  char* line = out.data();
  std::uint8_t bytes[16];
  // The version is tested once, outside the loop, so each loop body stays small and inlined.
  if (m_version == UuidVersion::V4) {
    for (std::size_t i = 0; i < lines; ++i) {
      next_v4(bytes);
      format(bytes, line);
      line[36] = '\n';
      line += k_uuid_line;
    }
  } else {
    for (std::size_t i = 0; i < lines; ++i) {
      next_v7(bytes);
      format(bytes, line);
      line[36] = '\n';
      line += k_uuid_line;
    }
  }
  return lines * k_uuid_line;
}

void UuidGenerator::format(const std::uint8_t (&bytes)[16], char* out36) {
  // The layout is 8-4-4-4-12 hex digits: bytes 0-3, 4-5, 6-7, 8-9 and 10-15.
  char* p = out36;
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      *p++ = '-';
    }
    put_hex(p, bytes[i]);
    p += 2;
  }
}

void UuidGenerator::next_v4(std::uint8_t (&bytes)[16]) {
  take_random(bytes, 16);
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0f) | 0x40);
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3f) | 0x80);
}

void UuidGenerator::next_v7(std::uint8_t (&bytes)[16]) {
  const std::uint64_t now = m_clock();
  if (!m_started || now > m_last_ms) {
    m_started = true;
    m_last_ms = now;
    seed_counter();
  } else if (m_counter < k_counter_max) {
    // The same millisecond as the last UUID, or the clock went backwards: count up from the
    // last value instead of drawing new bits, so this UUID sorts after the last one.
    ++m_counter;
  } else {
    // The counter is spent: borrow the next millisecond, whose timestamp alone sorts after
    // everything so far, and start a new counter there.
    ++m_last_ms;
    seed_counter();
  }

  const std::uint64_t ms = m_last_ms & k_timestamp_mask;
  for (std::size_t i = 0; i < 6; ++i) {
    bytes[i] = static_cast<std::uint8_t>(ms >> (40 - 8 * i));
  }
  bytes[6] = static_cast<std::uint8_t>(0x70 | ((m_counter >> 14) & 0x0f));
  bytes[7] = static_cast<std::uint8_t>(m_counter >> 6);
  bytes[8] = static_cast<std::uint8_t>(0x80 | (m_counter & 0x3f));
  take_random(bytes + 9, 7);
}

void UuidGenerator::seed_counter() {
  std::uint8_t seed[3];
  take_random(seed, sizeof(seed));
  m_counter = ((std::uint64_t{seed[0]} << 16) | (std::uint64_t{seed[1]} << 8) | seed[2]) &
              k_counter_seed_mask;
}

void UuidGenerator::take_random(std::uint8_t* out, std::size_t n) {
  if (sizeof(m_pool) - m_pool_pos < n) {
    // Refill the whole pool with one call; the few bytes left over (fewer than n) are dropped,
    // which keeps this path free of a split copy.
    m_random(std::span<std::uint8_t>(m_pool, sizeof(m_pool)));
    m_pool_pos = 0;
  }
  std::memcpy(out, m_pool + m_pool_pos, n);
  m_pool_pos += n;
}

LibUuidGenerator::LibUuidGenerator(UuidVersion version, const UuidBytes& ns, std::string name)
    : m_version(version), m_namespace(ns), m_name(std::move(name)),
      m_counter(has_name_counter(m_name)) {
  if (is_name_based(m_version) && !m_counter) {
    // Without %n every UUID of the run is the same hash: made once, copied after.
    UuidBytes bytes{};
    next(bytes);
    m_fixed = bytes;
  }
}

std::size_t LibUuidGenerator::fill(std::span<char> out, std::size_t max_lines) {
  const std::size_t lines = std::min(out.size() / k_uuid_line, max_lines);
  char* line = out.data();
  UuidBytes bytes{};
  std::uint8_t raw[16];
  for (std::size_t i = 0; i < lines; ++i) {
    if (m_fixed) {
      bytes = *m_fixed;
    } else {
      next(bytes);
    }
    std::memcpy(raw, bytes.data(), sizeof(raw));
    UuidGenerator::format(raw, line);
    line[36] = '\n';
    line += k_uuid_line;
  }
  return lines * k_uuid_line;
}

void LibUuidGenerator::next(UuidBytes& bytes) {
  uuid_t out;
  if (m_version == UuidVersion::V1) {
    const bool safe = uuid_generate_time_safe(out) == 0;
    if (!m_first_safe) {
      m_first_safe = safe;
    }
  } else {
    const std::string name = m_counter ? expand_name(m_name, ++m_serial) : m_name;
    if (m_version == UuidVersion::V3) {
      uuid_generate_md5(out, m_namespace.data(), name.data(), name.size());
    } else {
      uuid_generate_sha1(out, m_namespace.data(), name.data(), name.size());
    }
  }
  std::memcpy(bytes.data(), out, bytes.size());
}

} // namespace ipcat
