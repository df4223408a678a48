// Seeing and shaping what a session moves: the hex dump and raw log of every chunk (--hex-dump,
// -o), LF to CRLF on the way out (-C) and pacing (--delay, --rate). The relay and the hub hand
// each chunk to a Tap before writing it; the pure parts (the formatter, the rate parser, the
// token bucket) are unit-tested on their own.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "duration.hpp"
#include "fd.hpp"

namespace ipcat {

/// One chunk as dump text: a header line (">" left to right, "<" back, the UTC time with
/// microseconds, the byte count, the endpoint), then hexdump -C style lines, none left out.
std::string format_hex_chunk(bool forward, std::chrono::system_clock::time_point at,
                             std::string_view endpoint, std::span<const char> data);

/// Appends in to out with every LF made CRLF (a CR already before it is kept, as nc -C does).
void expand_crlf(std::span<const char> in, std::string& out);

/// A token bucket: rate bytes a second on average, bursts of at most burst bytes. A chunk
/// larger than what is in the bucket (a datagram) goes out whole and is paid for afterwards.
class TokenBucket {
public:
  using Clock = std::chrono::steady_clock;
  /// A full bucket at now.
  TokenBucket(std::uint64_t rate, std::size_t burst, Clock::time_point now);
  /// Takes n bytes' worth; returns how long to wait before sending them (0: at once).
  Duration take(std::size_t n, Clock::time_point now);
  /// The largest burst.
  [[nodiscard]] std::size_t burst() const { return m_burst; }

private:
  double m_rate;
  std::size_t m_burst;
  double m_tokens;
  Clock::time_point m_last;
};

/// The files --hex-dump and -o write, shared by every session of a run.
class TapFiles {
public:
  /// Opens them (hex "-": stderr); throws Error when one cannot be opened.
  TapFiles(const std::optional<std::string>& hex_dump, const std::optional<std::string>& log,
           bool append);
  /// Records one chunk going one way: a dump entry and the raw bytes, each written at once.
  void record(bool forward, std::string_view endpoint, std::span<const char> data);
  /// True when a hex dump is written (it needs every chunk in user space).
  [[nodiscard]] bool dumps() const { return m_hex_on; }
  /// The -o log's descriptor (-1: none), for the zero-copy engine's tee(2).
  [[nodiscard]] int log_fd() const { return m_log.get(); }

private:
  Fd m_hex;
  bool m_hex_to_stderr = false;
  bool m_hex_on = false;
  Fd m_log;
};

/// What shapes a session's bytes, from the options.
struct ShapeSettings {
  std::shared_ptr<TapFiles> files;   ///< --hex-dump, -o (none: nothing recorded)
  bool crlf = false;                 ///< -C
  std::optional<Duration> delay;     ///< --delay
  std::optional<std::uint64_t> rate; ///< --rate, bytes a second
  /// True when the bytes must pass through user space (no zero-copy).
  [[nodiscard]] bool any() const { return files || crlf || delay || rate; }
};

/// One direction's tap: records each chunk and, left to right, transforms and paces it.
class Tap {
public:
  /// forward: left to right (the only direction -C, --delay and --rate change); buffer_size
  /// bounds a paced burst.
  Tap(asio::io_context& io, const ShapeSettings& settings, bool forward, std::size_t buffer_size);
  /// The most bytes to read at once: a paced stream is read a burst at a time.
  [[nodiscard]] std::size_t read_limit(std::size_t size) const;
  /// How much of rest to write next: up to and including its first LF with --delay (the pause
  /// falls between lines), else all of it.
  [[nodiscard]] std::size_t piece(std::span<const char> rest) const;
  /// Waits as pacing requires, records the chunk and returns the bytes to write: the chunk
  /// itself or its transformed copy (valid until the next call).
  asio::awaitable<std::span<const char>> before_write(std::span<const char> chunk,
                                                      std::string_view endpoint);
  /// Ends a pending wait at once (the session stops).
  void cancel();
  /// True when this tap only logs raw bytes (-o): the zero-copy engine can tee them instead.
  [[nodiscard]] bool log_only() const;
  /// The -o log's descriptor (-1: none).
  [[nodiscard]] int log_fd() const;

private:
  asio::awaitable<void> wait(Duration d);

  ShapeSettings m_settings;
  bool m_forward;
  asio::steady_timer m_timer;
  std::optional<TokenBucket> m_bucket;
  std::string m_out;
  bool m_first = true;
  bool m_cancelled = false;
};

} // namespace ipcat
