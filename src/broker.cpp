#include "broker.hpp"

#include <algorithm>
#include <asio/experimental/as_tuple.hpp>
#include <asio/use_awaitable.hpp>
#include <cerrno>

#include "log.hpp"
#include "tasks.hpp"

namespace ipcat {

namespace {
// Clients are not read while stdout has this much waiting (the operator's stdout sets the
// pace, as in the hub).
constexpr std::size_t k_out_limit = 1 << 20;
constexpr std::size_t k_read_size = 64 * 1024;
} // namespace

Broker::Broker(asio::io_context& io, std::unique_ptr<Stream> local, BrokerSettings settings,
               std::function<void(int)> on_end)
    : m_io(io), m_local(std::move(local)), m_settings(settings), m_on_end(std::move(on_end)),
      m_output(m_local->writable() && !m_settings.send_only), m_out_ready(io), m_out_room(io),
      m_input_room(io) {}

Broker::~Broker() = default;

void Broker::spawn(asio::awaitable<void> work) {
  spawn_logged(m_io, std::move(work));
}

void Broker::start() {
  if (m_local->readable() && !m_settings.recv_only) {
    spawn(read_input());
  }
  if (m_output) {
    spawn(write_output());
  }
}

void Broker::add(std::unique_ptr<Stream> client) {
  auto c = std::make_shared<Client>(m_io);
  const std::string name = announce_name(client->name());
  c->stream = std::move(client);
  c->id = m_table.add(name);
  m_clients[c->id] = c;
  if (m_settings.chat) {
    // As ncat: everybody (the newcomer too) hears who arrived, then the newcomer who is here.
    bool mid_line = false;
    deliver(BrokerTable::k_stdin, m_table.joined(c->id), mid_line);
    m_table.queue_for(c->id, m_table.already_connected(c->id));
  }
  spawn(client_reader(c));
  spawn(client_writer(c));
  if (m_settings.idle_timeout) {
    spawn(client_idle(c));
  }
  m_input_room.notify_all();
}

void Broker::stop() {
  if (m_stopped) {
    return;
  }
  m_stopped = true;
  m_local->cancel();
  for (auto& [id, c] : m_clients) {
    c->gone = true;
    c->stream->cancel();
    c->wake.notify_all();
    c->idle_timer.cancel();
    c->full_timer.cancel();
  }
  m_out_ready.notify_all();
  m_out_room.notify_all();
  m_input_room.notify_all();
}

void Broker::wake_all() {
  for (auto& [id, c] : m_clients) {
    if (m_table.pending(id)) {
      c->wake.notify_all();
    }
  }
}

void Broker::drop(const ClientPtr& c, const std::string& why) {
  if (c->gone) {
    return;
  }
  c->gone = true;
  if (!why.empty()) {
    log_event("Connection from " + c->stream->name() + " ended: " + why);
  }
  m_table.remove(c->id);
  m_clients.erase(c->id);
  c->stream->cancel();
  c->wake.notify_all();
  c->idle_timer.cancel();
  c->full_timer.cancel();
  if (m_settings.chat && !m_stopped) {
    bool mid_line = false;
    deliver(BrokerTable::k_stdin, BrokerTable::left(c->id), mid_line);
  }
  m_input_room.notify_all();
}

void Broker::deliver(unsigned from, std::string_view text, bool& mid_line) {
  if (text.empty()) {
    return;
  }
  const bool from_client = from != BrokerTable::k_stdin && m_clients.count(from) != 0;
  std::string out =
      m_settings.chat && from_client ? chat_prefix(from, text, mid_line) : std::string(text);
  const std::vector<unsigned> now_over = m_table.route(from, out);
  if (from_client && m_output) {
    m_out_bytes += out.size();
    m_out.push_back(std::move(out));
    m_out_ready.notify_all();
  }
  for (const unsigned id : now_over) {
    const auto it = m_clients.find(id);
    if (it != m_clients.end() && !it->second->full) {
      it->second->full = true;
      spawn(watch_full(it->second));
    }
  }
  wake_all();
}

asio::awaitable<void> Broker::watch_full(ClientPtr c) {
  // The senders wait while this client's queue is over the limit; if it is still over it after
  // the grace, the client does not read its data and would hold everyone up: it goes, its
  // connection reset, and the run reports the loss.
  c->full_timer.expires_after(k_full_grace);
  auto [ec] = co_await c->full_timer.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
  if (ec || c->gone || m_stopped || !c->full) {
    co_return; // cancelled: it read enough, it is gone, or the broker stops
  }
  log_error("broker: dropped " + c->stream->name() + ": it did not read its data (" +
            std::to_string(m_table.queued_bytes(c->id)) + " bytes waiting)");
  m_lost = true;
  c->stream->abort();
  drop(c, "");
}

void Broker::pass_on(unsigned from, LineFramer& lines, bool& mid_line, bool at_end) {
  if (lines.has_line()) {
    const std::string whole(lines.lines());
    lines.consume(whole.size());
    deliver(from, whole, mid_line);
  }
  if (lines.over_limit()) {
    // Too long to keep whole: it goes on in pieces (only such a line may be interleaved).
    const std::string piece = lines.take_partial();
    deliver(from, piece, mid_line);
  }
  if (at_end) {
    std::string rest(lines.all());
    lines.clear();
    const bool open = rest.empty() ? mid_line : rest.back() != '\n';
    if (open) {
      rest.push_back('\n'); // the last line ends, so the next sender's line starts on its own
    }
    deliver(from, rest, mid_line);
  }
}

asio::awaitable<void> Broker::read_input() {
  std::string buf(k_read_size, '\0');
  while (!m_stopped) {
    // Nobody to send to (nothing read is thrown away), or a client's queue over the limit.
    if (m_clients.empty() || m_table.any_over_limit()) {
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
      pass_on(BrokerTable::k_stdin, m_stdin_lines, m_stdin_mid_line, true);
      co_return;
    }
    m_stdin_lines.feed(std::string_view(buf.data(), static_cast<std::size_t>(r.n)));
    pass_on(BrokerTable::k_stdin, m_stdin_lines, m_stdin_mid_line, false);
  }
}

asio::awaitable<void> Broker::client_reader(ClientPtr c) {
  std::string buf(k_read_size, '\0');
  while (!c->gone && !m_stopped) {
    if (m_output && m_out_bytes > k_out_limit) {
      co_await m_out_room.wait();
      c->last_activity = std::chrono::steady_clock::now(); // held back is not idle
      continue;
    }
    if (m_table.any_over_limit()) {
      // A receiver is behind: its data waits in this sender's socket (for k_full_grace at
      // most: then the receiver is dropped).
      co_await m_input_room.wait();
      c->last_activity = std::chrono::steady_clock::now();
      continue;
    }
    const IoResult r = co_await c->stream->read(std::span<char>(buf.data(), buf.size()));
    if (m_stopped || c->gone) {
      co_return;
    }
    if (r.n > 0) {
      c->last_activity = std::chrono::steady_clock::now();
      c->lines.feed(std::string_view(buf.data(), static_cast<std::size_t>(r.n)));
      pass_on(c->id, c->lines, c->mid_line, false);
      continue;
    }
    if (r.n < 0) {
      drop(c, r.err == ECANCELED ? "" : errno_text(r.err));
      co_return;
    }
    // The end of a client's data is its leaving, as in ncat's broker: a TCP peer that closed
    // looks just like one that half-closed, and the others must hear that it left.
    pass_on(c->id, c->lines, c->mid_line, true);
    drop(c, "");
    co_return;
  }
}

asio::awaitable<void> Broker::client_writer(ClientPtr c) {
  while (!c->gone) {
    if (!m_table.pending(c->id)) {
      co_await c->wake.wait();
      continue;
    }
    const std::shared_ptr<const std::string> item = m_table.front(c->id);
    std::size_t off = 0;
    while (off < item->size()) {
      const IoResult w =
          co_await c->stream->write(std::span<const char>(item->data() + off, item->size() - off));
      if (c->gone) {
        co_return;
      }
      if (w.n < 0) {
        drop(c, w.err == ECANCELED ? "" : errno_text(w.err));
        co_return;
      }
      off += static_cast<std::size_t>(w.n);
      c->last_activity = std::chrono::steady_clock::now();
    }
    m_table.pop(c->id);
    if (c->full && !m_table.over_limit(c->id)) {
      c->full = false; // it reads: the watch lets it be
      c->full_timer.cancel();
    }
    m_input_room.notify_all();
  }
}

asio::awaitable<void> Broker::client_idle(ClientPtr c) {
  const Duration idle = *m_settings.idle_timeout;
  const bool expired = co_await idle_wait(
      c->idle_timer, idle, [&c] { return c->last_activity; },
      [this, &c] { return c->gone || m_stopped; });
  if (expired) {
    drop(c, "idle timeout: no data for " + format_duration(idle));
  }
}

asio::awaitable<void> Broker::write_output() {
  while (!m_stopped) {
    if (m_out.empty()) {
      co_await m_out_ready.wait();
      continue;
    }
    const std::string data = std::move(m_out.front());
    m_out.pop_front();
    std::uint64_t given = 0; // the broker keeps no count of its output
    const bool written = co_await write_local_output(*m_local, data, m_on_end, given);
    if (!written) {
      co_return;
    }
    m_out_bytes -= data.size();
    m_out_room.notify_all();
  }
}

} // namespace ipcat
