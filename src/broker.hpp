// --broker and --chat with -lk: every client's lines go to every other client (never back to
// their sender) and to stdout; stdin's lines go to every client. A line is never interleaved
// with another's. Each client has a bounded queue: while one is over its bound the senders
// wait, and a client whose queue stays over the bound for k_full_grace (it does not read its
// data) is dropped, so it never stalls the others for long. --chat prefixes lines with
// "<userN> " and announces arrivals and departures as ncat does.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "broker_table.hpp"
#include "duration.hpp"
#include "hub.hpp"
#include "line_framer.hpp"
#include "stream.hpp"

namespace ipcat {

/// What the broker takes from the command line.
struct BrokerSettings {
  bool chat = false;                    ///< --chat: prefix lines, announce clients
  bool recv_only = false;               ///< -d: never read stdin
  bool send_only = false;               ///< --send-only: never write to stdout
  std::optional<Duration> idle_timeout; ///< -i, per client
};

/// Relays lines between clients, stdin and stdout.
class Broker {
public:
  /// The bytes queued for one client past which the senders wait for it.
  static constexpr std::size_t k_queue_limit = 1 << 20;
  /// How long a client's queue may stay over k_queue_limit before the client is dropped.
  static constexpr std::chrono::milliseconds k_full_grace{1000};
  /// The longest line kept whole; a longer one goes on in pieces of this size.
  static constexpr std::size_t k_max_line = 64 * 1024;

  /// on_end(status) is called when the broker can go on no longer (stdout failed).
  Broker(asio::io_context& io, std::unique_ptr<Stream> local, BrokerSettings settings,
         std::function<void(int)> on_end);
  ~Broker();
  Broker(const Broker&) = delete;
  Broker& operator=(const Broker&) = delete;

  /// Starts reading stdin and writing stdout.
  void start();
  /// Serves one more client.
  void add(std::unique_ptr<Stream> client);
  /// Stops everything (signals, shutdown).
  void stop();
  /// The number of clients being served.
  [[nodiscard]] std::size_t client_count() const { return m_clients.size(); }
  /// True when a client was dropped for not reading its data (its lines were lost).
  [[nodiscard]] bool lost_data() const { return m_lost; }

private:
  struct Client {
    explicit Client(asio::io_context& io) : wake(io), idle_timer(io), full_timer(io) {}
    unsigned id = 0;
    std::unique_ptr<Stream> stream;
    LineFramer lines{k_max_line};
    bool mid_line = false; // chat: its last text ended inside a line
    Notifier wake;         // its queue grew, or it is gone
    asio::steady_timer idle_timer;
    asio::steady_timer full_timer; // k_full_grace after its queue went over the limit
    bool full = false;             // its queue is over the limit (watched by watch_full)
    std::chrono::steady_clock::time_point last_activity = std::chrono::steady_clock::now();
    bool gone = false;
  };
  using ClientPtr = std::shared_ptr<Client>;

  asio::awaitable<void> read_input();
  asio::awaitable<void> write_output();
  asio::awaitable<void> client_reader(ClientPtr c);
  asio::awaitable<void> client_writer(ClientPtr c);
  asio::awaitable<void> client_idle(ClientPtr c);
  asio::awaitable<void> watch_full(ClientPtr c);
  void pass_on(unsigned from, LineFramer& lines, bool& mid_line, bool at_end);
  void deliver(unsigned from, std::string_view text, bool& mid_line);
  void wake_all();
  void drop(const ClientPtr& c, const std::string& why);
  void spawn(asio::awaitable<void> work);

  asio::io_context& m_io;
  std::unique_ptr<Stream> m_local;
  BrokerSettings m_settings;
  std::function<void(int)> m_on_end;
  bool m_output; // client lines go to stdout too
  BrokerTable m_table{k_queue_limit};
  std::map<unsigned, ClientPtr> m_clients;
  std::deque<std::string> m_out; // client lines waiting for stdout
  std::size_t m_out_bytes = 0;
  Notifier m_out_ready;  // m_out grew
  Notifier m_out_room;   // m_out shrank
  Notifier m_input_room; // a client arrived or left, or a queue shrank
  LineFramer m_stdin_lines{k_max_line};
  bool m_stdin_mid_line = false;
  bool m_lost = false;
  bool m_stopped = false;
};

} // namespace ipcat
