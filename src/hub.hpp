// -k with stdio as the local side: stdin goes to every connected client, and every client's
// data goes to stdout, whole lines at a time so lines from different clients never mix.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "duration.hpp"
#include "line_framer.hpp"
#include "stream.hpp"
#include "tap.hpp"
#include "zero_copy_pump.hpp"

namespace ipcat {

class Meter;

/// What the hub needs from the command line.
struct HubSettings {
  bool recv_only = false;   ///< -d: never read stdin
  bool send_only = false;   ///< --send-only: never write to stdout
  bool echo = false;        ///< --echo: copy stdin to stderr as it is sent
  bool no_shutdown = false; ///< --no-shutdown: never half-close a client at the end of stdin
  std::optional<Duration> idle_timeout; ///< -i, per client
  ShapeSettings shape;                  ///< --hex-dump, -o, -C, --delay, --rate (per client)
  Meter* meter = nullptr;               ///< counts for --progress and SIGUSR1 (optional)
};

/// Wakes every coroutine waiting on it. Each waiter has its own timer, so waking one never
/// disturbs another, and a notification with nobody waiting is simply a no-op (waiters check
/// their condition before they wait).
class Notifier {
public:
  /// A notifier whose waiters run on io.
  explicit Notifier(asio::io_context& io) : m_io(io) {}
  /// Waits until the next notify_all().
  asio::awaitable<void> wait();
  /// Wakes every current waiter.
  void notify_all();

private:
  asio::io_context& m_io;
  std::vector<std::shared_ptr<asio::steady_timer>> m_waiters;
};

/// Fans stdin out to all clients and merges their lines into stdout.
class Hub {
public:
  /// on_end(status) is called when the hub can go on no longer (stdout closed: status 0).
  Hub(asio::io_context& io, std::unique_ptr<Stream> local, HubSettings settings,
      std::function<void(int)> on_end);
  ~Hub();
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  /// Starts reading stdin and writing stdout.
  void start();
  /// Serves one more client.
  void add(std::unique_ptr<Stream> client);
  /// Stops everything (signals, shutdown).
  void stop();
  /// The number of clients being served.
  [[nodiscard]] std::size_t client_count() const { return m_clients.size(); }

private:
  /// A piece of stdin, shared by the clients it is queued for.
  struct Chunk {
    std::uint64_t seq = 0; // its place in stdin, to keep held chunks in order
    std::string data;
    std::size_t holders = 0; // clients with it still in their queue
    bool delivered = false;  // written whole to at least one client
  };
  using ChunkPtr = std::shared_ptr<Chunk>;
  // The most of an unfinished line held per client; past it the line goes out in pieces and
  // its client owns stdout until the newline.
  static constexpr std::size_t k_hub_max_line = 64 * 1024;
  struct Client {
    explicit Client(asio::io_context& io) : wake(io), idle_timer(io) {}
    std::unique_ptr<Stream> stream;
    std::deque<ChunkPtr> queue;       // stdin chunks still to send to this client
    LineFramer lines{k_hub_max_line}; // received bytes not yet passed on to stdout
    Notifier wake;                    // notified when queue grows or input ends
    asio::steady_timer idle_timer;    // -i; cancelled when the client ends, so it lets go at once
    std::chrono::steady_clock::time_point last_activity = std::chrono::steady_clock::now();
    bool held_back = false; // not read until stdout has room or is free of a long line
    bool reading_done = false;
    bool gone = false;
    // Records, transforms and paces what is sent to this client.
    std::unique_ptr<Tap> tap;
  };

  asio::awaitable<void> read_input();
  asio::awaitable<void> write_output();
  asio::awaitable<void> client_reader(std::shared_ptr<Client> c);
  asio::awaitable<void> client_writer(std::shared_ptr<Client> c);
  asio::awaitable<bool> send_chunk(std::shared_ptr<Client> c, std::string_view data);
  asio::awaitable<void> client_idle(std::shared_ptr<Client> c);
  asio::awaitable<void> finish_output(std::shared_ptr<Client> c);
  [[nodiscard]] bool must_wait_to_read(const Client& c) const;
  [[nodiscard]] bool input_must_wait() const;
  bool pass_on(const std::shared_ptr<Client>& c);
  void release_queue(Client& c);
  void drop(const std::shared_ptr<Client>& c, const std::string& why);
  void emit(std::string data);
  void spawn(asio::awaitable<void> work);

  asio::io_context& m_io;
  std::unique_ptr<Stream> m_local;
  HubSettings m_settings;
  std::function<void(int)> m_on_end;
  bool m_output; // client data goes to stdout (else it is read and thrown away)
  std::list<std::shared_ptr<Client>> m_clients;
  std::deque<ChunkPtr> m_held; // stdin no client has taken yet, for the next client
  std::uint64_t m_next_seq = 0;
  std::deque<std::string> m_out; // client lines waiting for stdout
  std::size_t m_out_bytes = 0;
  // The client whose unfinished long line is going out: nobody else's data goes to stdout
  // until its newline.
  std::shared_ptr<Client> m_owner;
  Notifier m_out_ready;  // m_out grew
  Notifier m_out_room;   // m_out shrank, or stdout's owner changed
  Notifier m_input_room; // a client arrived, left, or took a chunk off its queue
  bool m_input_done = false;
  bool m_stopped = false;
  PumpCounters m_in_counts;  // stdin read (once, whatever the number of clients)
  PumpCounters m_out_counts; // written to stdout
};

} // namespace ipcat
