// The endpoint interface the relay works with: an open, connected endpoint that can be read,
// written, half-closed and cancelled. Endpoints built on descriptors expose them (read_fd,
// write_fd) so a zero-copy path can move data between them without touching the endpoints.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <cerrno>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <sys/types.h>

#include "fd.hpp"

namespace ipcat {

/// The outcome of one read or write: n > 0 bytes moved; n == 0 end of stream (reads only);
/// n < 0 failure with errno value err (ECANCELED when the session was stopped).
struct IoResult {
  ssize_t n = 0;
  int err = 0;
};

/// What the relay needs to know about an endpoint, as data: each kind fills it in once, the
/// relay reads it; nothing here does I/O.
struct StreamTraits {
  bool datagram = false;    ///< each write is one message (UDP, Unix datagram); no end of stream
  bool socket = false;      ///< a socket: --no-shutdown applies, EPIPE/ECONNRESET name the peer
  bool line_source = false; ///< reads yield whole lines (a generator, a followed file)
  bool tty_input = false;   ///< the input is a terminal (a person typing)
  bool zero_copy = false;   ///< splice/sendfile may move bytes between its descriptors
  bool quiet_broken_pipe = false; ///< EPIPE on write is a quiet, normal end (stdout, `| head`)
  bool write_error_ends_direction = false; ///< a failed write ends only that direction (a child
                                           ///< that stopped reading may still be answering)
  bool endless = false; ///< a source that never ends (a generator without --count): its reader
                        ///< leaving loses nothing
  std::size_t max_message = 0; ///< datagrams: the largest message it can send (0: a stream)
};

/// An open endpoint: its traits, and the I/O the relay drives.
class Stream {
public:
  virtual ~Stream() = default;
  explicit Stream(StreamTraits traits = {}) : m_traits(traits) {}
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  /// What kind of endpoint this is, for the relay's decisions.
  [[nodiscard]] const StreamTraits& traits() const { return m_traits; }
  /// The endpoint's name for messages: "stdio", "unix:/tmp/s", "tcp:127.0.0.1:80".
  [[nodiscard]] virtual std::string name() const = 0;
  /// True when data can be read from it (a generator: yes; stdout-only: no).
  [[nodiscard]] virtual bool readable() const { return true; }
  /// True when data can be written to it (a generator: no).
  [[nodiscard]] virtual bool writable() const { return true; }
  /// Reads some bytes, waiting for them as needed (a destination-only endpoint: EBADF). For a
  /// datagram endpoint n == 0 is an empty datagram, not the end.
  virtual asio::awaitable<IoResult> read(std::span<char> /*buf*/) { co_return IoResult{-1, EBADF}; }
  /// Writes some bytes (datagram endpoints: all of buf as one message, possibly empty), waiting
  /// as needed (a source-only endpoint: EBADF).
  virtual asio::awaitable<IoResult> write(std::span<const char> /*buf*/) {
    co_return IoResult{-1, EBADF};
  }
  /// Writes out anything held back (a partial last line), before shutdown_write at the end of
  /// the input. Returns 0 or an errno value.
  virtual asio::awaitable<int> flush() { co_return 0; }
  /// Ends the output: half-close a socket, close a pipe or stdout. Idempotent.
  virtual void shutdown_write() = 0;
  /// Aborts pending waits; they complete with ECANCELED.
  virtual void cancel() = 0;
  /// Makes the coming close an error the peer sees (a TCP reset) rather than a normal end:
  /// for a session that failed, so a peer that sent everything does not take it for success.
  virtual void abort() {}

  /// After a read returned end of stream: true when the peer is gone altogether (a Unix
  /// stream socket closed entirely reports POLLHUP), not merely half-closed.
  [[nodiscard]] virtual bool peer_gone() const { return false; }
  /// After end of stream: waits until the peer is gone altogether (true), or the wait is
  /// cancelled or cannot tell (false). Lets a session notice a full close on a Unix socket
  /// whose data direction has already ended.
  virtual asio::awaitable<bool> watch_hangup() { co_return false; }
  /// Takes a pending asynchronous error (a socket's SO_ERROR: ECONNRESET when the peer threw
  /// away data it had been sent); 0 when there is none.
  virtual int take_error() { return 0; }
  /// True when the input has bytes waiting that were not read yet (a pipe or socket with data
  /// in it, a regular file short of its end, a generator with items to go): what a peer that
  /// leaves now would never get.
  [[nodiscard]] virtual bool input_pending() const { return false; }
  /// The words for an error its read or write returned: strerror, or what the layer knows
  /// better (TLS: OpenSSL's reason for EPROTO).
  [[nodiscard]] virtual std::string error_text(int err) const;
  /// Asks a line source to return one line per read (for datagrams and FIFOs).
  virtual void set_one_line_per_read(bool /*on*/) {}
  /// Waits until read_fd() is readable; 0 or an errno value (ECANCELED).
  virtual asio::awaitable<int> wait_readable() { co_return EBADF; }
  /// Waits until write_fd() is writable; 0 or an errno value (ECANCELED).
  virtual asio::awaitable<int> wait_writable() { co_return EBADF; }
  /// The descriptor reads come from (-1: none, e.g. a generator).
  [[nodiscard]] virtual int read_fd() const { return -1; }
  /// The descriptor writes go to (-1: none).
  [[nodiscard]] virtual int write_fd() const { return -1; }

protected:
  StreamTraits m_traits;
};

/// Waits for readiness of one descriptor through Asio's reactor. Descriptors epoll refuses
/// (regular files, /dev/null) are always ready and are simply read or written.
class Waiter {
public:
  Waiter() = default;
  Waiter(const Waiter&) = delete;
  Waiter& operator=(const Waiter&) = delete;
  ~Waiter();

  /// Starts watching fd (once, before any wait).
  void attach(asio::io_context& io, int fd);
  /// Waits until the descriptor is readable (or writable); returns 0 or an errno value.
  asio::awaitable<int> wait(asio::posix::descriptor_base::wait_type type);
  /// Aborts pending waits.
  void cancel();
  /// Stops waiting on the descriptor (before it is closed); later waits return at once.
  void release();

private:
  std::optional<asio::posix::stream_descriptor> m_sd;
  bool m_cancelled = false;
};

/// A stream over one or two descriptors (a socket: one; stdio: two), read and written with
/// plain system calls after Asio reports readiness.
class FdStream : public Stream {
public:
  /// rfd/wfd may be the same descriptor (sockets) or -1 (that side unused). Takes ownership
  /// of the descriptors in owned.
  FdStream(asio::io_context& io, std::string name, int rfd, int wfd, StreamTraits traits = {});

  [[nodiscard]] std::string name() const override { return m_name; }
  [[nodiscard]] bool readable() const override { return m_rfd >= 0; }
  [[nodiscard]] bool writable() const override { return m_wfd >= 0; }
  asio::awaitable<IoResult> read(std::span<char> buf) override;
  asio::awaitable<IoResult> write(std::span<const char> buf) override;
  void cancel() override;
  asio::awaitable<int> wait_readable() override;
  asio::awaitable<int> wait_writable() override;
  [[nodiscard]] int read_fd() const override { return m_rfd; }
  [[nodiscard]] int write_fd() const override { return m_wfd; }
  [[nodiscard]] bool input_pending() const override;

protected:
  /// One non-blocking read attempt; returns -1 with errno set like read(2).
  virtual ssize_t read_once(char* buf, std::size_t n);
  /// One non-blocking write attempt; returns -1 with errno set like write(2).
  virtual ssize_t write_once(const char* buf, std::size_t n);
  /// Stops waiting on the write descriptor (it is about to be closed or shut down).
  void release_write_waiter();

  asio::io_context& m_io;
  std::string m_name;
  int m_rfd;
  int m_wfd;
  Waiter m_rwait;
  Waiter m_wwait_own; // used when wfd != rfd
  Waiter* m_wwait;    // points at m_rwait for a single descriptor
  bool m_cancelled = false;
};

} // namespace ipcat
