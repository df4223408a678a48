// One invocation of ipcat: opens the endpoints the options name and runs the sessions between
// them (one, or one per client with -k), until they end or a signal arrives.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>
#include <exception>
#include <memory>
#include <vector>

#include "endpoints.hpp"
#include "options.hpp"
#include "relay.hpp"

namespace ipcat {

class Hub;
class Broker;
class UdpSessions;
class Meter;
class TapFiles;

/// The state of one run: options, listeners, live sessions.
class App {
public:
  App(asio::io_context& io, const Options& options);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  /// Runs to completion; returns the exit status (throws Error for a setup failure).
  int run();

private:
  asio::awaitable<void> main_flow();
  asio::awaitable<std::unique_ptr<Stream>> open_endpoint(const Address& a, bool is_left);
  asio::awaitable<std::unique_ptr<Stream>> accepted(std::unique_ptr<Stream> client,
                                                    const Address& listen);
  asio::awaitable<SessionResult> run_session(std::unique_ptr<Stream> left,
                                             std::unique_ptr<Stream> right);
  asio::awaitable<void> keep_accepting(Listener& listener, bool listener_is_left);
  asio::awaitable<void> join_hub(std::unique_ptr<Stream> client, const Address& listen);
  asio::awaitable<void> serve_client(std::unique_ptr<Stream> client, bool listener_is_left);
  asio::awaitable<void> serve_peers(Listener& listener, bool listener_is_left);
  asio::awaitable<void> wait_for_room();
  [[nodiscard]] bool per_peer_sessions() const;
  void stop_services();
  SessionSettings settings_for(const Address& right) const;
  std::shared_ptr<Session> make_session(std::unique_ptr<Stream> left, std::unique_ptr<Stream> right,
                                        Session::DoneHandler done);
  void on_signal(int signo);
  void end_all(int status);
  void report(const SessionResult& r) const;

  asio::io_context& m_io;
  const Options& m_o;
  asio::signal_set m_signals;
  std::vector<std::unique_ptr<Listener>> m_listeners;
  std::vector<std::weak_ptr<Session>> m_sessions;
  std::shared_ptr<TapFiles> m_tap_files; // --hex-dump, -o: opened before anything connects
  std::unique_ptr<Meter> m_meter;        // --progress, SIGUSR1
  std::unique_ptr<Hub> m_hub;
  std::unique_ptr<Broker> m_broker;   // --broker, --chat
  std::unique_ptr<UdpSessions> m_udp; // -ulk with a session per peer
  std::size_t m_clients = 0;          // sessions of serve_client running (for -m)
  bool m_cap_told = false;            // -v said once that -m was reached
  int m_status = 0;
  int m_starving = 0; // clients accepted but waiting for descriptors to open their other side
  int m_signal_status = 0;
  std::exception_ptr m_error;
  bool m_finished = false;
  bool m_ending = false;
  std::weak_ptr<asio::steady_timer> m_backstop; // stops the loop if unwinding hangs
};

} // namespace ipcat
