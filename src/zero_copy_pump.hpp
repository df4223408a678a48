// The zero-copy engine: moves one direction's bytes between two descriptors with sendfile or
// splice, waiting for readiness through the streams, and says how it ended. The session maps
// that outcome to its end-of-direction rules in one place, so every way out ends the direction.
#pragma once

#include <asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>

#include "stream.hpp"
#include "zero_copy.hpp"

namespace ipcat {

/// How a zero-copy run ended.
enum class PumpEnd {
  Fallback,   ///< the kernel will not move this pair (any more): go on with the copy path
  EndOfInput, ///< the source reached its end; everything taken was handed over
  ReadError,  ///< reading the source failed (err)
  WriteError, ///< writing the destination failed (err)
  Stopped,    ///< the session was stopped (a wait was cancelled)
};

/// The outcome of ZeroCopyPump::run.
struct PumpOutcome {
  PumpEnd end = PumpEnd::Stopped;
  int err = 0; ///< the errno value for ReadError and WriteError
};

/// Byte counts and activity of one direction, updated as bytes move.
struct PumpCounters {
  std::uint64_t taken = 0; ///< bytes taken from the source
  std::uint64_t given = 0; ///< bytes handed to the destination
  std::chrono::steady_clock::time_point last_activity{};
};

/// Moves src's bytes to dst without copying them through user space.
class ZeroCopyPump {
public:
  /// kind is choose_move()'s answer for the pair (not Copy); chunk bounds one call; scratch is
  /// the copy path's buffer, used to hand over bytes stuck in the private pipe when the
  /// destination turns out to take no splice.
  /// log_fd (SpliceViaPipe only): every byte is also teed into this descriptor (-o); a log
  /// that fails is reported once and left.
  ZeroCopyPump(Stream& src, Stream& dst, MoveKind kind, std::size_t chunk, std::span<char> scratch,
               PumpCounters& counters, const bool& stopped, int log_fd = -1);

  /// Runs until the direction ends or the copy path must take over.
  asio::awaitable<PumpOutcome> run();

private:
  asio::awaitable<PumpOutcome> run_via_pipe(SplicePipe& pipe);
  asio::awaitable<PumpOutcome> run_direct();
  asio::awaitable<PumpOutcome> drain_by_copy(int pipe_fd, std::size_t bytes);
  void moved_in(std::size_t n);
  void moved_out(std::size_t n);
  bool yield_due();
  bool log_pipe(SplicePipe& pipe, std::size_t n);

  Stream& m_src;
  Stream& m_dst;
  MoveKind m_kind;
  std::size_t m_chunk;
  std::span<char> m_scratch;
  PumpCounters& m_counters;
  const bool& m_stopped;
  std::chrono::steady_clock::time_point m_last_yield = std::chrono::steady_clock::now();
  int m_log_fd;
  std::optional<SplicePipe> m_tee; // the -o log's copy of the private pipe
  bool m_log_by_write = false;     // the log takes no splice (O_APPEND): read and write it
};

} // namespace ipcat
