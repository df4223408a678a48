#include "read_ahead.hpp"

#include <asio/experimental/as_tuple.hpp>
#include <asio/post.hpp>
#include <asio/use_awaitable.hpp>
#include <cerrno>
#include <sys/stat.h>
#include <unistd.h>

namespace ipcat {

namespace {
// A thread pays for itself past a few MiB; a smaller file is read in a few calls anyway.
constexpr off_t k_worth_it = 4 << 20;
} // namespace

bool ReadAhead::suits(int fd) {
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    return false;
  }
  const off_t at = ::lseek(fd, 0, SEEK_CUR);
  return at >= 0 && st.st_size - at >= k_worth_it;
}

ReadAhead::ReadAhead(asio::io_context& io, int fd, char* buf, std::size_t size)
    : m_io(io), m_fd(fd), m_buf(buf), m_piece(size / k_pieces), m_wake(io),
      m_taken(::lseek(fd, 0, SEEK_CUR)) {
  m_thread = std::thread([this, from = m_taken] { run(from); });
}

ReadAhead::~ReadAhead() {
  {
    std::lock_guard<std::mutex> g(m_lock);
    m_stop = true;
  }
  m_room.notify_one();
  m_thread.join();
  ::lseek(m_fd, m_taken, SEEK_SET);
}

void ReadAhead::run(off_t from) {
  int slot = 0;
  off_t at = from;
  for (;;) {
    {
      std::unique_lock<std::mutex> g(m_lock);
      m_room.wait(g, [&] { return m_stop || m_filled < k_pieces; });
      if (m_stop) {
        return;
      }
    }
    // The piece at `slot` is free: only this thread touches it until it is counted as filled.
    IoResult r;
    for (;;) {
      r.n = ::pread(m_fd, m_buf + static_cast<std::size_t>(slot) * m_piece, m_piece, at);
      r.err = r.n < 0 ? errno : 0;
      if (r.n >= 0 || r.err != EINTR) {
        break;
      }
    }
    bool wake = false;
    {
      std::lock_guard<std::mutex> g(m_lock);
      m_pieces[slot] = r;
      ++m_filled;
      wake = m_waiting;
      m_waiting = false;
    }
    if (wake) {
      // A timer belongs to the relay's thread: the cancel is posted there.
      asio::post(m_io, [alive = std::weak_ptr<int>(m_alive), timer = &m_wake] {
        if (!alive.expired()) {
          timer->cancel();
        }
      });
    }
    if (r.n <= 0) {
      return; // the end, or an error: the relay's thread takes it from here
    }
    at += r.n;
    slot = (slot + 1) % k_pieces;
  }
}

asio::awaitable<IoResult> ReadAhead::next() {
  if (m_holding) {
    bool wake = false;
    {
      std::lock_guard<std::mutex> g(m_lock);
      m_taken += m_pieces[m_head].n;
      m_head = (m_head + 1) % k_pieces;
      --m_filled;
      // The thread is woken when half the pieces are free, and fills them in one go: half as
      // many wake-ups as pieces.
      wake = m_filled == k_pieces / 2;
    }
    m_holding = false;
    if (wake) {
      m_room.notify_one();
    }
    ::lseek(m_fd, m_taken, SEEK_SET); // what was delivered, for whoever looks at the offset
  }
  for (;;) {
    if (m_cancelled) {
      co_return IoResult{-1, ECANCELED};
    }
    {
      std::lock_guard<std::mutex> g(m_lock);
      if (m_filled > 0) {
        const IoResult r = m_pieces[m_head];
        if (r.n <= 0) {
          co_return r; // kept at head: the thread has stopped, nothing is released again
        }
        m_holding = true;
        m_data = m_buf + static_cast<std::size_t>(m_head) * m_piece;
        co_return r;
      }
      m_waiting = true;
    }
    m_wake.expires_at(asio::steady_timer::time_point::max());
    co_await m_wake.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
  }
}

void ReadAhead::cancel() {
  m_cancelled = true;
  m_wake.cancel();
  {
    std::lock_guard<std::mutex> g(m_lock);
    m_stop = true;
  }
  m_room.notify_one();
}

} // namespace ipcat
