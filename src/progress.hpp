// Counting what a run moves, for the eye: the --progress meter on stderr and the --stats line
// SIGUSR1 prints at once. Sessions (and the hub) lend the meter their live counters, the same
// ones the zero-copy engine updates, so counting costs the data path nothing.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "zero_copy_pump.hpp"

namespace ipcat {

/// The --stats line: "ipcat: sent N bytes, received M bytes in S s (R MB/s)" and a newline.
std::string format_stats_line(std::uint64_t sent, std::uint64_t received,
                              std::chrono::steady_clock::duration elapsed);

/// "0 B", "512 B", "1.5 KiB", "3.00 MiB", "2.1 GiB".
std::string format_bytes(double bytes);

/// What one line of the meter shows.
struct ProgressSample {
  std::uint64_t sent = 0;                ///< bytes left to right
  std::uint64_t received = 0;            ///< bytes right to left
  double rate = 0;                       ///< bytes a second both ways, lately
  double elapsed = 0;                    ///< seconds since the first session started
  std::optional<std::uint64_t> expected; ///< the size of the left input, when known
};

/// One meter line (no line ending, no escape sequence): bytes each way, the current and
/// average rate, elapsed time, and percentage and ETA when the input's size is known.
std::string format_progress(const ProgressSample& s);

/// The bytes left in fd when it is a regular file (from its offset to its size), else none.
std::optional<std::uint64_t> regular_file_left(int fd);

/// The counters of a run: whoever moves bytes attaches its counters while it runs.
class Meter {
public:
  /// progress: draw the --progress meter on stderr.
  Meter(asio::io_context& io, bool progress);
  Meter(const Meter&) = delete;
  Meter& operator=(const Meter&) = delete;

  /// Lends these counters (either may be null) until detach(owner); expected: the size of the
  /// left input, when known (the meter shows a percentage).
  void attach(const void* owner, const PumpCounters* fwd, const PumpCounters* back,
              std::optional<std::uint64_t> expected = std::nullopt);
  /// Takes the counters back; what they counted stays in the totals.
  void detach(const void* owner);
  /// Watches SIGUSR1 and starts the meter's clock.
  void start();
  /// Stops watching and drawing; prints the meter's final line (once anything was counted).
  void stop();
  /// Bytes each way so far.
  [[nodiscard]] ProgressSample sample() const;

private:
  struct Source {
    const void* owner;
    const PumpCounters* fwd;
    const PumpCounters* back;
  };
  void watch_signal();
  asio::awaitable<void> draw_loop();
  void draw(bool final);

  asio::io_context& m_io;
  bool m_progress;
  bool m_tty = false;
  asio::signal_set m_usr1;
  asio::steady_timer m_timer;
  std::vector<Source> m_sources;
  std::uint64_t m_done_sent = 0;
  std::uint64_t m_done_received = 0;
  std::optional<std::uint64_t> m_expected;
  std::optional<std::chrono::steady_clock::time_point> m_first;
  std::chrono::steady_clock::time_point m_last_draw{};
  std::uint64_t m_last_total = 0;
  std::size_t m_last_width = 0;
  bool m_stopped = false;
};

} // namespace ipcat
