#include "hub.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/use_awaitable.hpp>
#include <cerrno>

#include "duration.hpp"
#include "log.hpp"

namespace ipcat {

namespace {
// Memory stays bounded: stdin is not read while any client has this much queued, and clients
// are not read while stdout has this much waiting.
constexpr std::size_t k_client_queue_chunks = 4;
constexpr std::size_t k_out_limit = 1 << 20;
constexpr std::size_t k_read_size = 64 * 1024;
constexpr std::size_t k_max_partial = 64 * 1024;
} // namespace

Hub::Hub(asio::io_context& io, std::unique_ptr<Stream> local, const Options& o,
         std::function<void(int)> on_end)
    : m_io(io), m_local(std::move(local)), m_o(o), m_on_end(std::move(on_end)),
      m_out_wake(io, asio::steady_timer::time_point::max()),
      m_out_drained(io, asio::steady_timer::time_point::max()),
      m_clients_drained(io, asio::steady_timer::time_point::max()) {}

Hub::~Hub() = default;

asio::awaitable<void> Hub::wait_on(asio::steady_timer& t) {
  t.expires_at(asio::steady_timer::time_point::max());
  co_await t.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
}

void Hub::spawn(asio::awaitable<void> work) {
  asio::co_spawn(m_io, std::move(work), [](std::exception_ptr e) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        log_error(ex.what());
      }
    }
  });
}

void Hub::start() {
  if (m_local->readable() && !m_o.recv_only) {
    spawn(read_input());
  } else {
    m_input_done = true;
  }
  if (m_local->writable()) {
    spawn(write_output());
  }
}

void Hub::add(std::unique_ptr<Stream> client) {
  auto c = std::make_shared<Client>(m_io);
  c->stream = std::move(client);
  m_clients.push_back(c);
  spawn(client_reader(c));
  spawn(client_writer(c));
  if (m_o.idle_timeout) {
    spawn(client_idle(c));
  }
}

asio::awaitable<void> Hub::client_idle(std::shared_ptr<Client> c) {
  // -i for one client of the hub: the same watchdog as a session's, per client.
  const Duration idle = *m_o.idle_timeout;
  asio::steady_timer timer(m_io);
  while (!c->gone) {
    const auto deadline = c->last_activity + idle;
    if (std::chrono::steady_clock::now() >= deadline) {
      drop(c, "idle timeout: no data for " + format_duration(idle));
      co_return;
    }
    timer.expires_at(deadline);
    auto [ec] = co_await timer.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
    if (ec) {
      co_return;
    }
  }
}

void Hub::stop() {
  if (m_stopped) {
    return;
  }
  m_stopped = true;
  m_local->cancel();
  for (auto& c : m_clients) {
    c->gone = true;
    c->stream->cancel();
    c->wake.cancel();
  }
  m_out_wake.cancel();
  m_out_drained.cancel();
  m_clients_drained.cancel();
}

void Hub::drop(const std::shared_ptr<Client>& c, const std::string& why) {
  if (c->gone) {
    return;
  }
  c->gone = true;
  if (!c->partial.empty()) {
    emit(std::move(c->partial));
    c->partial.clear();
  }
  if (!why.empty()) {
    log_event("Connection from " + c->stream->name() + " ended: " + why);
  }
  c->stream->cancel();
  c->wake.cancel();
  m_clients.remove(c);
  m_clients_drained.cancel();
}

void Hub::emit(std::string data) {
  if (!m_local->writable() || m_o.send_only) {
    return;
  }
  m_out_bytes += data.size();
  m_out.push_back(std::move(data));
  m_out_wake.cancel();
}

asio::awaitable<void> Hub::read_input() {
  std::string buf(k_read_size, '\0');
  while (!m_stopped) {
    // Backpressure: the slowest client sets the pace of stdin.
    bool full = true;
    while (full && !m_stopped) {
      full = false;
      for (auto& c : m_clients) {
        full = full || c->queue.size() >= k_client_queue_chunks;
      }
      if (full) {
        co_await wait_on(m_clients_drained);
      }
    }
    const IoResult r = co_await m_local->read(std::span<char>(buf.data(), buf.size()));
    if (m_stopped) {
      co_return;
    }
    if (r.n <= 0) {
      if (r.n < 0 && r.err != ECANCELED) {
        log_error("read " + m_local->name() + ": " + errno_text(r.err));
      }
      m_input_done = true;
      for (auto& c : m_clients) {
        c->wake.cancel();
      }
      co_return;
    }
    if (m_o.echo) {
      write_stderr(buf.data(), static_cast<std::size_t>(r.n));
    }
    auto chunk = std::make_shared<const std::string>(buf.data(), static_cast<std::size_t>(r.n));
    for (auto& c : m_clients) {
      c->queue.push_back(chunk);
      c->wake.cancel();
    }
  }
}

asio::awaitable<void> Hub::client_writer(std::shared_ptr<Client> c) {
  while (!c->gone) {
    if (c->queue.empty()) {
      if (m_input_done) {
        if (!m_o.no_shutdown) {
          c->stream->shutdown_write();
        }
        if (c->reading_done) {
          drop(c, "");
        }
        co_return;
      }
      co_await wait_on(c->wake);
      continue;
    }
    const Chunk chunk = c->queue.front();
    std::size_t off = 0;
    while (off < chunk->size() && !c->gone) {
      const IoResult w = co_await c->stream->write(
          std::span<const char>(chunk->data() + off, chunk->size() - off));
      if (w.n < 0) {
        if (w.err != ECANCELED) {
          drop(c, errno_text(w.err));
        }
        co_return;
      }
      off += static_cast<std::size_t>(w.n);
      c->last_activity = std::chrono::steady_clock::now();
    }
    if (!c->queue.empty()) {
      c->queue.pop_front();
    }
    m_clients_drained.cancel();
  }
}

asio::awaitable<void> Hub::client_reader(std::shared_ptr<Client> c) {
  std::string buf(k_read_size, '\0');
  while (!c->gone) {
    while (m_out_bytes > k_out_limit && !c->gone) {
      co_await wait_on(m_out_drained);
    }
    const IoResult r = co_await c->stream->read(std::span<char>(buf.data(), buf.size()));
    if (c->gone) {
      co_return;
    }
    if (r.n < 0) {
      drop(c, r.err == ECANCELED ? "" : errno_text(r.err));
      co_return;
    }
    if (r.n == 0) {
      c->reading_done = true;
      if (!c->partial.empty()) {
        emit(std::move(c->partial));
        c->partial.clear();
      }
      // A client that closed entirely, or one with nothing more to receive, is done; one that
      // only half-closed keeps receiving stdin.
      if (c->stream->peer_gone() || (m_input_done && c->queue.empty())) {
        drop(c, "");
        co_return;
      }
      // Half-closed: it still receives stdin, until it closes entirely.
      const bool gone = co_await c->stream->watch_hangup();
      if (gone) {
        drop(c, "");
      }
      co_return;
    }
    c->last_activity = std::chrono::steady_clock::now();
    c->partial.append(buf.data(), static_cast<std::size_t>(r.n));
    const auto last_nl = c->partial.rfind('\n');
    if (last_nl != std::string::npos) {
      emit(c->partial.substr(0, last_nl + 1));
      c->partial.erase(0, last_nl + 1);
    } else if (c->partial.size() > k_max_partial) {
      // A line longer than this cannot be held back whole: pass it on as it comes.
      emit(std::move(c->partial));
      c->partial.clear();
    }
  }
}

asio::awaitable<void> Hub::write_output() {
  while (!m_stopped) {
    if (m_out.empty()) {
      co_await wait_on(m_out_wake);
      continue;
    }
    const std::string data = std::move(m_out.front());
    m_out.pop_front();
    std::size_t off = 0;
    while (off < data.size()) {
      const IoResult w =
          co_await m_local->write(std::span<const char>(data.data() + off, data.size() - off));
      if (w.n < 0) {
        if (w.err == ECANCELED) {
          co_return;
        }
        if (!m_local->traits().quiet_broken_pipe || w.err != EPIPE) {
          log_error("write " + m_local->name() + ": " + errno_text(w.err));
          m_on_end(1);
        } else {
          m_on_end(0);
        }
        co_return;
      }
      off += static_cast<std::size_t>(w.n);
    }
    m_out_bytes -= data.size();
    m_out_drained.cancel();
  }
}

} // namespace ipcat
