#include "zero_copy_pump.hpp"

#include <asio/post.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <cerrno>
#include <fcntl.h>
#include <optional>
#include <poll.h>
#include <unistd.h>

#include "log.hpp"

namespace ipcat {

ZeroCopyPump::ZeroCopyPump(Stream& src, Stream& dst, MoveKind kind, std::size_t chunk,
                           std::span<char> scratch, PumpCounters& counters, const bool& stopped,
                           int log_fd)
    : m_src(src), m_dst(dst), m_kind(kind), m_chunk(chunk), m_scratch(scratch),
      m_counters(counters), m_stopped(stopped), m_log_fd(log_fd) {}

void ZeroCopyPump::moved_in(std::size_t n) {
  m_counters.taken += n;
  m_counters.last_activity = std::chrono::steady_clock::now();
}

void ZeroCopyPump::moved_out(std::size_t n) {
  m_counters.given += n;
  m_counters.last_activity = std::chrono::steady_clock::now();
}

// A pair that is always ready (a file into /dev/null) never waits: the engine lets the rest of
// the run in (the meter, SIGUSR1, the other direction) every so often.
bool ZeroCopyPump::yield_due() {
  constexpr std::chrono::milliseconds k_yield_every{50};
  if (m_counters.last_activity - m_last_yield < k_yield_every) {
    return false;
  }
  m_last_yield = m_counters.last_activity;
  return true;
}

asio::awaitable<PumpOutcome> ZeroCopyPump::run() {
  if (m_kind != MoveKind::SpliceViaPipe) {
    const PumpOutcome o = co_await run_direct();
    co_return o;
  }
  std::optional<SplicePipe> pipe;
  try {
    pipe.emplace();
  } catch (const Error&) {
    co_return PumpOutcome{PumpEnd::Fallback}; // no pipe to be had (descriptor limit): copy
  }
  m_chunk = pipe->capacity();
  if (m_log_fd >= 0) {
    try {
      m_tee.emplace();
    } catch (const Error&) {
      co_return PumpOutcome{PumpEnd::Fallback}; // the copy path logs instead
    }
    // The tee pipe must hold all that one step puts into the private pipe.
    m_chunk = std::min(m_chunk, m_tee->capacity());
  }
  const PumpOutcome o = co_await run_via_pipe(*pipe);
  co_return o;
}

// Two steps through the private pipe: fill it from the source, then empty it into the
// destination. Bytes in the pipe are taken but not yet given.
asio::awaitable<PumpOutcome> ZeroCopyPump::run_via_pipe(SplicePipe& pipe) {
  const int in = m_src.read_fd();
  const int out = m_dst.write_fd();
  for (;;) {
    if (m_stopped) {
      co_return PumpOutcome{PumpEnd::Stopped};
    }
    const ssize_t n = splice_once(in, pipe.write_end(), m_chunk);
    if (n == 0) {
      co_return PumpOutcome{PumpEnd::EndOfInput};
    }
    if (n < 0) {
      const int err = errno;
      if (err == EINTR) {
        continue;
      }
      if (err == EAGAIN) {
        const int w = co_await m_src.wait_readable();
        if (w == ECANCELED) {
          co_return PumpOutcome{PumpEnd::Stopped};
        }
        if (w != 0) {
          co_return PumpOutcome{PumpEnd::ReadError, w};
        }
        continue;
      }
      if (splice_unsupported(err) && m_counters.taken == 0) {
        co_return PumpOutcome{PumpEnd::Fallback};
      }
      co_return PumpOutcome{PumpEnd::ReadError, err};
    }
    moved_in(static_cast<std::size_t>(n));
    if (m_tee && !log_pipe(pipe, static_cast<std::size_t>(n))) {
      // As on the copy path: a log that fails is reported once and stops; the relay goes on.
      log_error("write --output: " + errno_text(errno) + "; the log stops here");
      m_tee.reset();
    }
    std::size_t in_pipe = static_cast<std::size_t>(n);
    while (in_pipe > 0) {
      const ssize_t m = splice_once(pipe.read_end(), out, in_pipe);
      if (m > 0) {
        in_pipe -= static_cast<std::size_t>(m);
        moved_out(static_cast<std::size_t>(m));
        continue;
      }
      const int err = m < 0 ? errno : EAGAIN;
      if (err == EINTR) {
        continue;
      }
      if (err == EAGAIN) {
        const int w = co_await m_dst.wait_writable();
        if (w == ECANCELED || (w == 0 && m_stopped)) {
          co_return PumpOutcome{PumpEnd::Stopped};
        }
        if (w != 0) {
          co_return PumpOutcome{PumpEnd::WriteError, w};
        }
        continue;
      }
      if (splice_unsupported(err)) {
        // The destination takes no splice: hand what is in the pipe over by copying, then
        // let the copy path go on.
        const PumpOutcome o = co_await drain_by_copy(pipe.read_end(), in_pipe);
        co_return o;
      }
      co_return PumpOutcome{PumpEnd::WriteError, err};
    }
    if (yield_due()) {
      const auto ex = co_await asio::this_coro::executor;
      co_await asio::post(ex, asio::use_awaitable);
    }
  }
}

// -o on the zero-copy path: the n bytes just spliced into the (otherwise empty) private pipe are
// duplicated into the empty tee pipe of the same size without copying (tee(2)), then moved
// into the log. False (errno set) when the log cannot be written.
bool ZeroCopyPump::log_pipe(SplicePipe& pipe, std::size_t n) {
  ssize_t t = -1;
  do {
    t = ::tee(pipe.read_end(), m_tee->write_end(), n, 0);
  } while (t < 0 && errno == EINTR);
  if (t != static_cast<ssize_t>(n)) {
    errno = t < 0 ? errno : EIO;
    return false;
  }
  std::size_t left = n;
  while (left > 0) {
    ssize_t m = -1;
    if (!m_log_by_write) {
      m = ::splice(m_tee->read_end(), nullptr, m_log_fd, nullptr, left, 0);
      if (m < 0 && errno == EINVAL) {
        m_log_by_write = true; // an O_APPEND file takes no splice (--append-output)
        continue;
      }
    } else {
      m = ::read(m_tee->read_end(), m_scratch.data(), std::min(left, m_scratch.size()));
      for (ssize_t off = 0; m > 0 && off < m;) {
        const ssize_t w =
            ::write(m_log_fd, m_scratch.data() + off, static_cast<std::size_t>(m - off));
        if (w < 0 && errno == EINTR) {
          continue;
        }
        if (w <= 0) {
          return false;
        }
        off += w;
      }
    }
    if (m < 0 && errno == EINTR) {
      continue;
    }
    if (m <= 0) {
      if (m == 0) {
        errno = EIO;
      }
      return false;
    }
    left -= static_cast<std::size_t>(m);
  }
  return true;
}

// One step: sendfile from a regular file, or splice with a pipe on one side. Nothing is ever
// held between the two descriptors, so falling back to the copy path is safe at any point.
asio::awaitable<PumpOutcome> ZeroCopyPump::run_direct() {
  const int in = m_src.read_fd();
  const int out = m_dst.write_fd();
  int spurious = 0;
  for (;;) {
    if (m_stopped) {
      co_return PumpOutcome{PumpEnd::Stopped};
    }
    const ssize_t n = move_once(m_kind, in, out, m_chunk);
    if (n > 0) {
      moved_in(static_cast<std::size_t>(n));
      moved_out(static_cast<std::size_t>(n));
      spurious = 0;
      if (yield_due()) {
        const auto ex = co_await asio::this_coro::executor;
        co_await asio::post(ex, asio::use_awaitable);
      }
      continue;
    }
    if (n == 0) {
      co_return PumpOutcome{PumpEnd::EndOfInput};
    }
    const int err = errno;
    if (err == EINTR) {
      continue;
    }
    if (err == EAGAIN) {
      // Either side may be the one that is not ready: ask, then wait for that one.
      pollfd p[2] = {{in, POLLIN, 0}, {out, POLLOUT, 0}};
      ::poll(p, 2, 0);
      if (m_kind != MoveKind::Sendfile && (p[0].revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
        const int w = co_await m_src.wait_readable();
        if (w == ECANCELED) {
          co_return PumpOutcome{PumpEnd::Stopped};
        }
        if (w != 0) {
          co_return PumpOutcome{PumpEnd::ReadError, w};
        }
      } else if ((p[1].revents & (POLLOUT | POLLHUP | POLLERR)) == 0) {
        const int w = co_await m_dst.wait_writable();
        if (w == ECANCELED) {
          co_return PumpOutcome{PumpEnd::Stopped};
        }
        if (w != 0) {
          co_return PumpOutcome{PumpEnd::WriteError, w};
        }
      } else if (++spurious > 3) {
        co_return PumpOutcome{
            PumpEnd::Fallback}; // the kernel keeps saying "not now" to a ready pair
      }
      continue;
    }
    if (splice_unsupported(err) && m_counters.taken == 0) {
      co_return PumpOutcome{PumpEnd::Fallback};
    }
    const bool write_side = m_kind == MoveKind::Sendfile || err == EPIPE ||
                            (m_dst.traits().socket && !m_src.traits().socket);
    co_return PumpOutcome{write_side ? PumpEnd::WriteError : PumpEnd::ReadError, err};
  }
}

// Moves bytes stuck in the private pipe to the destination with plain writes.
asio::awaitable<PumpOutcome> ZeroCopyPump::drain_by_copy(int pipe_fd, std::size_t bytes) {
  while (bytes > 0) {
    const ssize_t n = ::read(pipe_fd, m_scratch.data(), std::min(bytes, m_scratch.size()));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      co_return PumpOutcome{PumpEnd::WriteError, n < 0 ? errno : EIO};
    }
    bytes -= static_cast<std::size_t>(n);
    std::size_t off = 0;
    while (off < static_cast<std::size_t>(n)) {
      const IoResult w = co_await m_dst.write(
          std::span<const char>(m_scratch.data() + off, static_cast<std::size_t>(n) - off));
      if (m_stopped || w.err == ECANCELED) {
        co_return PumpOutcome{PumpEnd::Stopped};
      }
      if (w.n < 0) {
        co_return PumpOutcome{PumpEnd::WriteError, w.err};
      }
      off += static_cast<std::size_t>(w.n);
      moved_out(static_cast<std::size_t>(w.n));
    }
  }
  co_return PumpOutcome{PumpEnd::Fallback};
}

} // namespace ipcat
