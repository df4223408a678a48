// The relay: one session between two endpoints, copying both directions at once with bounded
// buffers, and ending exactly as the contract's end-of-session rules say.
#pragma once

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "duration.hpp"
#include "read_ahead.hpp"
#include "stream.hpp"
#include "tap.hpp"
#include "zero_copy_pump.hpp"

namespace ipcat {

class Meter;

/// How a session behaves (from the options).
struct SessionSettings {
  bool no_shutdown = false;                 ///< never half-close a socket
  bool recv_only = false;                   ///< no left-to-right direction
  bool send_only = false;                   ///< right-to-left data is read and dropped
  bool echo = false;                        ///< copy left-to-right data to stderr
  std::optional<Duration> quit_after_input; ///< end this long after the left input ends
  std::optional<Duration> idle_timeout;     ///< end after this long without data
  std::size_t buffer_size = 1 << 20;        ///< bytes buffered per direction at most
  ShapeSettings shape;                      ///< --hex-dump, -o, -C, --delay, --rate
  Meter* meter = nullptr;                   ///< counts for --progress and SIGUSR1 (optional)
  bool peer_is_left = false;                ///< the dump names the left endpoint (a listener's)
};

/// How a session ended.
struct SessionResult {
  int status = 0;             ///< the exit status it leads to
  std::string message;        ///< one line for stderr ("" for a normal end)
  std::uint64_t sent = 0;     ///< bytes moved left to right
  std::uint64_t received = 0; ///< bytes moved right to left
  std::chrono::steady_clock::duration elapsed{};
};

/// A running relay between a left and a right endpoint.
class Session : public std::enable_shared_from_this<Session> {
public:
  using DoneHandler = std::function<void(const SessionResult&)>;

  Session(asio::io_context& io, std::unique_ptr<Stream> left, std::unique_ptr<Stream> right,
          SessionSettings settings, DoneHandler done);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Starts both directions; done is called once, after everything has stopped.
  void start();
  /// Ends the session at once with this status (the first call wins).
  void stop(int status, std::string message = {});

private:
  struct Direction {
    Stream* src = nullptr;
    Stream* dst = nullptr;      // nullptr: read and drop (to notice the peer going away)
    Stream* receiver = nullptr; // the endpoint on the receiving side, even when dropping
    bool forward = false;       // left to right
    bool done = false;
    std::unique_ptr<char[]> buf;
    std::size_t size = 0;
    PumpCounters counts; // taken from src, given to dst (dropped bytes count as given)
    // Records, transforms and paces chunks (the copy path only).
    std::unique_ptr<Tap> tap;
    // Reads a large regular file in a thread of its own, into pieces of buf (the copy path).
    std::unique_ptr<ReadAhead> ahead;
  };

  asio::awaitable<void> pump(std::shared_ptr<Session> self, Direction* d);
  asio::awaitable<bool> run_zero_copy(Direction* d);
  asio::awaitable<bool> write_all(Direction* d, std::span<const char> data, std::size_t n);
  asio::awaitable<bool> write_shaped(Direction* d, std::size_t n);
  asio::awaitable<void> quit_timer(std::shared_ptr<Session> self, Duration after);
  asio::awaitable<void> idle_watchdog(std::shared_ptr<Session> self);
  asio::awaitable<void> hangup_watch(std::shared_ptr<Session> self, Direction* towards);
  asio::awaitable<void> input_grace(std::shared_ptr<Session> self, Direction* towards);
  [[nodiscard]] bool input_grew() const;
  void spawn(asio::awaitable<void> work);
  void on_eof(Direction& d);
  void on_read_error(Direction& d, int err);
  void on_write_error(Direction& d, int err);
  void on_peer_gone(Direction& towards);
  void fail_later(std::string message);
  [[nodiscard]] static std::string not_delivered(const Direction& d);
  [[nodiscard]] Direction& opposite(const Direction& d);
  [[nodiscard]] bool active(const Direction& d) const;
  void check_complete();
  void finish_one();

  asio::io_context& m_io;
  std::unique_ptr<Stream> m_left;
  std::unique_ptr<Stream> m_right;
  SessionSettings m_settings;
  DoneHandler m_done;
  Direction m_fwd;
  Direction m_back;
  bool m_has_fwd = false;
  bool m_has_back = false;
  asio::steady_timer m_quit;
  asio::steady_timer m_idle;
  asio::steady_timer m_grace;
  // The peer left while the input it was fed from had not ended (a pipe, momentarily empty):
  // that direction, and what it had taken then. More taken later was never delivered.
  Direction* m_grace_dir = nullptr;
  std::uint64_t m_grace_taken = 0;
  std::chrono::steady_clock::time_point m_start;
  std::string m_failure; // data was lost: the session ends with status 1 and this line
  int m_active = 0;
  bool m_stopped = false;
  bool m_quit_started = false;
  SessionResult m_result;
};

} // namespace ipcat
