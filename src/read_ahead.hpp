// Reading a regular file ahead, in a thread of its own, on the copy path.
//
// Where the bytes are transformed on their way (TLS, the copy path of a socket), reading a
// file is a third of the work of the one thread that runs the relay: a copy from the page
// cache for every byte. A reader thread does that copy into one piece of the direction's buffer
// while the relay's thread encrypts and sends the piece before, so the two run on two cores.
// Only regular files qualify: a read of one never waits for a writer, so the thread always
// stops promptly.
#pragma once

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <sys/types.h>
#include <thread>

#include "stream.hpp"

namespace ipcat {

class ReadAhead {
public:
  /// Whether reading fd ahead is worth a thread: a regular file with at least this much left.
  static bool suits(int fd);

  /// Starts reading fd from its current offset into pieces of buf (not owned, size bytes).
  ReadAhead(asio::io_context& io, int fd, char* buf, std::size_t size);
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;
  /// Stops the thread and waits for it; the file's offset is left after the pieces taken.
  ~ReadAhead();

  /// The next piece (it stays valid until the next call): bytes, the end of the file (n == 0,
  /// as the thread saw it: a file that grows is read on by the caller), or a read error. The
  /// piece returned before counts as delivered: the file's offset moves past it.
  asio::awaitable<IoResult> next();
  /// Where the piece returned by next() is.
  [[nodiscard]] const char* data() const { return m_data; }
  /// Wakes a waiting next() with ECANCELED; the thread stops.
  void cancel();

private:
  static constexpr int k_pieces = 4;

  void run(off_t from);

  asio::io_context& m_io;
  int m_fd;
  char* m_buf;
  std::size_t m_piece;
  asio::steady_timer m_wake; // the relay's thread waits here for a piece to be filled
  // A wake-up posted by the thread does nothing once this is gone (the reader ended).
  std::shared_ptr<int> m_alive = std::make_shared<int>(0);
  const char* m_data = nullptr;
  bool m_holding = false; // the relay holds the piece at m_head (returned by next())
  bool m_cancelled = false;
  off_t m_taken; // the offset after the pieces returned

  // Shared with the thread, under m_lock.
  std::mutex m_lock;
  std::condition_variable m_room; // the thread waits here for a piece to be free
  IoResult m_pieces[k_pieces];
  int m_filled = 0; // pieces filled and not yet released, from m_head on
  int m_head = 0;   // the oldest filled piece
  bool m_waiting = false;
  bool m_stop = false;

  std::thread m_thread;
};

} // namespace ipcat
