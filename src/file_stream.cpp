// file:PATH as shared storage: locked appends of whole lines, and a reader that can follow the
// file like tail -F. The locks are flock(2) locks, the ones flock(1) takes, so shell scripts
// that use flock interoperate.
#include <asio/experimental/as_tuple.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "endpoints.hpp"
#include "line_framer.hpp"
#include "log.hpp"

namespace ipcat {

namespace {

using asio::experimental::as_tuple;

// How often a follower looks for new lines, truncation or replacement once it is at the end.
constexpr auto k_follow_poll = std::chrono::milliseconds(50);
// How often a lock held by someone else is tried again. flock() is only ever tried without
// blocking: a blocking flock would stop the event loop (signals, the other sessions of a -k
// listener, one of which may be the holder) for as long as the holder keeps the lock, and a
// writer keeps it for the whole of a long line, across reads of its input.
constexpr auto k_lock_poll = std::chrono::milliseconds(1);

// Opens PATH without ever blocking (O_NONBLOCK: a FIFO or device put there answers at once)
// and refuses anything but a regular file. Symbolic links are followed, as the shell's < and
// >> follow them: a file: path may name a log through a link. Returns an invalid Fd with errno
// set when the open itself failed.
Fd open_regular(const std::string& path, int flags, const std::string& what) {
  Fd fd(::open(path.c_str(), flags | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0666));
  struct stat st {};
  if (!fd.valid()) {
    const int err = errno;
    // A FIFO without a reader (opened for writing) or a socket answers ENXIO, a directory
    // EISDIR: name what is there instead.
    if ((err == ENXIO || err == EISDIR) && ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
      throw Error(what, "not a regular file (" + file_type_name(st.st_mode) + ")");
    }
    errno = err;
    return fd;
  }
  if (::fstat(fd.get(), &st) != 0) {
    throw_errno(what, errno);
  }
  if (!S_ISREG(st.st_mode)) {
    throw Error(what, "not a regular file (" + file_type_name(st.st_mode) + ")");
  }
  // Regular files ignore O_NONBLOCK; clearing it keeps the descriptor's flags plain anyway.
  set_nonblocking(fd.get(), false);
  return fd;
}

// Takes flock locks without blocking the event loop: tries, and while someone else holds the
// lock, tries again every k_lock_poll.
class LockTaker {
public:
  explicit LockTaker(asio::io_context& io) : m_timer(io) {}

  /// Takes the lock (LOCK_EX or LOCK_SH) on fd; 0, ECANCELED or an errno value.
  asio::awaitable<int> take(int fd, int op) {
    for (;;) {
      if (::flock(fd, op | LOCK_NB) == 0) {
        co_return 0;
      }
      const int err = errno;
      if (err == EINTR) {
        continue;
      }
      if (err != EWOULDBLOCK) {
        co_return err;
      }
      if (m_cancelled) {
        co_return ECANCELED;
      }
      m_timer.expires_after(k_lock_poll);
      auto [ec] = co_await m_timer.async_wait(as_tuple(asio::use_awaitable));
      if (ec || m_cancelled) {
        co_return ECANCELED;
      }
    }
  }
  /// Ends a pending take with ECANCELED, and every later one that would have to wait.
  void cancel() {
    m_cancelled = true;
    m_timer.cancel();
  }

private:
  asio::steady_timer m_timer;
  bool m_cancelled = false;
};

// Appends whole lines under an exclusive lock, taken at a line's first byte and released at
// its newline: a line longer than the framer's bound goes out in pieces, over several writes
// of the relay, and the lock is held from the first piece to the last, so no other locking
// writer gets in between. A failed write (a full disk, the file size limit) or an abandoned
// line (a signal) is rolled back to the size before the line, so the file never holds a torn
// line.
class FileWriter : public Stream {
public:
  FileWriter(asio::io_context& io, const Address& a, Fd fd)
      : m_name("file:" + a.path), m_fd(std::move(fd)), m_lock(io) {}
  // No flush here: a partial line is written only at the end of the input (flush); after a
  // failure or a signal it is dropped, so the file never ends in a torn line.
  ~FileWriter() override { abandon_line(); }

  [[nodiscard]] std::string name() const override { return m_name; }
  [[nodiscard]] bool readable() const override { return false; }
  [[nodiscard]] int write_fd() const override { return m_fd.get(); }

  asio::awaitable<IoResult> write(std::span<const char> buf) override {
    if (m_cancelled) {
      co_return IoResult{-1, ECANCELED};
    }
    m_framer.feed(std::string_view(buf.data(), buf.size()));
    const int err = co_await commit(false);
    if (err != 0) {
      co_return IoResult{-1, err};
    }
    co_return IoResult{static_cast<ssize_t>(buf.size()), 0};
  }

  asio::awaitable<int> flush() override {
    const int err = co_await commit(true);
    co_return err;
  }
  void shutdown_write() override { finish_now(); }
  void cancel() override {
    m_cancelled = true;
    m_lock.cancel();
    abandon_line();
  }

private:
  // Appends what may go out: whole lines, a piece of a line that reached the bound, and at the
  // end of the input the partial last line. 0 or an errno value.
  asio::awaitable<int> commit(bool at_end) {
    for (;;) {
      std::string_view chunk = m_framer.ready();
      if (chunk.empty() && at_end) {
        chunk = m_framer.all();
      }
      if (chunk.empty()) {
        break;
      }
      if (!m_locked) {
        const int err = co_await m_lock.take(m_fd.get(), LOCK_EX);
        if (err != 0) {
          co_return err;
        }
        if (m_cancelled) {
          ::flock(m_fd.get(), LOCK_UN);
          co_return ECANCELED;
        }
        if (const int e = start_line()) {
          co_return e;
        }
      }
      if (const int err = append(chunk)) {
        rollback();
        co_return err;
      }
      m_framer.consume(chunk.size());
      if (!m_framer.mid_line()) {
        unlock();
      }
    }
    if (at_end) {
      unlock();
    }
    co_return 0;
  }

  // With the lock just taken: remembers the size the line starts at, for a rollback.
  int start_line() {
    struct stat st {};
    if (::fstat(m_fd.get(), &st) != 0) {
      const int err = errno;
      ::flock(m_fd.get(), LOCK_UN);
      return err;
    }
    m_locked = true;
    m_line_start = st.st_size;
    return 0;
  }

  int append(std::string_view data) {
    std::size_t off = 0;
    while (off < data.size()) {
      const ssize_t w = ::write(m_fd.get(), data.data() + off, data.size() - off);
      if (w < 0 && errno == EINTR) {
        continue;
      }
      if (w <= 0) {
        return w < 0 ? errno : ENOSPC;
      }
      off += static_cast<std::size_t>(w);
    }
    return 0;
  }

  // Takes back what went in since the lock was taken (the part of a line that got in), then
  // lets the lock go.
  void rollback() {
    if (m_locked) {
      ::ftruncate(m_fd.get(), m_line_start);
    }
    unlock();
  }

  // A line that was started and will not be finished (cancelled, destroyed) is taken back.
  void abandon_line() {
    if (m_locked && m_framer.mid_line()) {
      rollback();
    }
    unlock();
  }

  void unlock() {
    if (m_locked) {
      ::flock(m_fd.get(), LOCK_UN);
      m_locked = false;
    }
  }

  // shutdown_write without a flush before it: writes what is held if the lock can be had at
  // once (nothing here may wait), and reports it otherwise.
  void finish_now() {
    if (m_framer.empty() || !m_fd.valid() || m_cancelled) {
      unlock();
      return;
    }
    int err = 0;
    if (!m_locked) {
      if (::flock(m_fd.get(), LOCK_EX | LOCK_NB) != 0) {
        err = errno;
      } else {
        err = start_line();
      }
    }
    if (err == 0) {
      err = append(m_framer.all());
      if (err != 0) {
        rollback();
      }
    }
    m_framer.clear();
    unlock();
    if (err != 0) {
      log_error("write " + m_name + ": " + errno_text(err));
    }
  }

  std::string m_name;
  Fd m_fd;
  LockTaker m_lock;
  LineFramer m_framer;
  bool m_locked = false;
  off_t m_line_start = 0; // the file's size when the lock was taken
  bool m_cancelled = false;
};

// Reads the file from the start under a shared lock per read, so it never sees a line a
// writer is still appending (or will roll back). With follow, it keeps reading what is
// appended, survives truncation (size going down: start again from 0) and replacement (another
// inode at the path: finish the old file, then read the new one from its start), and emits
// complete lines only.
class FileReader : public Stream {
public:
  FileReader(asio::io_context& io, const Address& a, Fd fd)
      : Stream(StreamTraits{.line_source = a.options.follow}), m_path(a.path),
        m_name("file:" + a.path), m_what("file " + a.path), m_fd(std::move(fd)),
        m_follow(a.options.follow), m_timer(io), m_lock(io) {}

  [[nodiscard]] std::string name() const override { return m_name; }
  [[nodiscard]] bool writable() const override { return false; }
  [[nodiscard]] int read_fd() const override { return m_fd.get(); }

  asio::awaitable<IoResult> read(std::span<char> buf) override {
    for (;;) {
      if (m_cancelled) {
        co_return IoResult{-1, ECANCELED};
      }
      // Whole lines where they fit, so a datagram or FIFO destination gets whole lines.
      const std::string_view ready = m_framer.ready(buf.size());
      if (!ready.empty()) {
        std::memcpy(buf.data(), ready.data(), ready.size());
        m_framer.consume(ready.size());
        co_return IoResult{static_cast<ssize_t>(ready.size()), 0};
      }
      if (!m_fd.valid()) {
        // Following a file that does not exist yet (tail -F): wait for it to appear.
        m_fd = open_regular(m_path, O_RDONLY, m_what);
        if (!m_fd.valid()) {
          if (errno != ENOENT) {
            co_return IoResult{-1, errno};
          }
          const bool waited = co_await pause();
          if (!waited) {
            co_return IoResult{-1, ECANCELED};
          }
          continue;
        }
        m_offset = 0;
      }
      const int locked = co_await m_lock.take(m_fd.get(), LOCK_SH);
      if (locked != 0) {
        co_return IoResult{-1, locked};
      }
      const ssize_t n = ::read(m_fd.get(), buf.data(), buf.size());
      const int err = errno;
      ::flock(m_fd.get(), LOCK_UN);
      if (n < 0 && err == EINTR) {
        continue;
      }
      if (n < 0) {
        co_return IoResult{-1, err};
      }
      if (n > 0) {
        m_offset += static_cast<std::size_t>(n);
        if (!m_follow) {
          co_return IoResult{n, 0};
        }
        // Complete lines only: what follows the last newline waits in the framer.
        const std::string_view got(buf.data(), static_cast<std::size_t>(n));
        if (m_framer.empty() && got.back() == '\n') {
          co_return IoResult{n, 0};
        }
        m_framer.feed(got);
        continue;
      }
      // End of the file as it is now.
      if (!m_follow) {
        co_return IoResult{0, 0};
      }
      if (const int e = check_truncated_or_replaced()) {
        co_return IoResult{-1, e};
      }
      if (m_reopened) {
        m_reopened = false;
        continue;
      }
      const bool waited = co_await pause();
      if (!waited) {
        co_return IoResult{-1, ECANCELED};
      }
    }
  }

  void shutdown_write() override {}
  void cancel() override {
    m_cancelled = true;
    m_timer.cancel();
    m_lock.cancel();
  }

private:
  // Waits one follow period; false when cancelled.
  asio::awaitable<bool> pause() {
    m_timer.expires_after(k_follow_poll);
    auto [ec] = co_await m_timer.async_wait(as_tuple(asio::use_awaitable));
    co_return !ec && !m_cancelled;
  }

  int check_truncated_or_replaced() {
    struct stat cur {};
    if (::fstat(m_fd.get(), &cur) != 0) {
      return errno;
    }
    if (static_cast<std::size_t>(cur.st_size) < m_offset) {
      // Truncated: what was there is gone; read the new content from its start.
      ::lseek(m_fd.get(), 0, SEEK_SET);
      m_offset = 0;
      m_framer.take_partial();
      m_reopened = true;
      return 0;
    }
    struct stat now {};
    if (::stat(m_path.c_str(), &now) == 0 &&
        (now.st_ino != cur.st_ino || now.st_dev != cur.st_dev)) {
      // Replaced, and the old file is read to its end: switch to the new one, checked like the
      // first (a FIFO put there is refused, never waited on).
      Fd fd = open_regular(m_path, O_RDONLY, m_what);
      if (fd.valid()) {
        m_fd = std::move(fd);
        m_offset = 0;
        m_framer.take_partial();
        m_reopened = true;
      }
    }
    return 0;
  }

  std::string m_path;
  std::string m_name;
  std::string m_what;
  Fd m_fd;
  bool m_follow;
  asio::steady_timer m_timer;
  LockTaker m_lock;
  std::size_t m_offset = 0;
  LineFramer m_framer; // follow: lines read but not handed out yet, and a partial last line
  bool m_reopened = false;
  bool m_cancelled = false;
};

} // namespace

std::unique_ptr<Stream> open_file(asio::io_context& io, const Address& a, bool as_source) {
  const std::string what = "file " + a.path;
  if (as_source) {
    Fd fd = open_regular(a.path, O_RDONLY, what);
    if (!fd.valid() && !(errno == ENOENT && a.options.follow)) {
      throw_errno(what, errno);
    }
    if (!fd.valid()) {
      log_event("Waiting for " + a.path + " to appear");
    }
    return std::make_unique<FileReader>(io, a, std::move(fd));
  }
  Fd fd = open_regular(a.path, O_WRONLY | O_APPEND | O_CREAT, what);
  if (!fd.valid()) {
    throw_errno(what, errno);
  }
  return std::make_unique<FileWriter>(io, a, std::move(fd));
}

} // namespace ipcat
