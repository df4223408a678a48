#include "app.hpp"

#include <asio/co_spawn.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <csignal>
#include <cstdio>

#include "endpoint_open.hpp"
#include "hub.hpp"
#include "layer.hpp"
#include "log.hpp"
#include "tasks.hpp"

namespace ipcat {

using asio::experimental::as_tuple;

namespace {
// A client waiting for descriptors tries again after this (times the attempt, up to 10), for
// k_fd_wait_attempts tries (about two minutes), then is refused with the error.
constexpr std::chrono::milliseconds k_fd_wait_step{20};
constexpr int k_fd_wait_attempts = 600;
} // namespace

App::App(asio::io_context& io, const Options& options)
    : m_io(io), m_o(options), m_signals(io, SIGINT, SIGTERM) {}

App::~App() = default;

int App::run() {
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
    if (m_hub) {
      m_hub->stop();
    }
  });
  m_io.run();
  if (m_signal_status != 0) {
    return m_signal_status;
  }
  if (m_error) {
    std::rethrow_exception(m_error);
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
    const ConnectSettings settings = ConnectSettings::from(m_o);
    const auto layers = layers_for(a);
    const Address target = connect_target(a, layers);
    auto s = co_await connect_address(m_io, target, settings);
    auto layered = co_await apply_layers(m_io, std::move(s), layers, LayerSide::Client);
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
    const double secs = std::chrono::duration<double>(r.elapsed).count();
    const double rate = secs > 0 ? static_cast<double>(r.sent + r.received) / secs / 1e6 : 0.0;
    char line[256];
    std::snprintf(line, sizeof(line),
                  "ipcat: sent %llu bytes, received %llu bytes in %.3f s (%.1f MB/s)\n",
                  static_cast<unsigned long long>(r.sent),
                  static_cast<unsigned long long>(r.received), secs, rate);
    write_stderr(line, std::strlen(line));
  }
}

asio::awaitable<void> App::main_flow() {
  // Layers are made once up front (and their contexts kept), so a bad certificate or key fails
  // before anything listens or connects.
  (void)layers_for(m_o.left);
  (void)layers_for(m_o.right);
  if (m_o.zero_io) {
    const Address& target = m_o.right;
    ConnectSettings probe = ConnectSettings::from(m_o);
    if (!probe.timeout) {
      probe.timeout = std::chrono::seconds(10);
    }
    auto s = co_await connect_address(m_io, target, probe);
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
  }
  // The listening side first: the other one (a child, a connection to a backend, a generator)
  // is opened for the client once it has arrived.
  std::unique_ptr<Stream> left;
  std::unique_ptr<Stream> right;
  if (m_o.keep_open && !m_listeners.empty() && m_listeners.back()->single_session()) {
    (left_listens ? left : right) = co_await m_listeners.back()->accept();
  } else if (right_listens && !left_listens) {
    right = co_await open_endpoint(m_o.right, false);
  }
  if (!left) {
    left = co_await open_endpoint(m_o.left, true);
  }
  if (!right) {
    right = co_await open_endpoint(m_o.right, false);
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
  if (other.type().caps.shared) {
    // stdin goes to every client, every client's data to stdout, line by line.
    m_hub = std::make_unique<Hub>(m_io, open_local(m_io, other, !m_o.recv_only, !m_o.send_only),
                                  HubSettings{.recv_only = m_o.recv_only,
                                              .send_only = m_o.send_only,
                                              .echo = m_o.echo,
                                              .no_shutdown = m_o.no_shutdown,
                                              .idle_timeout = m_o.idle_timeout},
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
    std::unique_ptr<Stream> client;
    try {
      client = co_await listener.accept();
    } catch (const Error& e) {
      if (m_ending) {
        break;
      }
      throw;
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
  auto client =
      co_await accepted(std::move(accepted_client), listener_is_left ? m_o.left : m_o.right);
  const std::string name = client->name();
  std::unique_ptr<Stream> other;
  for (int attempt = 1;; ++attempt) {
    bool out_of_fds = false;
    try {
      other = co_await open_endpoint(other_addr, !listener_is_left);
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

} // namespace ipcat
