#include "hub.hpp"

#include <algorithm>
#include <asio/co_spawn.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/post.hpp>
#include <asio/use_awaitable.hpp>
#include <cerrno>

#include "line_framer.hpp"
#include "log.hpp"
#include "progress.hpp"
#include "tasks.hpp"

namespace ipcat {

namespace {
// Memory stays bounded: stdin is not read while any client has this many chunks queued, and
// clients are not read while stdout has this much waiting. A client holds at most
// Hub::k_hub_max_line bytes of an unfinished line (plus one read). Stdin kept for the next client
// is at most about one queue's worth between arrivals; k_held_chunks only makes that bound
// explicit.
constexpr std::size_t k_client_queue_chunks = 4;
constexpr std::size_t k_held_chunks = 16;
constexpr std::size_t k_out_limit = 1 << 20;
constexpr std::size_t k_read_size = 64 * 1024;
} // namespace

asio::awaitable<void> Notifier::wait() {
  auto timer = std::make_shared<asio::steady_timer>(m_io, asio::steady_timer::time_point::max());
  m_waiters.push_back(timer);
  co_await timer->async_wait(asio::experimental::as_tuple(asio::use_awaitable));
}

void Notifier::notify_all() {
  // Taken out first: a woken waiter may wait again before this loop is over.
  const auto waiters = std::move(m_waiters);
  m_waiters.clear();
  for (const auto& timer : waiters) {
    timer->cancel();
  }
}

Hub::Hub(asio::io_context& io, std::unique_ptr<Stream> local, HubSettings settings,
         std::function<void(int)> on_end)
    : m_io(io), m_local(std::move(local)), m_settings(std::move(settings)),
      m_on_end(std::move(on_end)), m_output(m_local->writable() && !m_settings.send_only),
      m_out_ready(io), m_out_room(io), m_input_room(io) {}

Hub::~Hub() {
  if (m_settings.meter != nullptr) {
    m_settings.meter->detach(this);
  }
}

void Hub::spawn(asio::awaitable<void> work) {
  spawn_logged(m_io, std::move(work));
}

void Hub::start() {
  if (m_settings.meter != nullptr) {
    m_settings.meter->attach(this, &m_in_counts, &m_out_counts,
                             regular_file_left(m_local->read_fd()));
  }
  if (m_local->readable() && !m_settings.recv_only) {
    spawn(read_input());
  } else {
    m_input_done = true;
  }
  if (m_output) {
    spawn(write_output());
  }
}

void Hub::add(std::unique_ptr<Stream> client) {
  auto c = std::make_shared<Client>(m_io);
  c->stream = std::move(client);
  if (m_settings.shape.any()) {
    c->tap = std::make_unique<Tap>(m_io, m_settings.shape, true, k_read_size);
  }
  // Stdin that no client has taken yet goes to this one before anything newer.
  for (auto& chunk : m_held) {
    ++chunk->holders;
    c->queue.push_back(chunk);
  }
  m_held.clear();
  m_clients.push_back(c);
  spawn(client_reader(c));
  spawn(client_writer(c));
  if (m_settings.idle_timeout) {
    spawn(client_idle(c));
  }
  m_input_room.notify_all();
}

asio::awaitable<void> Hub::client_idle(std::shared_ptr<Client> c) {
  // -i for one client of the hub: the same watchdog as a session's, per client.
  const Duration idle = *m_settings.idle_timeout;
  const bool expired = co_await idle_wait(
      c->idle_timer, idle,
      [&c] {
        // A client the hub does not read (stdout is behind) is not idle.
        if (c->held_back) {
          c->last_activity = std::chrono::steady_clock::now();
        }
        return c->last_activity;
      },
      [this, &c] { return c->gone || m_stopped; });
  if (expired) {
    drop(c, "idle timeout: no data for " + format_duration(idle));
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
    if (c->tap) {
      c->tap->cancel();
    }
    c->wake.notify_all();
    c->idle_timer.cancel();
  }
  m_out_ready.notify_all();
  m_out_room.notify_all();
  m_input_room.notify_all();
}

void Hub::release_queue(Client& c) {
  for (auto& chunk : c.queue) {
    --chunk->holders;
    if (chunk->holders == 0 && !chunk->delivered) {
      // Nobody has this piece of stdin: it goes to the next client, in stdin's order.
      const auto at =
          std::upper_bound(m_held.begin(), m_held.end(), chunk->seq,
                           [](std::uint64_t seq, const ChunkPtr& held) { return seq < held->seq; });
      m_held.insert(at, chunk);
    }
  }
  c.queue.clear();
}

void Hub::drop(const std::shared_ptr<Client>& c, const std::string& why) {
  if (c->gone) {
    return;
  }
  c->gone = true;
  if (!why.empty()) {
    log_event("Connection from " + c->stream->name() + " ended: " + why);
  }
  release_queue(*c);
  c->stream->cancel();
  if (c->tap) {
    c->tap->cancel();
  }
  c->wake.notify_all();
  c->idle_timer.cancel();
  m_clients.remove(c);
  m_input_room.notify_all();
  // Its reader may be waiting for room on stdout; it passes on what it holds and ends.
  m_out_room.notify_all();
}

void Hub::emit(std::string data) {
  if (!m_output || data.empty()) {
    return;
  }
  m_out_bytes += data.size();
  m_out.push_back(std::move(data));
  m_out_ready.notify_all();
}

bool Hub::input_must_wait() const {
  // With no client, stdin is not read at all (nothing read is thrown away); otherwise the
  // slowest client sets its pace.
  if (m_clients.empty() || m_held.size() >= k_held_chunks) {
    return true;
  }
  return std::any_of(m_clients.begin(), m_clients.end(),
                     [](const auto& c) { return c->queue.size() >= k_client_queue_chunks; });
}

asio::awaitable<void> Hub::read_input() {
  std::string buf(k_read_size, '\0');
  while (!m_stopped) {
    if (input_must_wait()) {
      co_await m_input_room.wait();
      continue;
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
        c->wake.notify_all();
      }
      co_return;
    }
    if (m_settings.echo) {
      write_stderr(buf.data(), static_cast<std::size_t>(r.n));
    }
    m_in_counts.taken += static_cast<std::size_t>(r.n);
    m_in_counts.given += static_cast<std::size_t>(r.n);
    auto chunk = std::make_shared<Chunk>();
    chunk->seq = m_next_seq++;
    chunk->data.assign(buf.data(), static_cast<std::size_t>(r.n));
    if (m_clients.empty()) {
      // The last client left while this was being read.
      m_held.push_back(chunk);
      continue;
    }
    for (auto& c : m_clients) {
      c->queue.push_back(chunk);
      ++chunk->holders;
      c->wake.notify_all();
    }
  }
}

asio::awaitable<void> Hub::client_writer(std::shared_ptr<Client> c) {
  while (!c->gone) {
    if (c->queue.empty()) {
      if (m_input_done) {
        if (!m_settings.no_shutdown) {
          c->stream->shutdown_write();
        }
        if (c->reading_done) {
          drop(c, "");
        }
        co_return;
      }
      co_await c->wake.wait();
      continue;
    }
    const ChunkPtr chunk = c->queue.front();
    const bool sent = co_await send_chunk(c, chunk->data);
    if (!sent || c->gone) {
      co_return; // drop() has handed its queue on
    }
    chunk->delivered = true;
    --chunk->holders;
    c->queue.pop_front();
    m_input_room.notify_all();
  }
}

// Writes one chunk of stdin to c, through its tap a piece at a time (a line at a time with
// --delay); false when the client failed (it is dropped) or the hub stopped.
asio::awaitable<bool> Hub::send_chunk(std::shared_ptr<Client> c, std::string_view data) {
  std::size_t done = 0;
  do {
    const std::span<const char> rest(data.data() + done, data.size() - done);
    const std::size_t piece = c->tap ? c->tap->piece(rest) : rest.size();
    done += piece;
    std::span<const char> out = rest.first(piece);
    if (c->tap) {
      out = co_await c->tap->before_write(out, c->stream->name());
    }
    std::size_t off = 0;
    while (off < out.size() && !c->gone) {
      const IoResult w = co_await c->stream->write(out.subspan(off));
      if (w.n < 0) {
        if (w.err != ECANCELED) {
          drop(c, c->stream->error_text(w.err));
        }
        co_return false;
      }
      off += static_cast<std::size_t>(w.n);
      c->last_activity = std::chrono::steady_clock::now();
    }
  } while (done < data.size() && !c->gone);
  co_return !c->gone;
}

bool Hub::pass_on(const std::shared_ptr<Client>& c) {
  bool released = false;
  if (m_owner == c) {
    // Its long line goes on, up to and including the newline.
    LineFramer& f = c->lines;
    if (!f.has_line()) {
      emit(f.take_partial());
      return false;
    }
    const std::string_view rest_of_line = f.line();
    emit(std::string(rest_of_line));
    f.consume(rest_of_line.size());
    m_owner.reset();
    m_out_room.notify_all();
    released = true;
  }
  if (m_owner) {
    return false; // another client's long line is going out: this one's lines wait
  }
  LineFramer& f = c->lines;
  if (f.has_line()) {
    const std::string_view whole = f.lines();
    emit(std::string(whole));
    f.consume(whole.size());
  }
  if (f.over_limit()) {
    // A line longer than the bound cannot be held back whole: it goes out as it comes, and
    // this client owns stdout until its newline, so nothing else gets inside the line.
    m_owner = c;
    emit(f.take_partial());
  }
  return released;
}

asio::awaitable<void> Hub::finish_output(std::shared_ptr<Client> c) {
  // The client's data has ended: what it holds goes out, and its last line gets the newline it
  // lacked, once no other client's long line is going out.
  while (!m_stopped && m_owner && m_owner != c) {
    co_await m_out_room.wait();
  }
  if (m_stopped || !m_output) {
    co_return;
  }
  std::string rest(c->lines.all());
  c->lines.clear();
  const bool line_open = rest.empty() ? m_owner == c : rest.back() != '\n';
  if (line_open) {
    rest.push_back('\n');
  }
  emit(std::move(rest));
  if (m_owner == c) {
    m_owner.reset();
    m_out_room.notify_all();
  }
}

asio::awaitable<void> Hub::client_reader(std::shared_ptr<Client> c) {
  std::string buf(k_read_size, '\0');
  while (!c->gone) {
    if (m_stopped) {
      co_return;
    }
    // Lines held back while another client owned stdout go out first.
    if (!m_owner || m_owner == c) {
      const bool released = pass_on(c);
      if (released) {
        // The clients that waited for this long line go first, before this client's next
        // line can take stdout again.
        co_await asio::post(m_io, asio::use_awaitable);
        continue;
      }
    }
    // A client is not read while stdout is behind or another client's long line is going
    // out: its data waits in the client's socket, and memory stays bounded.
    if (m_out_bytes > k_out_limit || (m_owner && m_owner != c)) {
      c->held_back = true;
      co_await m_out_room.wait();
      c->held_back = false;
      c->last_activity = std::chrono::steady_clock::now();
      continue;
    }
    const IoResult r = co_await c->stream->read(std::span<char>(buf.data(), buf.size()));
    if (m_stopped) {
      co_return;
    }
    if (r.n > 0) {
      c->last_activity = std::chrono::steady_clock::now();
      if (m_settings.shape.files) {
        m_settings.shape.files->record(
            false, c->stream->name(),
            std::span<const char>(buf.data(), static_cast<std::size_t>(r.n)));
      }
      if (m_output) {
        c->lines.feed(std::string_view(buf.data(), static_cast<std::size_t>(r.n)));
      }
      continue;
    }
    if (r.n < 0) {
      drop(c, r.err == ECANCELED ? "" : c->stream->error_text(r.err));
      break;
    }
    c->reading_done = true;
    co_await finish_output(c);
    if (m_stopped || c->gone) {
      co_return;
    }
    // A client that closed entirely, or one with nothing more to receive, is done; one that
    // only half-closed keeps receiving stdin, until it closes entirely.
    if (c->stream->peer_gone() || (m_input_done && c->queue.empty())) {
      drop(c, "");
      co_return;
    }
    const bool gone = co_await c->stream->watch_hangup();
    if (gone) {
      drop(c, "");
    }
    co_return;
  }
  co_await finish_output(c);
}

asio::awaitable<void> Hub::write_output() {
  while (!m_stopped) {
    if (m_out.empty()) {
      co_await m_out_ready.wait();
      continue;
    }
    const std::string data = std::move(m_out.front());
    m_out.pop_front();
    const bool written = co_await write_local_output(*m_local, data, m_on_end, m_out_counts.given);
    if (!written) {
      co_return;
    }
    m_out_bytes -= data.size();
    m_out_room.notify_all();
  }
}

} // namespace ipcat
