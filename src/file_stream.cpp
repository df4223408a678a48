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
#include "log.hpp"

namespace ipcat {

namespace {

using asio::experimental::as_tuple;

// How often a follower looks for new lines, truncation or replacement once it is at the end.
constexpr auto k_follow_poll = std::chrono::milliseconds(50);
// A line longer than this is written or emitted in pieces (memory stays bounded).
constexpr std::size_t k_max_line = 1 << 20;

// Holds a flock for one scope.
class FlockGuard {
public:
  FlockGuard(int fd, int op) : m_fd(fd) {
    while (::flock(m_fd, op) != 0 && errno == EINTR) {
    }
  }
  FlockGuard(const FlockGuard&) = delete;
  FlockGuard& operator=(const FlockGuard&) = delete;
  ~FlockGuard() { ::flock(m_fd, LOCK_UN); }

private:
  int m_fd;
};

// Appends whole lines, each batch under an exclusive lock. A failed write (a full disk) is
// rolled back to the size before it, so the file never holds a torn line.
class FileWriter : public Stream {
public:
  FileWriter(const Address& a, Fd fd) : m_name("file:" + a.path), m_fd(std::move(fd)) {}
  // No flush here: a partial line is written only at the end of the input (flush); after a
  // failure or a signal it is dropped, so the file never ends in a torn line.
  ~FileWriter() override = default;

  [[nodiscard]] std::string name() const override { return m_name; }
  [[nodiscard]] bool readable() const override { return false; }
  [[nodiscard]] int write_fd() const override { return m_fd.get(); }

  asio::awaitable<IoResult> write(std::span<const char> buf) override {
    if (m_cancelled) {
      co_return IoResult{-1, ECANCELED};
    }
    const std::string_view data(buf.data(), buf.size());
    const auto nl = data.rfind('\n');
    if (nl == std::string_view::npos) {
      m_partial.append(data);
      if (m_partial.size() >= k_max_line) {
        if (const int err = append_locked(m_partial)) {
          co_return IoResult{-1, err};
        }
        m_partial.clear();
      }
      co_return IoResult{static_cast<ssize_t>(buf.size()), 0};
    }
    // The held-back start of a line goes out together with its end.
    std::string lines = std::move(m_partial);
    lines.append(data.substr(0, nl + 1));
    m_partial.assign(data.substr(nl + 1));
    if (const int err = append_locked(lines)) {
      co_return IoResult{-1, err};
    }
    co_return IoResult{static_cast<ssize_t>(buf.size()), 0};
  }

  asio::awaitable<int> flush() override {
    if (m_partial.empty()) {
      co_return 0;
    }
    const int err = append_locked(m_partial);
    m_partial.clear();
    co_return err;
  }
  void shutdown_write() override { flush_partial(); }
  void cancel() override { m_cancelled = true; }

private:
  int append_locked(std::string_view data) {
    FlockGuard lock(m_fd.get(), LOCK_EX);
    struct stat st {};
    const bool sized = ::fstat(m_fd.get(), &st) == 0;
    std::size_t off = 0;
    while (off < data.size()) {
      const ssize_t w = ::write(m_fd.get(), data.data() + off, data.size() - off);
      if (w < 0 && errno == EINTR) {
        continue;
      }
      if (w <= 0) {
        const int err = w < 0 ? errno : ENOSPC;
        if (sized && off > 0) {
          // Take back the part that got in, so no torn line stays in the file.
          ::ftruncate(m_fd.get(), st.st_size);
        }
        return err;
      }
      off += static_cast<std::size_t>(w);
    }
    return 0;
  }

  void flush_partial() {
    if (!m_partial.empty() && m_fd.valid()) {
      const int err = append_locked(m_partial);
      if (err != 0) {
        log_error("write " + m_name + ": " + errno_text(err));
      }
      m_partial.clear();
    }
  }

  std::string m_name;
  Fd m_fd;
  std::string m_partial;
  bool m_cancelled = false;
};

// Reads the file from the start under a shared lock per read. With follow, it keeps reading
// what is appended, survives truncation (size going down: start again from 0) and replacement
// (another inode at the path: finish the old file, then read the new one from its start), and
// emits complete lines only.
class FileReader : public Stream {
public:
  FileReader(asio::io_context& io, const Address& a, Fd fd)
      : Stream(StreamTraits{.line_source = a.options.follow}), m_path(a.path),
        m_name("file:" + a.path), m_fd(std::move(fd)), m_follow(a.options.follow), m_timer(io) {}

  [[nodiscard]] std::string name() const override { return m_name; }
  [[nodiscard]] bool writable() const override { return false; }
  [[nodiscard]] int read_fd() const override { return m_fd.get(); }

  asio::awaitable<IoResult> read(std::span<char> buf) override {
    for (;;) {
      if (m_cancelled) {
        co_return IoResult{-1, ECANCELED};
      }
      if (!m_pending.empty()) {
        co_return take_pending(buf);
      }
      if (!m_fd.valid()) {
        // Following a file that does not exist yet (tail -F): wait for it to appear.
        m_fd.reset(::open(m_path.c_str(), O_RDONLY | O_CLOEXEC));
        if (!m_fd.valid()) {
          if (errno != ENOENT) {
            co_return IoResult{-1, errno};
          }
          m_timer.expires_after(k_follow_poll);
          auto [ec] = co_await m_timer.async_wait(as_tuple(asio::use_awaitable));
          if (ec || m_cancelled) {
            co_return IoResult{-1, ECANCELED};
          }
          continue;
        }
        m_offset = 0;
      }
      ssize_t n = 0;
      {
        FlockGuard lock(m_fd.get(), LOCK_SH);
        n = ::read(m_fd.get(), buf.data(), buf.size());
      }
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n < 0) {
        co_return IoResult{-1, errno};
      }
      if (n > 0) {
        m_offset += static_cast<std::size_t>(n);
        if (!m_follow) {
          co_return IoResult{n, 0};
        }
        // Complete lines only: keep the tail after the last newline for later.
        const std::string_view got(buf.data(), static_cast<std::size_t>(n));
        const auto nl = got.rfind('\n');
        if (m_partial.empty() && nl == got.size() - 1) {
          co_return IoResult{n, 0};
        }
        m_partial.append(got);
        const auto pnl = m_partial.rfind('\n');
        if (pnl != std::string::npos) {
          m_pending.assign(m_partial, 0, pnl + 1);
          m_partial.erase(0, pnl + 1);
        } else if (m_partial.size() >= k_max_line) {
          m_pending = std::move(m_partial);
          m_partial.clear();
        }
        continue;
      }
      // End of the file as it is now.
      if (!m_follow) {
        co_return IoResult{0, 0};
      }
      if (const int err = check_truncated_or_replaced()) {
        co_return IoResult{-1, err};
      }
      if (m_reopened) {
        m_reopened = false;
        continue;
      }
      m_timer.expires_after(k_follow_poll);
      auto [ec] = co_await m_timer.async_wait(as_tuple(asio::use_awaitable));
      if (ec || m_cancelled) {
        co_return IoResult{-1, ECANCELED};
      }
    }
  }

  void shutdown_write() override {}
  void cancel() override {
    m_cancelled = true;
    m_timer.cancel();
  }

private:
  IoResult take_pending(std::span<char> buf) {
    // Whole lines where they fit, so a datagram or FIFO destination gets whole lines.
    std::size_t n = std::min(buf.size(), m_pending.size());
    if (n < m_pending.size()) {
      const auto nl = std::string_view(m_pending.data(), n).rfind('\n');
      if (nl != std::string_view::npos) {
        n = nl + 1;
      }
    }
    std::memcpy(buf.data(), m_pending.data(), n);
    m_pending.erase(0, n);
    return IoResult{static_cast<ssize_t>(n), 0};
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
      m_partial.clear();
      m_reopened = true;
      return 0;
    }
    struct stat now {};
    if (::stat(m_path.c_str(), &now) == 0 &&
        (now.st_ino != cur.st_ino || now.st_dev != cur.st_dev)) {
      // Replaced, and the old file is read to its end: switch to the new one.
      Fd fd(::open(m_path.c_str(), O_RDONLY | O_CLOEXEC));
      if (fd.valid()) {
        m_fd = std::move(fd);
        m_offset = 0;
        m_partial.clear();
        m_reopened = true;
      }
    }
    return 0;
  }

  std::string m_path;
  std::string m_name;
  Fd m_fd;
  bool m_follow;
  asio::steady_timer m_timer;
  std::size_t m_offset = 0;
  std::string m_partial;
  std::string m_pending;
  bool m_reopened = false;
  bool m_cancelled = false;
};

} // namespace

std::unique_ptr<Stream> open_file(asio::io_context& io, const Address& a, bool as_source) {
  const std::string what = "file " + a.path;
  if (as_source) {
    Fd fd(::open(a.path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid() && !(errno == ENOENT && a.options.follow)) {
      throw_errno(what, errno);
    }
    if (!fd.valid()) {
      log_event("Waiting for " + a.path + " to appear");
      return std::make_unique<FileReader>(io, a, Fd());
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) == 0 && S_ISDIR(st.st_mode)) {
      throw Error(what, "is a directory");
    }
    return std::make_unique<FileReader>(io, a, std::move(fd));
  }
  Fd fd(::open(a.path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666));
  if (!fd.valid()) {
    throw_errno(what, errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) == 0 && !S_ISREG(st.st_mode)) {
    throw Error(what, "not a regular file (" + file_type_name(st.st_mode) + ")");
  }
  return std::make_unique<FileWriter>(a, std::move(fd));
}

} // namespace ipcat
