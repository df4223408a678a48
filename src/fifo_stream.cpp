// fifo:PATH: a named pipe that outlives its users, and ipcat's use of it survives them too.
#include <asio/experimental/as_tuple.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <cerrno>
#include <climits>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "endpoints.hpp"
#include "log.hpp"

namespace ipcat {

namespace {

using asio::experimental::as_tuple;

// How often a writer looks for a reader: opening a FIFO write-only without blocking fails with
// ENXIO until one exists, and there is no readiness event for "a reader arrived".
constexpr auto k_reader_poll = std::chrono::milliseconds(50);

// Creates the FIFO if missing (mode from --mode through the umask, never a chmod after);
// refuses anything else at the path.
void ensure_fifo(const Address& a) {
  const std::string what = "fifo " + a.path;
  struct stat st {};
  if (::lstat(a.path.c_str(), &st) == 0) {
    if (!S_ISFIFO(st.st_mode)) {
      throw Error(what, "not a FIFO (" + file_type_name(st.st_mode) + ")");
    }
    return;
  }
  if (errno != ENOENT) {
    throw_errno(what, errno);
  }
  mode_t old = 0;
  if (a.options.mode) {
    old = ::umask(~*a.options.mode & 0777);
  }
  const int rc = ::mkfifo(a.path.c_str(), a.options.mode ? (*a.options.mode & 07777) : 0666);
  const int err = errno;
  if (a.options.mode) {
    ::umask(old);
  }
  if (rc != 0 && err != EEXIST) {
    throw_errno(what, err);
  }
}

// The reading side. Normally it also holds the FIFO open for writing, so it never sees EOF when
// the writers go away and simply waits for the next one. With ",once" it ends at the first EOF
// after a writer has come and gone.
class FifoReader : public FdStream {
public:
  FifoReader(asio::io_context& io, const Address& a, Fd rfd, Fd keepalive)
      : FdStream(io, "fifo:" + a.path, rfd.get(), -1), m_fd(std::move(rfd)),
        m_keepalive(std::move(keepalive)) {}
  ~FifoReader() override { m_rwait.release(); }

  [[nodiscard]] bool writable() const override { return false; }
  void shutdown_write() override {}

  asio::awaitable<IoResult> read(std::span<char> buf) override {
    for (;;) {
      IoResult r = co_await FdStream::read(buf);
      if (r.n != 0) {
        co_return r;
      }
      // read() also says 0 before any writer has opened the FIFO; only POLLHUP means that a
      // writer came and went.
      pollfd p{m_fd.get(), POLLIN, 0};
      if (::poll(&p, 1, 0) > 0 && (p.revents & POLLHUP) != 0) {
        co_return r;
      }
      const int w = co_await m_rwait.wait(asio::posix::descriptor_base::wait_read);
      if (w != 0) {
        co_return IoResult{-1, w};
      }
    }
  }

private:
  Fd m_fd;
  Fd m_keepalive;
};

// The writing side: waits for a reader before the first write, and when the reader goes away
// (EPIPE) waits for the next one and writes the same bytes again, so nothing is lost inside
// ipcat. Each write is whole lines of at most PIPE_BUF bytes, which the kernel writes
// atomically, so lines from several writers never interleave.
class FifoWriter : public Stream {
public:
  FifoWriter(asio::io_context& io, const Address& a)
      : m_io(io), m_path(a.path), m_name("fifo:" + a.path), m_timer(io) {}
  ~FifoWriter() override { m_wait.release(); }

  [[nodiscard]] std::string name() const override { return m_name; }
  [[nodiscard]] bool readable() const override { return false; }
  [[nodiscard]] int write_fd() const override { return m_fd.get(); }

  asio::awaitable<IoResult> write(std::span<const char> buf) override {
    const std::string_view data(buf.data(), buf.size());
    if (!m_pending.empty()) {
      // Complete the held-back line with the start of this data, then write it in one piece.
      const auto nl = data.find('\n');
      const std::size_t take = nl == std::string_view::npos ? data.size() : nl + 1;
      m_pending.append(data.substr(0, take));
      if (nl == std::string_view::npos && m_pending.size() < PIPE_BUF) {
        co_return IoResult{static_cast<ssize_t>(take), 0};
      }
      const int err = co_await write_all(m_pending);
      m_pending.clear();
      if (err != 0) {
        co_return IoResult{-1, err};
      }
      co_return IoResult{static_cast<ssize_t>(take), 0};
    }
    // Whole lines up to PIPE_BUF in one atomic write; a partial last line shorter than
    // PIPE_BUF waits for its end; a line longer than PIPE_BUF cannot be atomic and goes in
    // PIPE_BUF pieces.
    std::size_t n = std::min<std::size_t>(data.size(), PIPE_BUF);
    const auto nl = data.substr(0, n).rfind('\n');
    if (nl != std::string_view::npos) {
      n = nl + 1;
    } else if (data.size() < PIPE_BUF) {
      m_pending.assign(data);
      co_return IoResult{static_cast<ssize_t>(data.size()), 0};
    }
    const IoResult r = co_await write_once_atomic(data.data(), n);
    co_return r;
  }

  asio::awaitable<int> flush() override {
    if (m_pending.empty()) {
      co_return 0;
    }
    const int err = co_await write_all(m_pending);
    m_pending.clear();
    co_return err;
  }

  void shutdown_write() override { close_fd(); }

  void cancel() override {
    m_cancelled = true;
    m_wait.cancel();
    m_timer.cancel();
  }

private:
  // One write of n bytes (at most PIPE_BUF: atomic), waiting for a reader and writing again
  // after the reader went away, so nothing is lost inside ipcat.
  asio::awaitable<IoResult> write_once_atomic(const char* data, std::size_t n) {
    for (;;) {
      if (m_cancelled) {
        co_return IoResult{-1, ECANCELED};
      }
      if (!m_fd.valid()) {
        const int err = co_await open_for_writing();
        if (err != 0) {
          co_return IoResult{-1, err};
        }
      }
      const ssize_t w = ::write(m_fd.get(), data, n);
      if (w > 0) {
        co_return IoResult{w, 0};
      }
      const int err = w == 0 ? EAGAIN : errno;
      if (err == EPIPE) {
        // The reader went away: the bytes were not written. Wait for a new reader.
        log_event("Reader of " + m_name + " went away; waiting for a new one");
        close_fd();
        continue;
      }
      if (err == EINTR) {
        continue;
      }
      if (err != EAGAIN) {
        co_return IoResult{-1, err};
      }
      const int e = co_await m_wait.wait(asio::posix::descriptor_base::wait_write);
      if (e != 0) {
        co_return IoResult{-1, e};
      }
    }
  }

  asio::awaitable<int> write_all(const std::string& s) {
    std::size_t off = 0;
    while (off < s.size()) {
      const IoResult r = co_await write_once_atomic(
          s.data() + off, std::min<std::size_t>(s.size() - off, PIPE_BUF));
      if (r.n < 0) {
        co_return r.err;
      }
      off += static_cast<std::size_t>(r.n);
    }
    co_return 0;
  }

  asio::awaitable<int> open_for_writing() {
    bool told = false;
    for (;;) {
      const int fd = ::open(m_path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
      if (fd >= 0) {
        m_fd.reset(fd);
        m_wait.release();
        m_wait.attach(m_io, fd);
        co_return 0;
      }
      if (errno != ENXIO && errno != EINTR) {
        co_return errno;
      }
      if (!told) {
        log_event("Waiting for a reader on " + m_name);
        told = true;
      }
      m_timer.expires_after(k_reader_poll);
      auto [ec] = co_await m_timer.async_wait(as_tuple(asio::use_awaitable));
      if (ec || m_cancelled) {
        co_return ECANCELED;
      }
    }
  }

  void close_fd() {
    m_wait.release();
    m_fd.reset();
  }

  asio::io_context& m_io;
  std::string m_path;
  std::string m_name;
  Fd m_fd;
  Waiter m_wait;
  asio::steady_timer m_timer;
  std::string m_pending; // a partial last line, shorter than PIPE_BUF
  bool m_cancelled = false;
};

} // namespace

std::unique_ptr<Stream> open_fifo(asio::io_context& io, const Address& a, bool as_source) {
  ensure_fifo(a);
  if (!as_source) {
    return std::make_unique<FifoWriter>(io, a);
  }
  const std::string what = "fifo " + a.path;
  // O_NONBLOCK: opening for reading never waits for a writer.
  Fd rfd(::open(a.path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!rfd.valid()) {
    throw_errno(what, errno);
  }
  Fd keepalive;
  if (!a.options.once) {
    keepalive.reset(::open(a.path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC));
  }
  return std::make_unique<FifoReader>(io, a, std::move(rfd), std::move(keepalive));
}

} // namespace ipcat
