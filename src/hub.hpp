// -k with stdio as the local side: stdin goes to every connected client, and every client's
// data goes to stdout, whole lines at a time so lines from different clients never mix.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <string>

#include "options.hpp"
#include "stream.hpp"

namespace ipcat {

/// Fans stdin out to all clients and merges their lines into stdout.
class Hub {
public:
  /// on_end(status) is called when the hub can go on no longer (stdout closed: status 0).
  Hub(asio::io_context& io, std::unique_ptr<Stream> local, const Options& o,
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

private:
  using Chunk = std::shared_ptr<const std::string>;
  struct Client {
    explicit Client(asio::io_context& io) : wake(io, asio::steady_timer::time_point::max()) {}
    std::unique_ptr<Stream> stream;
    std::deque<Chunk> queue; // stdin chunks still to send to this client
    std::string partial;     // received bytes after the last newline
    asio::steady_timer wake; // notified when queue grows or input ends
    std::chrono::steady_clock::time_point last_activity = std::chrono::steady_clock::now();
    bool reading_done = false;
    bool gone = false;
  };

  asio::awaitable<void> read_input();
  asio::awaitable<void> write_output();
  asio::awaitable<void> client_reader(std::shared_ptr<Client> c);
  asio::awaitable<void> client_writer(std::shared_ptr<Client> c);
  asio::awaitable<void> client_idle(std::shared_ptr<Client> c);
  void drop(const std::shared_ptr<Client>& c, const std::string& why);
  void emit(std::string data);
  static asio::awaitable<void> wait_on(asio::steady_timer& t);
  void spawn(asio::awaitable<void> work);

  asio::io_context& m_io;
  std::unique_ptr<Stream> m_local;
  const Options& m_o;
  std::function<void(int)> m_on_end;
  std::list<std::shared_ptr<Client>> m_clients;
  std::deque<std::string> m_out; // client lines waiting for stdout
  std::size_t m_out_bytes = 0;
  asio::steady_timer m_out_wake;        // notified when m_out grows
  asio::steady_timer m_out_drained;     // notified when m_out shrinks
  asio::steady_timer m_clients_drained; // notified when a client's queue shrinks
  bool m_input_done = false;
  bool m_stopped = false;
};

} // namespace ipcat
