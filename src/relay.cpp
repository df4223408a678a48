#include "relay.hpp"

#include <asio/co_spawn.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/post.hpp>
#include <asio/use_awaitable.hpp>
#include <cerrno>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.hpp"
#include "progress.hpp"
#include "tasks.hpp"

namespace ipcat {

using asio::experimental::as_tuple;

namespace {
// A datagram source's buffer: the largest Unix datagram a socket sends with the default
// buffer sizes (wmem_default) fits; a larger one is reported, never cut silently.
constexpr std::size_t k_max_datagram_read = 1 << 20;
// A direction whose two ends are always ready (a file into /dev/null) never waits; it lets the
// rest of the run (the meter, SIGUSR1, the other direction) in this often.
constexpr std::chrono::milliseconds k_yield_every{50};
// How long a session whose peer left waits for a pipe or socket input to show whether it had
// more (data: status 1) or was ending anyway (EOF: status 0), and how often it looks.
constexpr std::chrono::milliseconds k_input_grace{250};
constexpr std::chrono::milliseconds k_input_grace_step{5};

// A pipe, FIFO or socket: an input whose next bytes may simply not have arrived yet.
bool may_be_refilled(int fd) {
  struct stat st {};
  return fd >= 0 && ::fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

// What a look at such an input shows: data waiting, its end, or nothing yet.
enum class InputLook { Data, Ended, Nothing };
InputLook look_at_input(const Stream& input) {
  pollfd p{input.read_fd(), POLLIN, 0};
  if (::poll(&p, 1, 0) <= 0) {
    return InputLook::Nothing;
  }
  if (input.input_pending()) {
    return InputLook::Data;
  }
  return (p.revents & (POLLIN | POLLHUP | POLLERR)) != 0 ? InputLook::Ended : InputLook::Nothing;
}
} // namespace

Session::Session(asio::io_context& io, std::unique_ptr<Stream> left, std::unique_ptr<Stream> right,
                 SessionSettings settings, DoneHandler done)
    : m_io(io), m_left(std::move(left)), m_right(std::move(right)), m_settings(settings),
      m_done(std::move(done)), m_quit(io), m_idle(io), m_grace(io) {}

void Session::spawn(asio::awaitable<void> work) {
  ++m_active;
  auto self = shared_from_this();
  spawn_logged(
      m_io, std::move(work), [self](const std::string& what) { self->stop(1, what); },
      [self] { self->finish_one(); });
}

void Session::start() {
  m_start = std::chrono::steady_clock::now();
  // Left to right: the left side's input (stdin, a generator) into the right side.
  m_has_fwd = !m_settings.recv_only && m_left->readable() && m_right->writable();
  // Right to left: always read the right side when it can be read, even when its data is
  // dropped (--send-only, a generator on the left): that is how a peer going away is noticed.
  m_has_back = m_right->readable();
  auto setup = [&](Direction& d, Stream* src, Stream* dst, Stream* receiver, bool forward) {
    d.src = src;
    d.dst = dst;
    d.receiver = receiver;
    d.forward = forward;
    d.counts.last_activity = m_start;
    d.size = m_settings.buffer_size;
    if (src->traits().datagram) {
      // A datagram is read whole or not at all: the buffer holds the largest one a socket
      // sends by default; a larger one is reported, never cut.
      d.size = std::max(d.size, k_max_datagram_read);
    } else if (dst != nullptr && dst->traits().max_message != 0) {
      d.size = std::min(d.size, dst->traits().max_message); // a chunk is one datagram
    } else if (dst == nullptr) {
      d.size = std::min<std::size_t>(d.size, 64 * 1024);
    }
    d.buf.reset(new char[d.size]); // not value-initialised: untouched pages cost no memory
    if (dst != nullptr && dst->traits().datagram && src->traits().line_source) {
      src->set_one_line_per_read(true);
    }
    // -C, --delay and --rate shape only what is sent; what comes back is only recorded, and
    // keeps zero-copy when nothing records it.
    const bool tapped = forward ? m_settings.shape.any() : m_settings.shape.files != nullptr;
    if (dst != nullptr && tapped) {
      d.tap = std::make_unique<Tap>(m_io, m_settings.shape, forward, m_settings.buffer_size);
    }
  };
  if (m_has_fwd) {
    setup(m_fwd, m_left.get(), m_right.get(), m_right.get(), true);
  }
  if (m_has_back) {
    Stream* dst = (m_left->writable() && !m_settings.send_only) ? m_left.get() : nullptr;
    setup(m_back, m_right.get(), dst, m_left.get(), false);
  }
  if (m_settings.meter != nullptr) {
    m_settings.meter->attach(this, &m_fwd.counts, &m_back.counts,
                             m_has_fwd ? regular_file_left(m_left->read_fd()) : std::nullopt);
  }
  ++m_active; // held until everything is spawned, so an early end cannot finish twice
  if (m_has_fwd) {
    spawn(pump(shared_from_this(), &m_fwd));
  }
  if (m_has_back) {
    spawn(pump(shared_from_this(), &m_back));
  }
  if (m_settings.idle_timeout) {
    spawn(idle_watchdog(shared_from_this()));
  }
  check_complete();
  finish_one();
}

// By identity, not by d.forward: a direction that was never set up has no fields filled in.
Session::Direction& Session::opposite(const Direction& d) {
  return &d == &m_fwd ? m_back : m_fwd;
}

bool Session::active(const Direction& d) const {
  return (&d == &m_fwd ? m_has_fwd : m_has_back) && !d.done;
}

asio::awaitable<void> Session::pump(std::shared_ptr<Session> self, Direction* d) {
  (void)self; // keeps the session alive while this direction runs
  // Zero-copy where both ends are plain descriptors and nothing transforms the bytes.
  if (d->dst != nullptr && d->src->traits().zero_copy && d->dst->traits().zero_copy &&
      !(d->forward && m_settings.echo) && (d->tap == nullptr || d->tap->log_only())) {
    const bool go_on = co_await run_zero_copy(d);
    if (!go_on) {
      co_return;
    }
  }
  const bool datagrams = d->src->traits().datagram;
  // A paced stream is read a burst at a time; a datagram, and a line of a line source (a
  // generator, a followed file), is always read whole and paid for by a longer wait.
  const bool whole =
      datagrams || d->src->traits().line_source || (d->dst != nullptr && d->dst->traits().datagram);
  const std::size_t want = d->tap && !whole ? d->tap->read_limit(d->size) : d->size;
  auto last_yield = std::chrono::steady_clock::now();
  if (d->dst != nullptr && d->tap == nullptr && !whole && !d->src->traits().endless &&
      ReadAhead::suits(d->src->read_fd())) {
    d->ahead = std::make_unique<ReadAhead>(m_io, d->src->read_fd(), d->buf.get(), d->size);
  }
  for (;;) {
    IoResult r;
    const char* data = d->buf.get();
    if (d->ahead) {
      r = co_await d->ahead->next();
      data = d->ahead->data();
      if (r.n == 0 && !m_stopped) {
        d->ahead.reset(); // what was appended since, and the end, come the usual way
        continue;
      }
    } else {
      r = co_await d->src->read(std::span<char>(d->buf.get(), want));
    }
    if (m_stopped) {
      co_return;
    }
    if (r.n == 0 && !datagrams) {
      if (d->dst != nullptr) {
        const int err = co_await d->dst->flush();
        if (m_stopped) {
          co_return;
        }
        if (err != 0) {
          on_write_error(*d, err);
          co_return;
        }
      }
      on_eof(*d);
      co_return;
    }
    if (r.n < 0 && datagrams && r.err == EMSGSIZE) {
      // Larger than the buffer: the kernel has cut it. Say so; the status tells at the end.
      const std::string line = "read " + d->src->name() + ": a datagram larger than " +
                               std::to_string(d->size) + " bytes was cut; dropped";
      log_error(line);
      fail_later(line);
      continue;
    }
    if (r.n < 0) {
      on_read_error(*d, r.err);
      co_return;
    }
    // r.n == 0 here is an empty datagram: passed on as one when the destination takes them.
    const auto n = static_cast<std::size_t>(r.n);
    d->counts.taken += n;
    d->counts.last_activity = std::chrono::steady_clock::now();
    if (d->dst == nullptr) {
      d->counts.given += n;
      continue;
    }
    if (n == 0 && !d->dst->traits().datagram) {
      continue;
    }
    if (d->forward && m_settings.echo) {
      write_stderr(data, n);
    }
    bool ok = false;
    if (d->tap) {
      ok = co_await write_shaped(d, n);
    } else {
      ok = co_await write_all(d, std::span<const char>(data, n), n);
    }
    if (!ok) {
      co_return;
    }
    if (d->counts.last_activity - last_yield >= k_yield_every) {
      last_yield = d->counts.last_activity;
      co_await asio::post(m_io, asio::use_awaitable);
      if (m_stopped) {
        co_return;
      }
    }
  }
}

// Writes the n bytes in d's buffer through its tap, a piece at a time (a line at a time with
// --delay; a datagram is never split); false when the direction (or the session) ended.
asio::awaitable<bool> Session::write_shaped(Direction* d, std::size_t n) {
  const std::string name = (m_settings.peer_is_left ? m_left : m_right)->name();
  const bool whole = d->dst->traits().datagram;
  std::size_t off = 0;
  do {
    const std::span<const char> rest(d->buf.get() + off, n - off);
    const std::size_t piece = whole ? rest.size() : d->tap->piece(rest);
    const std::span<const char> out = co_await d->tap->before_write(rest.first(piece), name);
    if (m_stopped) {
      co_return false;
    }
    const bool ok = co_await write_all(d, out, piece);
    if (!ok) {
      co_return false;
    }
    off += piece;
  } while (off < n);
  co_return true;
}

// Writes data (the n bytes read, or what -C made of them) out; false when the direction (or
// the session) ended. The counts are of bytes read: a transformed chunk counts once it is out.
asio::awaitable<bool> Session::write_all(Direction* d, std::span<const char> data, std::size_t n) {
  const bool same = data.size() == n;
  std::size_t off = 0;
  do {
    const IoResult w = co_await d->dst->write(data.subspan(off));
    if (m_stopped) {
      co_return false;
    }
    if (w.n < 0 && w.err == EMSGSIZE && d->dst->traits().datagram) {
      // One datagram too large for the destination: it is not cut, and not silently lost.
      const std::string line = "write " + d->dst->name() + ": a datagram of " + std::to_string(n) +
                               " bytes is too large for it; dropped";
      log_error(line);
      fail_later(line);
      d->counts.taken -= n; // reported here, not again as undelivered at the end
      co_return true;
    }
    if (w.n < 0) {
      on_write_error(*d, w.err);
      co_return false;
    }
    off += static_cast<std::size_t>(w.n);
    d->counts.given += same ? static_cast<std::size_t>(w.n) : 0;
    d->counts.last_activity = std::chrono::steady_clock::now();
  } while (off < data.size());
  d->counts.given += same ? 0 : n;
  co_return true;
}

// Returns true when the copy path is to go on (the kernel refused the pair), false when the
// direction has ended: every outcome of the engine is mapped to the session's rules here.
asio::awaitable<bool> Session::run_zero_copy(Direction* d) {
  const MoveKind kind = choose_move(d->src->read_fd(), d->dst->write_fd());
  // -o alone: the private pipe between two sockets is teed into the log; other pairs copy.
  const int log_fd = d->tap ? d->tap->log_fd() : -1;
  if (kind == MoveKind::Copy || (d->tap && kind != MoveKind::SpliceViaPipe)) {
    co_return true;
  }
  ZeroCopyPump engine(*d->src, *d->dst, kind, m_settings.buffer_size,
                      std::span<char>(d->buf.get(), d->size), d->counts, m_stopped, log_fd);
  const PumpOutcome o = co_await engine.run();
  if (m_stopped) {
    co_return false;
  }
  switch (o.end) {
  case PumpEnd::Fallback:
    co_return true;
  case PumpEnd::EndOfInput:
    on_eof(*d);
    break;
  case PumpEnd::ReadError:
    on_read_error(*d, o.err);
    break;
  case PumpEnd::WriteError:
    on_write_error(*d, o.err);
    break;
  case PumpEnd::Stopped:
    break;
  }
  co_return false;
}

std::string Session::not_delivered(const Direction& d) {
  const std::uint64_t held = d.counts.taken - d.counts.given;
  return held > 0 ? std::to_string(held) + " bytes not delivered" : "data not delivered";
}

void Session::fail_later(std::string message) {
  if (m_failure.empty()) {
    m_failure = std::move(message);
  }
}

void Session::on_eof(Direction& d) {
  d.done = true;
  if (!m_failure.empty()) {
    // Data was already lost: no clean half-close that a peer could take for success; the
    // session ends now, with the failure (and resets).
    stop(1, m_failure);
    return;
  }
  if (d.dst != nullptr && !(m_settings.no_shutdown && d.dst->traits().socket)) {
    d.dst->shutdown_write();
  }
  Direction& other = opposite(d);
  if (d.src->peer_gone() || (other.done && other.dst == d.src)) {
    on_peer_gone(other); // the peer closed entirely (or could no longer be written to)
    return;
  }
  if (d.receiver->traits().tty_input) {
    // Nobody will end a terminal's input for us: the network side ending ends it.
    on_peer_gone(other);
    return;
  }
  if (active(other)) {
    // Only half-closed so far; a later full close must still end the session.
    spawn(hangup_watch(shared_from_this(), &other));
  }
  if (d.forward && m_settings.quit_after_input && !m_quit_started) {
    m_quit_started = true;
    if (m_settings.quit_after_input->count() == 0) {
      stop(0);
      return;
    }
    spawn(quit_timer(shared_from_this(), *m_settings.quit_after_input));
  }
  check_complete();
}

// The peer that `towards` writes to has gone: a normal end if it took everything it was sent,
// status 1 when it threw data away (a reset) or bytes read for it are still held here.
void Session::on_peer_gone(Direction& towards) {
  const bool sends = towards.src != nullptr && towards.dst != nullptr;
  if (sends && !towards.src->traits().endless) {
    // A reset leaves its error pending: ECONNRESET, or EPIPE when it came after the peer's
    // FIN (TCP in CLOSE_WAIT). Either way the peer threw away what it had been sent.
    const int err = towards.dst->take_error();
    if (err == ECONNRESET || err == EPIPE) {
      fail_later("write " + towards.dst->name() + ": " + errno_text(err) + ": " +
                 not_delivered(towards));
    } else if (active(towards) && towards.counts.taken > towards.counts.given) {
      fail_later("write " + towards.dst->name() + ": the peer closed: " + not_delivered(towards));
    } else if (active(towards) && !towards.src->traits().tty_input &&
               towards.src->input_pending()) {
      // Everything sent so far was taken, but the input had more for the peer that left.
      fail_later("write " + towards.dst->name() +
                 ": the peer closed before the input ended: " + not_delivered(towards));
    } else if (active(towards) && !towards.src->traits().tty_input && m_grace_dir == nullptr &&
               may_be_refilled(towards.src->read_fd())) {
      // Nothing is waiting in the pipe at this instant, but its writer may be about to refill
      // it: look again for a moment before calling the end clean.
      m_grace_dir = &towards;
      m_grace_taken = towards.counts.taken;
      spawn(input_grace(shared_from_this(), &towards));
      return;
    }
  }
  stop(0);
}

asio::awaitable<void> Session::input_grace(std::shared_ptr<Session> self, Direction* towards) {
  (void)self;
  const auto until = std::chrono::steady_clock::now() + k_input_grace;
  InputLook seen = InputLook::Nothing;
  while (!m_stopped && std::chrono::steady_clock::now() < until) {
    seen = look_at_input(*towards->src);
    if (seen != InputLook::Nothing || input_grew()) {
      break;
    }
    m_grace.expires_after(k_input_grace_step);
    auto [ec] = co_await m_grace.async_wait(as_tuple(asio::use_awaitable));
    if (ec) {
      co_return; // stopped
    }
  }
  if (m_stopped) {
    co_return;
  }
  if (seen == InputLook::Data && !input_grew()) {
    fail_later("write " + towards->dst->name() +
               ": the peer closed before the input ended: " + not_delivered(*towards));
  }
  stop(0); // stop() also reports input taken after the peer left
}

bool Session::input_grew() const {
  return m_grace_dir != nullptr && m_grace_dir->counts.taken > m_grace_taken;
}

void Session::on_read_error(Direction& d, int err) {
  if (err == ECANCELED) {
    return;
  }
  if (d.src->traits().socket && (err == EPIPE || err == ECONNRESET || err == ENOTCONN)) {
    // The peer went away. A reset means it threw away what it had been sent.
    Direction& other = opposite(d);
    const bool sent = other.dst == d.src && other.counts.taken > 0;
    if (err == ECONNRESET && !(other.dst == d.src && other.src->traits().endless)) {
      stop(1, "read " + d.src->name() + ": " + errno_text(err) +
                  (sent ? ": " + not_delivered(other) : std::string()));
      return;
    }
    on_peer_gone(other);
    return;
  }
  if (err == EIO && d.src->traits().tty_input) {
    on_eof(d); // the terminal hung up
    return;
  }
  stop(1, "read " + d.src->name() + ": " + d.src->error_text(err));
}

void Session::on_write_error(Direction& d, int err) {
  if (err == ECANCELED) {
    return;
  }
  const StreamTraits& t = d.dst->traits();
  if (t.quiet_broken_pipe && (err == EPIPE || err == EBADF)) {
    stop(0); // our reader went away (| head -1): a normal, quiet end
    return;
  }
  if (t.write_error_ends_direction) {
    // A child that stopped reading (head -1) may still be writing its answer.
    d.done = true;
    check_complete();
    return;
  }
  if (t.socket && (err == EPIPE || err == ECONNRESET || err == ENOTCONN)) {
    d.done = true;
    if (!d.src->traits().endless) {
      fail_later("write " + d.dst->name() + ": " + errno_text(err) + ": " + not_delivered(d));
    }
    // What the peer sent before it went is still in our receive buffer: let the direction
    // reading it drain to its end before the session stops.
    const Direction& other = opposite(d);
    if (!(active(other) && other.src == d.dst)) {
      stop(0);
    }
    return;
  }
  stop(1, "write " + d.dst->name() + ": " + d.dst->error_text(err));
}

void Session::check_complete() {
  if (m_stopped) {
    return;
  }
  // A dropping direction (no destination) never keeps the session alive by itself.
  const bool fwd_open = active(m_fwd);
  const bool back_open = active(m_back) && m_back.dst != nullptr;
  if (!fwd_open && !back_open) {
    stop(0);
  }
}

asio::awaitable<void> Session::hangup_watch(std::shared_ptr<Session> self, Direction* towards) {
  (void)self;
  const Direction& other = opposite(*towards);
  const bool gone = co_await other.src->watch_hangup();
  if (gone && !m_stopped) {
    on_peer_gone(*towards);
  }
}

asio::awaitable<void> Session::quit_timer(std::shared_ptr<Session> self, Duration after) {
  (void)self;
  m_quit.expires_after(after);
  auto [ec] = co_await m_quit.async_wait(as_tuple(asio::use_awaitable));
  if (!ec && !m_stopped) {
    stop(0);
  }
}

asio::awaitable<void> Session::idle_watchdog(std::shared_ptr<Session> self) {
  (void)self;
  const Duration idle = *m_settings.idle_timeout;
  const bool expired = co_await idle_wait(
      m_idle, idle,
      [this] { return std::max(m_fwd.counts.last_activity, m_back.counts.last_activity); },
      [this] { return m_stopped; });
  if (expired) {
    stop(1, "idle timeout: no data for " + format_duration(idle));
  }
}

void Session::stop(int status, std::string message) {
  if (m_stopped) {
    return;
  }
  m_stopped = true;
  if (status == 0 && m_failure.empty() && input_grew()) {
    fail_later("write " + m_grace_dir->dst->name() +
               ": the peer closed before the input ended: " + not_delivered(*m_grace_dir));
  }
  if (status == 0 && !m_failure.empty()) {
    status = 1; // the end looked normal, but data was lost on the way
    message = std::move(m_failure);
  }
  m_result.status = status;
  m_result.message = std::move(message);
  if (status == 1) {
    // Data was lost or an endpoint failed: the peers must not take the end for success.
    m_left->abort();
    m_right->abort();
  }
  m_left->cancel();
  m_right->cancel();
  for (Direction* d : {&m_fwd, &m_back}) {
    if (d->tap) {
      d->tap->cancel();
    }
    if (d->ahead) {
      d->ahead->cancel();
    }
  }
  m_quit.cancel();
  m_idle.cancel();
  m_grace.cancel();
}

void Session::finish_one() {
  if (--m_active > 0 || !m_stopped) {
    return;
  }
  m_result.sent = m_fwd.counts.given;
  m_result.received = m_back.counts.given;
  m_result.elapsed = std::chrono::steady_clock::now() - m_start;
  if (m_settings.meter != nullptr) {
    m_settings.meter->detach(this);
  }
  if (m_done) {
    asio::post(m_io, [done = std::move(m_done), result = m_result]() { done(result); });
    m_done = nullptr;
  }
}

} // namespace ipcat
