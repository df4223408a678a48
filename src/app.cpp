#include "app.hpp"

#include <asio/co_spawn.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <csignal>
#include <cstdio>

#include "broker.hpp"
#include "endpoint_open.hpp"
#include "hub.hpp"
#include "layer.hpp"
#include "log.hpp"
#include "peer_info.hpp"
#include "progress.hpp"
#include "proxy.hpp"
#include "scan.hpp"
#include "scan_ports.hpp"
#include "tap.hpp"
#include "tasks.hpp"
#include "terminal.hpp"
#include "udp_sessions.hpp"

namespace ipcat {

using asio::experimental::as_tuple;

namespace {
// A client waiting for descriptors tries again after this (times the attempt, up to 10), for
// k_fd_wait_attempts tries (about two minutes), then is refused with the error.
constexpr std::chrono::milliseconds k_fd_wait_step{20};
constexpr int k_fd_wait_attempts = 600;

// A child started for a session learns it from its environment (IPCAT_PEER_ADDR, ...): the
// peer is the client of a listener, or the server a connection reached.
Address with_session(const Address& a, const Stream* peer) {
  if (a.kind != AddressKind::Exec || peer == nullptr) {
    return a;
  }
  const auto info = peer_info_of_socket(peer->read_fd());
  if (!info) {
    return a;
  }
  Address copy = a;
  copy.options.child_env = peer_environment(*info);
  return copy;
}

// The ports -z probes: the netcat form's list, or the one port of an address.
std::vector<std::uint16_t> scan_ports_of(const Options& o) {
  if (!o.scan_ports.empty()) {
    return o.scan_ports;
  }
  auto ports = parse_port_list(o.right.port, o.right.is_datagram() ? "udp" : "tcp");
  return ports ? *ports : std::vector<std::uint16_t>{};
}

// -z on a TCP or UDP address: what to probe and how. A UDP probe waits 1 s for a refusal
// unless -w says otherwise; a TCP one 10 s for the handshake.
ScanRequest scan_request(const Options& o) {
  const bool udp = o.right.is_datagram();
  const Duration fallback = udp ? Duration(std::chrono::seconds(1)) : std::chrono::seconds(10);
  return ScanRequest{.host = o.right.host,
                     .ports = scan_ports_of(o),
                     .udp = udp,
                     .family = o.right.family,
                     .sock = o.right.options.sock,
                     .source_host = o.source_host,
                     .source_port = o.source_port,
                     .timeout = o.connect_timeout.value_or(fallback),
                     .verbose = o.verbose};
}
} // namespace

App::App(asio::io_context& io, const Options& options)
    : m_io(io), m_o(options), m_signals(io, SIGINT, SIGTERM) {}

App::~App() = default;

int App::run() {
  // The dump and the log are opened first: a file that cannot be opened is an error before
  // anything listens or connects.
  if (m_o.hex_dump || m_o.output) {
    m_tap_files = std::make_shared<TapFiles>(m_o.hex_dump, m_o.output, m_o.append_output);
  }
  m_meter = std::make_unique<Meter>(m_io, m_o.progress);
  m_meter->start();
  m_signals.async_wait([this](const asio::error_code& ec, int signo) {
    if (!ec) {
      on_signal(signo);
    }
  });
  asio::co_spawn(m_io, main_flow(), [this](std::exception_ptr e) {
    m_error = e;
    m_finished = true;
    if (auto t = m_backstop.lock()) {
      t->cancel(); // everything has unwound: no need to wait for the backstop
    }
    asio::error_code ignored;
    m_signals.cancel(ignored);
    m_meter->stop();
    if (m_hub) {
      m_hub->stop();
    }
    stop_services();
  });
  m_io.run();
  if (m_signal_status != 0) {
    return m_signal_status;
  }
  if (m_error) {
    std::rethrow_exception(m_error);
  }
  if (m_status == 0 && m_broker && m_broker->lost_data()) {
    return 1; // a broker client was dropped with lines it never got
  }
  return m_status;
}

void App::on_signal(int signo) {
  m_signal_status = 128 + signo;
  end_all(m_signal_status);
}

void App::end_all(int status) {
  if (m_ending) {
    return;
  }
  m_ending = true;
  m_status = status;
  // Unwind gracefully: every wait is cancelled, every coroutine returns, and the destructors
  // remove the socket files this run created.
  for (auto& weak : m_sessions) {
    if (auto s = weak.lock()) {
      s->stop(status);
    }
  }
  for (auto& l : m_listeners) {
    l->cancel();
  }
  if (m_hub) {
    m_hub->stop();
  }
  stop_services();
  // Anything still blocked (a connect in progress) must not hold the exit up.
  auto timer = std::make_shared<asio::steady_timer>(m_io, std::chrono::milliseconds(500));
  m_backstop = timer;
  timer->async_wait([this, timer](const asio::error_code& ec) {
    if (!ec) {
      m_io.stop();
    }
  });
}

SessionSettings App::settings_for(const Address& right) const {
  SessionSettings s;
  s.no_shutdown = m_o.no_shutdown;
  s.recv_only = m_o.recv_only;
  s.send_only = m_o.send_only;
  s.echo = m_o.echo;
  s.idle_timeout = m_o.idle_timeout;
  s.quit_after_input = m_o.quit_after;
  if (per_peer_sessions()) {
    s.idle_timeout.reset(); // a peer's stream ends its session itself when it is idle
  }
  s.shape =
      ShapeSettings{.files = m_tap_files, .crlf = m_o.crlf, .delay = m_o.delay, .rate = m_o.rate};
  s.meter = m_meter.get();
  // The dump names the peer: the client of a listener on the left, else the right side.
  s.peer_is_left = m_o.left.is_listener() && !m_o.right.is_listener();
  if (!s.quit_after_input && right.is_datagram() && !right.is_listener()) {
    // A datagram has no end-of-stream to send: a client whose input ended waits a moment for
    // the replies (like socat's -t), then ends.
    s.quit_after_input = std::chrono::seconds(1);
  }
  return s;
}

std::shared_ptr<Session> App::make_session(std::unique_ptr<Stream> left,
                                           std::unique_ptr<Stream> right,
                                           Session::DoneHandler done) {
  auto s = std::make_shared<Session>(m_io, std::move(left), std::move(right),
                                     settings_for(m_o.right), std::move(done));
  std::erase_if(m_sessions, [](const std::weak_ptr<Session>& w) { return w.expired(); });
  m_sessions.push_back(s);
  if (m_ending) {
    s->stop(m_status);
  }
  return s;
}

asio::awaitable<SessionResult> App::run_session(std::unique_ptr<Stream> left,
                                                std::unique_ptr<Stream> right) {
  asio::steady_timer done_signal(m_io, asio::steady_timer::time_point::max());
  SessionResult result;
  bool finished = false;
  auto session = make_session(std::move(left), std::move(right), [&](const SessionResult& r) {
    result = r;
    finished = true;
    done_signal.cancel();
  });
  session->start();
  session.reset();
  while (!finished) {
    co_await done_signal.async_wait(as_tuple(asio::use_awaitable));
  }
  co_return result;
}

// How an end is opened follows from its row of the endpoint table: a listener accepts its one
// client, a connecting kind connects (through its layers), anything else is opened locally.
asio::awaitable<std::unique_ptr<Stream>> App::open_endpoint(const Address& a, bool is_left) {
  const EndpointType& type = a.type();
  if (type.caps.listens) {
    m_listeners.push_back(open_listener(m_io, a, ListenSettings::from(m_o)));
    Listener& l = *m_listeners.back();
    log_event("Listening on " + l.name());
    // The listener itself passes over probes (connections that close without data).
    auto client = co_await l.accept();
    l.close(); // one client: stop listening; the socket file goes at exit
    auto layered = co_await accepted(std::move(client), a);
    co_return layered;
  }
  if (type.caps.connects) {
    // Through the address's layers: -w bounds the connect and any proxy handshakes together.
    auto layered = co_await connect_layered(m_io, a, ConnectSettings::from(m_o));
    co_return layered;
  }
  if (type.role == Role::OneWay) {
    co_return open_local(m_io, a, is_left, !is_left); // read on the left, written on the right
  }
  // stdio: the left side is the local side; which halves are used depends on the directions.
  const bool want_input = is_left ? !m_o.recv_only : !m_o.send_only;
  const bool want_output = is_left ? !m_o.send_only : !m_o.recv_only;
  co_return open_local(m_io, a, want_input, want_output);
}

asio::awaitable<std::unique_ptr<Stream>> App::accepted(std::unique_ptr<Stream> client,
                                                       const Address& listen) {
  const auto layers = layers_for(listen);
  auto layered = co_await apply_layers(m_io, std::move(client), layers, LayerSide::Server);
  co_return layered;
}

void App::report(const SessionResult& r) const {
  if (m_o.stats) {
    const std::string line = format_stats_line(r.sent, r.received, r.elapsed);
    write_stderr(line.data(), line.size());
  }
}

asio::awaitable<void> App::main_flow() {
  // Layers are made once up front (and their contexts kept), so a bad certificate or key fails
  // before anything listens or connects.
  (void)layers_for(m_o.left);
  (void)layers_for(m_o.right);
  if (m_o.left.options.term.raw || m_o.right.options.term.raw) {
    require_terminal_stdin(); // before a listener makes a client wait for nothing
  }
  // A scan probes TCP/UDP ports directly; through a proxy (a layer) -z is one probe of the
  // first port, the whole connection made as for data.
  if (m_o.zero_io && m_o.right.is_inet() && layers_for(m_o.right).empty()) {
    const ScanRequest scan = scan_request(m_o);
    const int status = co_await run_scan(m_io, scan);
    m_status = status;
    co_return;
  }
  if (m_o.zero_io) {
    const Address& target = m_o.right;
    ConnectSettings probe = ConnectSettings::from(m_o);
    if (!probe.timeout) {
      probe.timeout = std::chrono::seconds(10);
    }
    auto s = co_await connect_layered(m_io, target, probe);
    log_event("Connection to " + target.describe() + " succeeded");
    co_return;
  }
  const bool left_listens = m_o.left.is_listener();
  const bool right_listens = m_o.right.is_listener();
  if (m_o.keep_open && (left_listens || right_listens)) {
    const Address& la = left_listens ? m_o.left : m_o.right;
    m_listeners.push_back(open_listener(m_io, la, ListenSettings::from(m_o)));
    Listener& l = *m_listeners.back();
    log_event("Listening on " + l.name());
    if (!l.single_session()) {
      co_await keep_accepting(l, left_listens);
      co_return;
    }
    if (per_peer_sessions()) {
      co_await serve_peers(l, left_listens);
      co_return;
    }
  }
  // The listening side first: the other one (a child, a connection to a backend, a generator)
  // is opened for the client once it has arrived.
  std::unique_ptr<Stream> left;
  std::unique_ptr<Stream> right;
  if (m_o.keep_open && !m_listeners.empty() && m_listeners.back()->single_session()) {
    (left_listens ? left : right) = co_await m_listeners.back()->accept();
  } else if ((right_listens && !left_listens) ||
             (m_o.left.kind == AddressKind::Exec &&
              (m_o.right.type().caps.connects || m_o.right.kind == AddressKind::Fd))) {
    // A child also waits for its connection (or takes an inherited one), so that it starts
    // knowing its peer.
    right = co_await open_endpoint(m_o.right, false);
  }
  // The addresses with the session are held on the heap: an Address local to this coroutine
  // makes GCC 12 warn of a mismatched frame delete.
  if (!left) {
    const auto la = std::make_unique<const Address>(with_session(m_o.left, right.get()));
    left = co_await open_endpoint(*la, true);
  }
  if (!right) {
    const auto ra = std::make_unique<const Address>(with_session(m_o.right, left.get()));
    right = co_await open_endpoint(*ra, false);
  }
  const SessionResult r = co_await run_session(std::move(left), std::move(right));
  report(r);
  if (m_signal_status == 0 && !r.message.empty()) {
    log_error(r.message);
  }
  if (!m_ending) {
    m_status = r.status;
  }
}

asio::awaitable<void> App::keep_accepting(Listener& listener, bool listener_is_left) {
  const Address& other = listener_is_left ? m_o.right : m_o.left;
  const Address& listen = listener_is_left ? m_o.left : m_o.right;
  const bool layered = !layers_for(listen).empty();
  if (m_o.broker) {
    m_broker =
        std::make_unique<Broker>(m_io, open_local(m_io, other, !m_o.recv_only, !m_o.send_only),
                                 BrokerSettings{.chat = m_o.chat,
                                                .recv_only = m_o.recv_only,
                                                .send_only = m_o.send_only,
                                                .idle_timeout = m_o.idle_timeout},
                                 [this](int status) { end_all(status); });
    m_broker->start();
  } else if (other.type().caps.shared) {
    // stdin goes to every client, every client's data to stdout, line by line.
    m_hub = std::make_unique<Hub>(m_io, open_local(m_io, other, !m_o.recv_only, !m_o.send_only),
                                  HubSettings{.recv_only = m_o.recv_only,
                                              .send_only = m_o.send_only,
                                              .echo = m_o.echo,
                                              .no_shutdown = m_o.no_shutdown,
                                              .idle_timeout = m_o.idle_timeout,
                                              .shape = settings_for(listen).shape,
                                              .meter = m_meter.get()},
                                  [this](int status) { end_all(status); });
    m_hub->start();
  }
  while (!m_ending) {
    if (m_starving > 0) {
      // A client already accepted waits for descriptors: accepting more would only make more
      // clients wait, and they wait better in the kernel's backlog.
      co_await sleep_for(m_io, k_fd_wait_step);
      continue;
    }
    if (m_o.max_conns) {
      co_await wait_for_room();
      if (m_ending) {
        break;
      }
    }
    std::unique_ptr<Stream> client;
    try {
      client = co_await listener.accept();
    } catch (const Error& e) {
      if (m_ending) {
        break;
      }
      throw;
    }
    if (m_broker) {
      m_broker->add(std::move(client));
      continue;
    }
    if (m_hub && !layered) {
      m_hub->add(std::move(client));
      continue;
    }
    if (m_hub) {
      // A layer's handshake (TLS) must not hold up accepting: the client joins when done.
      spawn_logged(m_io, join_hub(std::move(client), listen));
      continue;
    }
    ++m_clients; // counted for -m now: its session starts only after the next accept began
    spawn_logged(m_io, serve_client(std::move(client), listener_is_left));
  }
}

asio::awaitable<void> App::join_hub(std::unique_ptr<Stream> client, const Address& listen) {
  auto layered = co_await accepted(std::move(client), listen);
  if (m_hub && !m_ending) {
    m_hub->add(std::move(layered));
  }
}

asio::awaitable<void> App::serve_client(std::unique_ptr<Stream> accepted_client,
                                        bool listener_is_left) {
  const Address& other_addr = listener_is_left ? m_o.right : m_o.left;
  // Counted (for -m) by whoever accepted the client, from then to the end of its session.
  struct Served {
    std::size_t& count;
    ~Served() { --count; }
  } served{m_clients};
  auto client =
      co_await accepted(std::move(accepted_client), listener_is_left ? m_o.left : m_o.right);
  const std::string name = client->name();
  const Address session_addr = with_session(other_addr, client.get());
  std::unique_ptr<Stream> other;
  for (int attempt = 1;; ++attempt) {
    bool out_of_fds = false;
    try {
      other = co_await open_endpoint(session_addr, !listener_is_left);
    } catch (const Error& e) {
      out_of_fds =
          (e.err() == EMFILE || e.err() == ENFILE) && !m_ending && attempt < k_fd_wait_attempts;
      if (!out_of_fds) {
        // This client is refused (a reset for TCP); the listener goes on.
        log_error("connection from " + name + ": " + e.what());
        client->abort();
        co_return;
      }
    }
    if (!out_of_fds) {
      break;
    }
    // Out of descriptors: this client waits (and the listener stops accepting) until other
    // sessions end and give some back; it is not dropped.
    ++m_starving;
    co_await sleep_for(m_io, k_fd_wait_step * std::min(attempt, 10));
    --m_starving;
  }
  if (client->traits().max_message != 0 && other->traits().line_source) {
    other->set_one_line_per_read(true); // a peer of -ulk gets a line per datagram
  }
  auto left = listener_is_left ? std::move(client) : std::move(other);
  auto right = listener_is_left ? std::move(other) : std::move(client);
  const SessionResult r = co_await run_session(std::move(left), std::move(right));
  report(r);
  if (!r.message.empty() && m_signal_status == 0) {
    if (r.status != 0) {
      log_error("connection from " + name + ": " + r.message); // a loss is never silent
    } else {
      log_event("Connection from " + name + " ended: " + r.message);
    }
  }
}

// -m: the accept loop waits while the cap is reached; the clients wait in the backlog.
asio::awaitable<void> App::wait_for_room() {
  const std::size_t cap = *m_o.max_conns;
  auto served = [this] {
    return m_clients + (m_hub ? m_hub->client_count() : 0) +
           (m_broker ? m_broker->client_count() : 0);
  };
  while (!m_ending && served() >= cap) {
    if (!m_cap_told) {
      m_cap_told = true;
      log_event("Serving " + std::to_string(cap) + " clients (-m): the others wait");
    }
    // Sessions end in many places (a session, the hub, the broker): a short look is simpler
    // and cheaper than a notification from each.
    co_await sleep_for(m_io, std::chrono::milliseconds(10));
  }
}

bool App::per_peer_sessions() const {
  // -ulk with a child, a generator or a backend connection: one session per peer. With stdio
  // (one per process) the one session answers the peer that spoke last, as without -k.
  const bool left_listens = m_o.left.is_listener();
  const Address& listen = left_listens ? m_o.left : m_o.right;
  const Address& other = left_listens ? m_o.right : m_o.left;
  return m_o.keep_open && listen.is_listener() && listen.is_datagram() && !other.type().caps.shared;
}

asio::awaitable<void> App::serve_peers(Listener& listener, bool listener_is_left) {
  m_udp =
      std::make_unique<UdpSessions>(m_io, listener.take_socket(), listener.name(),
                                    UdpSessionSettings{.max_sessions = m_o.max_conns.value_or(0),
                                                       .idle_timeout = m_o.idle_timeout,
                                                       .access = m_o.access},
                                    [this, listener_is_left](std::unique_ptr<Stream> peer) {
                                      ++m_clients;
                                      return serve_client(std::move(peer), listener_is_left);
                                    });
  co_await m_udp->run();
}

void App::stop_services() {
  if (m_broker) {
    m_broker->stop();
  }
  if (m_udp) {
    m_udp->stop();
  }
}

} // namespace ipcat
