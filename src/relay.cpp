#include "relay.hpp"

#include <asio/co_spawn.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/post.hpp>
#include <asio/use_awaitable.hpp>
#include <cerrno>
#include <poll.h>
#include <unistd.h>

#include "log.hpp"

namespace ipcat {

using asio::experimental::as_tuple;

Session::Session(asio::io_context& io, std::unique_ptr<Stream> left, std::unique_ptr<Stream> right,
                 SessionSettings settings, DoneHandler done)
    : m_io(io), m_left(std::move(left)), m_right(std::move(right)), m_settings(settings),
      m_done(std::move(done)), m_quit(io), m_idle(io) {}

void Session::spawn(asio::awaitable<void> work) {
  ++m_active;
  asio::co_spawn(m_io, std::move(work), [self = shared_from_this()](std::exception_ptr e) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        self->stop(1, ex.what());
      }
    }
    self->finish_one();
  });
}

void Session::start() {
  m_start = m_last_activity = std::chrono::steady_clock::now();
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
    d.size = m_settings.buffer_size;
    if (dst != nullptr && dst->max_message() != 0) {
      d.size = std::min(d.size, dst->max_message());
    }
    if (dst == nullptr) {
      d.size = std::min<std::size_t>(d.size, 64 * 1024);
    }
    d.buf.reset(new char[d.size]); // not value-initialised: untouched pages cost no memory
    if (dst != nullptr && dst->is_datagram() && src->is_line_source()) {
      src->set_one_line_per_read(true);
    }
  };
  if (m_has_fwd) {
    setup(m_fwd, m_left.get(), m_right.get(), m_right.get(), true);
  }
  if (m_has_back) {
    Stream* dst = (m_left->writable() && !m_settings.send_only) ? m_left.get() : nullptr;
    setup(m_back, m_right.get(), dst, m_left.get(), false);
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

asio::awaitable<void> Session::pump(std::shared_ptr<Session> self, Direction* d) {
  (void)self; // keeps the session alive while this direction runs
  // Zero-copy where both ends are plain descriptors and nothing transforms the bytes.
  if (d->dst != nullptr && d->src->zero_copy_ok() && d->dst->zero_copy_ok() &&
      !(d->forward && m_settings.echo)) {
    const MoveKind kind = choose_move(d->src->read_fd(), d->dst->write_fd());
    if (kind != MoveKind::Copy) {
      const bool fall_back = co_await zero_copy_pump(d, kind);
      if (!fall_back) {
        co_return;
      }
    }
  }
  for (;;) {
    const IoResult r = co_await d->src->read(std::span<char>(d->buf.get(), d->size));
    if (m_stopped) {
      co_return;
    }
    if (r.n == 0) {
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
    if (r.n < 0) {
      on_read_error(*d, r.err);
      co_return;
    }
    m_last_activity = std::chrono::steady_clock::now();
    const auto n = static_cast<std::size_t>(r.n);
    if (d->dst == nullptr) {
      d->bytes += n;
      continue;
    }
    if (d->forward && m_settings.echo) {
      write_stderr(d->buf.get(), n);
    }
    std::size_t off = 0;
    while (off < n) {
      const IoResult w = co_await d->dst->write(std::span<const char>(d->buf.get() + off, n - off));
      if (m_stopped) {
        co_return;
      }
      if (w.n < 0) {
        on_write_error(*d, w.err);
        co_return;
      }
      off += static_cast<std::size_t>(w.n);
      d->bytes += static_cast<std::size_t>(w.n);
      m_last_activity = std::chrono::steady_clock::now();
    }
  }
}

// Returns true when the kernel refused this pair before anything moved (the copy path takes
// over), false when the direction has ended (its end handled like the copy path's).
asio::awaitable<bool> Session::zero_copy_pump(Direction* d, MoveKind kind) {
  const int in = d->src->read_fd();
  const int out = d->dst->write_fd();
  std::optional<SplicePipe> pipe;
  if (kind == MoveKind::SpliceViaPipe) {
    try {
      pipe.emplace();
    } catch (const Error&) {
      co_return true;
    }
  }
  const std::size_t chunk = pipe ? pipe->capacity() : m_settings.buffer_size;
  std::size_t in_pipe = 0;
  int spurious = 0;
  for (;;) {
    if (m_stopped) {
      co_return false;
    }
    if (pipe) {
      // Two steps through the private pipe: fill it from the source, then empty it.
      if (in_pipe == 0) {
        const ssize_t n = splice_once(in, pipe->write_end(), chunk);
        if (n == 0) {
          on_eof(*d);
          co_return false;
        }
        if (n < 0) {
          const int err = errno;
          if (err == EINTR) {
            continue;
          }
          if (err == EAGAIN) {
            const int w = co_await d->src->wait_readable();
            if (w != 0) {
              co_return false;
            }
            continue;
          }
          if (splice_unsupported(err) && d->bytes == 0) {
            co_return true;
          }
          on_read_error(*d, err);
          co_return false;
        }
        in_pipe = static_cast<std::size_t>(n);
        m_last_activity = std::chrono::steady_clock::now();
      }
      while (in_pipe > 0) {
        const ssize_t m = splice_once(pipe->read_end(), out, in_pipe);
        if (m > 0) {
          in_pipe -= static_cast<std::size_t>(m);
          d->bytes += static_cast<std::size_t>(m);
          m_last_activity = std::chrono::steady_clock::now();
          continue;
        }
        const int err = m < 0 ? errno : EAGAIN;
        if (err == EINTR) {
          continue;
        }
        if (err == EAGAIN) {
          const int w = co_await d->dst->wait_writable();
          if (w != 0 || m_stopped) {
            co_return false;
          }
          continue;
        }
        if (splice_unsupported(err)) {
          // The destination takes no splice: hand what is in the pipe over by copying.
          const bool ok = co_await drain_pipe_by_copy(d, pipe->read_end(), in_pipe);
          co_return ok;
        }
        on_write_error(*d, err);
        co_return false;
      }
      continue;
    }
    // One step: sendfile from a regular file, or splice with a pipe on one side.
    const ssize_t n = move_once(kind, in, out, chunk);
    if (n > 0) {
      d->bytes += static_cast<std::size_t>(n);
      m_last_activity = std::chrono::steady_clock::now();
      spurious = 0;
      continue;
    }
    if (n == 0) {
      on_eof(*d);
      co_return false;
    }
    const int err = errno;
    if (err == EINTR) {
      continue;
    }
    if (err == EAGAIN) {
      // Either side may be the one that is not ready: ask, then wait for that one.
      pollfd p[2] = {{in, POLLIN, 0}, {out, POLLOUT, 0}};
      ::poll(p, 2, 0);
      int w = 0;
      if (kind != MoveKind::Sendfile && (p[0].revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
        w = co_await d->src->wait_readable();
      } else if ((p[1].revents & (POLLOUT | POLLHUP | POLLERR)) == 0) {
        w = co_await d->dst->wait_writable();
      } else if (++spurious > 3) {
        co_return d->bytes == 0; // the kernel keeps saying "not now" to a ready pair
      }
      if (w != 0 || m_stopped) {
        co_return false;
      }
      continue;
    }
    if (splice_unsupported(err) && d->bytes == 0) {
      co_return true;
    }
    const bool write_side =
        kind == MoveKind::Sendfile || err == EPIPE || (d->dst->is_socket() && !d->src->is_socket());
    if (write_side) {
      on_write_error(*d, err);
    } else {
      on_read_error(*d, err);
    }
    co_return false;
  }
}

// Moves bytes stuck in the private pipe to the destination with plain writes, then lets the
// copy path go on. Returns true to continue with the copy path, false when the direction ended.
asio::awaitable<bool> Session::drain_pipe_by_copy(Direction* d, int pipe_fd, std::size_t bytes) {
  while (bytes > 0) {
    const ssize_t n = ::read(pipe_fd, d->buf.get(), std::min(bytes, d->size));
    if (n <= 0) {
      co_return true;
    }
    bytes -= static_cast<std::size_t>(n);
    std::size_t off = 0;
    while (off < static_cast<std::size_t>(n)) {
      const IoResult w = co_await d->dst->write(
          std::span<const char>(d->buf.get() + off, static_cast<std::size_t>(n) - off));
      if (m_stopped) {
        co_return false;
      }
      if (w.n < 0) {
        on_write_error(*d, w.err);
        co_return false;
      }
      off += static_cast<std::size_t>(w.n);
      d->bytes += static_cast<std::size_t>(w.n);
    }
  }
  co_return true;
}

void Session::on_eof(Direction& d) {
  d.done = true;
  if (d.dst != nullptr && !(m_settings.no_shutdown && d.dst->is_socket())) {
    d.dst->shutdown_write();
  }
  const Direction& opposite = d.forward ? m_back : m_fwd;
  if (d.src->peer_gone() || (opposite.done && opposite.dst == d.src)) {
    stop(0); // the peer closed entirely (or could no longer be written to)
    return;
  }
  if (d.receiver->input_is_tty()) {
    stop(0); // nobody will end a terminal's input for us: the network side ending ends it
    return;
  }
  Direction& other = d.forward ? m_back : m_fwd;
  if ((d.forward ? m_has_back : m_has_fwd) && !other.done) {
    // Only half-closed so far; a later full close must still end the session.
    spawn(hangup_watch(shared_from_this(), d.src));
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

void Session::on_read_error(Direction& d, int err) {
  if (err == ECANCELED) {
    return;
  }
  if (d.src->peer_went_away(err)) {
    stop(0); // the peer closing is a normal end
    return;
  }
  if (err == EIO && d.src->input_is_tty()) {
    on_eof(d); // the terminal hung up
    return;
  }
  stop(1, "read " + d.src->name() + ": " + errno_text(err));
}

void Session::on_write_error(Direction& d, int err) {
  if (err == ECANCELED) {
    return;
  }
  if (d.dst->quiet_broken_pipe() && (err == EPIPE || err == EBADF)) {
    stop(0); // our reader went away (| head -1): a normal, quiet end
    return;
  }
  if (d.dst->peer_went_away(err)) {
    // The peer closing is a normal end. What it sent before it went is still in our receive
    // buffer: let the direction reading it drain to its end before the session stops.
    d.done = true;
    Direction& other = d.forward ? m_back : m_fwd;
    const bool draining = (d.forward ? m_has_back : m_has_fwd) && !other.done && other.src == d.dst;
    if (!draining) {
      stop(0);
    }
    return;
  }
  if (!d.dst->write_error_ends_session()) {
    d.done = true;
    check_complete();
    return;
  }
  stop(1, "write " + d.dst->name() + ": " + errno_text(err));
}

void Session::check_complete() {
  if (m_stopped) {
    return;
  }
  // A dropping direction (no destination) never keeps the session alive by itself.
  const bool fwd_open = m_has_fwd && !m_fwd.done;
  const bool back_open = m_has_back && m_back.dst != nullptr && !m_back.done;
  if (!fwd_open && !back_open) {
    stop(0);
  }
}

asio::awaitable<void> Session::hangup_watch(std::shared_ptr<Session> self, Stream* s) {
  (void)self;
  const bool gone = co_await s->watch_hangup();
  if (gone && !m_stopped) {
    stop(0);
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
  // Activity only stamps a time; the watchdog sleeps until the stamp plus the timeout and
  // looks again, so the hot path never touches a timer.
  while (!m_stopped) {
    const auto deadline = m_last_activity + idle;
    if (std::chrono::steady_clock::now() >= deadline) {
      stop(1, "idle timeout: no data for " + format_duration(idle));
      co_return;
    }
    m_idle.expires_at(deadline);
    auto [ec] = co_await m_idle.async_wait(as_tuple(asio::use_awaitable));
    if (ec) {
      co_return;
    }
  }
}

void Session::stop(int status, std::string message) {
  if (m_stopped) {
    return;
  }
  m_stopped = true;
  m_result.status = status;
  m_result.message = std::move(message);
  m_left->cancel();
  m_right->cancel();
  m_quit.cancel();
  m_idle.cancel();
}

void Session::finish_one() {
  if (--m_active > 0 || !m_stopped) {
    return;
  }
  m_result.sent = m_fwd.bytes;
  m_result.received = m_back.bytes;
  m_result.elapsed = std::chrono::steady_clock::now() - m_start;
  if (m_done) {
    asio::post(m_io, [done = std::move(m_done), result = m_result]() { done(result); });
    m_done = nullptr;
  }
}

} // namespace ipcat
