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
#include "line_framer.hpp"
#include "log.hpp"

namespace ipcat {

namespace {

using asio::experimental::as_tuple;

// How often a writer looks for a reader: opening a FIFO write-only without blocking fails with
// ENXIO until one exists, and there is no readiness event for "a reader arrived".
constexpr auto k_reader_poll = std::chrono::milliseconds(50);

// The path's identity, from the first open: every later open must find this very FIFO.
struct FifoId {
  dev_t dev = 0;
  ino_t ino = 0;
};

// How an object found at the path instead of the FIFO is named in messages.
std::string replacement_name(mode_t mode) {
  return S_ISFIFO(mode) ? "another FIFO" : "a " + file_type_name(mode);
}

// Opens the FIFO at path for reading or writing. O_NOFOLLOW: a symbolic link swapped in is
// never followed; O_NONBLOCK: the open never waits (for a writer, for a reader, or on whatever
// else was put there); O_NOCTTY: a terminal put there does not become ours. -1 with errno.
int open_fifo_path(const std::string& path, int access) {
  return ::open(path.c_str(), access | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
}

// Throws when fd, just opened at the path, is not the FIFO the first open found.
void check_same_fifo(int fd, const FifoId& id, const std::string& what) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    throw_errno(what, errno);
  }
  if (!S_ISFIFO(st.st_mode) || st.st_dev != id.dev || st.st_ino != id.ino) {
    throw Error(what, "replaced by " + replacement_name(st.st_mode));
  }
}

// After an open of the path failed (nothing was opened, so nothing can be written): throws when
// something other than the first FIFO is there now, so the failure is reported as what it is.
void refuse_replaced(const std::string& path, const FifoId& id, const std::string& what) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    return; // gone: the caller reports its own errno
  }
  if (!S_ISFIFO(st.st_mode) || st.st_dev != id.dev || st.st_ino != id.ino) {
    throw Error(what, "replaced by " + replacement_name(st.st_mode));
  }
}

// Creates the FIFO if missing (mode from --mode through the umask, never a chmod after), then
// opens what is at the path with O_PATH|O_NOFOLLOW and checks that descriptor: there is no
// window between a check and a use, because the check is made on what was opened. O_PATH opens
// nothing for I/O (no side effect on a device, no wait on a FIFO) and, with O_NOFOLLOW, names a
// symbolic link itself. The descriptor is kept, so the FIFO's inode cannot be freed and its
// number reused by another file while ipcat runs.
Fd ensure_fifo(const Address& a, FifoId& id) {
  const std::string what = "fifo " + a.path;
  int rc = 0;
  int err = 0;
  {
    const UmaskGuard guard(a.options.mode);
    rc = ::mkfifo(a.path.c_str(), a.options.mode ? (*a.options.mode & 07777) : 0666);
    err = errno;
  }
  if (rc != 0 && err != EEXIST) {
    throw_errno(what, err);
  }
  Fd handle(::open(a.path.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
  if (!handle.valid()) {
    throw_errno(what, errno);
  }
  struct stat st {};
  if (::fstat(handle.get(), &st) != 0) {
    throw_errno(what, errno);
  }
  if (!S_ISFIFO(st.st_mode)) {
    throw Error(what, "not a FIFO (" + file_type_name(st.st_mode) + ")");
  }
  id.dev = st.st_dev;
  id.ino = st.st_ino;
  return handle;
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
// ipcat. Each write is whole lines, at most PIPE_BUF bytes, which the kernel writes
// atomically, so lines from several writers never interleave; a line longer than PIPE_BUF
// cannot be atomic and goes out in PIPE_BUF pieces as it comes. Every reopen of the path is
// checked to find the FIFO of the first open.
class FifoWriter : public Stream {
public:
  FifoWriter(asio::io_context& io, const Address& a, Fd handle, FifoId id)
      : m_io(io), m_path(a.path), m_name("fifo:" + a.path), m_what("fifo " + a.path),
        m_handle(std::move(handle)), m_id(id), m_timer(io) {}
  ~FifoWriter() override { m_wait.release(); }

  [[nodiscard]] std::string name() const override { return m_name; }
  [[nodiscard]] bool readable() const override { return false; }
  [[nodiscard]] int write_fd() const override { return m_fd.get(); }

  asio::awaitable<IoResult> write(std::span<const char> buf) override {
    m_framer.feed(std::string_view(buf.data(), buf.size()));
    const int err = co_await write_ready(false);
    if (err != 0) {
      co_return IoResult{-1, err};
    }
    co_return IoResult{static_cast<ssize_t>(buf.size()), 0};
  }

  asio::awaitable<int> flush() override {
    const int err = co_await write_ready(true);
    co_return err;
  }

  void shutdown_write() override { close_fd(); }

  void cancel() override {
    m_cancelled = true;
    m_wait.cancel();
    m_timer.cancel();
  }

private:
  // Writes what may go out now: batches of whole lines of at most PIPE_BUF bytes, pieces of a
  // line longer than PIPE_BUF, and at the end of the input the partial last line.
  asio::awaitable<int> write_ready(bool at_end) {
    for (;;) {
      std::string_view chunk = m_framer.lines(PIPE_BUF);
      if (chunk.empty()) {
        const std::string_view rest = m_framer.all();
        if (rest.size() >= PIPE_BUF || at_end) {
          chunk = rest.substr(0, PIPE_BUF);
        }
      }
      if (chunk.empty()) {
        co_return 0;
      }
      const IoResult r = co_await write_once_atomic(chunk.data(), chunk.size());
      if (r.n < 0) {
        co_return r.err;
      }
      m_framer.consume(static_cast<std::size_t>(r.n));
    }
  }

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

  // Opens the path for writing once a reader exists. Throws when the path no longer names the
  // FIFO of the first open (a symbolic link, a regular file or another FIFO swapped in): the
  // descriptor is closed before a byte is written to it.
  asio::awaitable<int> open_for_writing() {
    bool told = false;
    for (;;) {
      const int fd = open_fifo_path(m_path, O_WRONLY);
      if (fd >= 0) {
        Fd opened(fd);
        check_same_fifo(opened.get(), m_id, m_what);
        m_fd = std::move(opened);
        m_wait.release();
        m_wait.attach(m_io, m_fd.get());
        co_return 0;
      }
      const int err = errno;
      if (err == EINTR) {
        continue;
      }
      // ENXIO is "no reader yet" on a FIFO, but also what a socket put at the path answers:
      // look at what is there before waiting on.
      refuse_replaced(m_path, m_id, m_what);
      if (err != ENXIO) {
        co_return err;
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
  std::string m_what;
  Fd m_handle; // the O_PATH descriptor of the first open: keeps the FIFO's inode alive
  FifoId m_id;
  Fd m_fd;
  Waiter m_wait;
  asio::steady_timer m_timer;
  LineFramer m_framer; // after each write, only a partial line shorter than PIPE_BUF
  bool m_cancelled = false;
};

} // namespace

std::unique_ptr<Stream> open_fifo(asio::io_context& io, const Address& a, bool as_source) {
  FifoId id;
  Fd handle = ensure_fifo(a, id);
  if (!as_source) {
    return std::make_unique<FifoWriter>(io, a, std::move(handle), id);
  }
  const std::string what = "fifo " + a.path;
  // Opening for reading never waits for a writer (O_NONBLOCK).
  Fd rfd(open_fifo_path(a.path, O_RDONLY));
  if (!rfd.valid()) {
    const int err = errno;
    refuse_replaced(a.path, id, what);
    throw_errno(what, err);
  }
  check_same_fifo(rfd.get(), id, what);
  Fd keepalive;
  if (!a.options.once) {
    // Without write permission there is no keep-alive, and the reader ends at the first EOF,
    // as with ,once; only a replaced path is an error.
    keepalive.reset(open_fifo_path(a.path, O_WRONLY));
    if (keepalive.valid()) {
      check_same_fifo(keepalive.get(), id, what);
    } else {
      refuse_replaced(a.path, id, what);
    }
  }
  return std::make_unique<FifoReader>(io, a, std::move(rfd), std::move(keepalive));
}

} // namespace ipcat
