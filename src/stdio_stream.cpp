#include "stdio_stream.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "log.hpp"
#include "terminal.hpp"

namespace ipcat {

namespace {

// Returns a descriptor for std_fd that ipcat may make non-blocking: a private reopen where
// possible, else std_fd itself with its flags remembered for restoring at exit. -1 if closed.
int usable_fd(int std_fd, int access, Fd& owned) {
  struct stat st {};
  if (::fstat(std_fd, &st) != 0) {
    return -1;
  }
  if (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode) || (S_ISCHR(st.st_mode) && !::isatty(std_fd))) {
    // Always ready (epoll refuses these): plain blocking I/O on the shared descriptor is right,
    // and a regular file must keep its shared offset and O_APPEND.
    return std_fd;
  }
  if (S_ISFIFO(st.st_mode)) {
    grow_pipe(std_fd, k_stdio_pipe_size); // the pipe itself, whichever descriptor is used
  }
  if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) {
    const std::string path = "/proc/self/fd/" + std::to_string(std_fd);
    // O_NONBLOCK also keeps the open itself from blocking on a pipe with no reader (ENXIO).
    const int fd = ::open(path.c_str(), access | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd >= 0) {
      owned.reset(fd);
      return fd;
    }
  }
  // A socket (or /proc unavailable): use it directly and restore its flags at exit.
  remember_fd_flags(std_fd);
  set_nonblocking(std_fd, true);
  return std_fd;
}

class StdioStream : public FdStream {
public:
  StdioStream(asio::io_context& io, Fd in_owned, int in_fd, Fd out_owned, int out_fd, bool tty,
              const TerminalOptions& term)
      : FdStream(io, "stdio", in_fd, out_fd, stdio_traits(tty, term.raw)),
        m_in(std::move(in_owned)), m_out(std::move(out_owned)),
        m_escape(term.raw ? term.escape : -1) {
    if (term.raw) {
      m_raw.emplace(STDIN_FILENO);
    }
  }

  ~StdioStream() override {
    m_rwait.release();
    release_write_waiter();
  }

  void shutdown_write() override {
    if (m_wfd < 0 || m_closed_out) {
      return;
    }
    m_closed_out = true;
    // The reader downstream sees EOF only when every descriptor of the pipe's write end is
    // closed: ours and fd 1 itself. fd 1 is pointed at /dev/null so nothing reuses its number.
    release_write_waiter();
    m_out.reset();
    const int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null_fd >= 0) {
      ::dup2(null_fd, STDOUT_FILENO);
      ::close(null_fd);
    }
    m_wfd = -1;
  }

  // The escape key ends the session at once, like a peer that has gone.
  [[nodiscard]] bool peer_gone() const override { return m_escaped; }

protected:
  // In raw mode the escape key ends the input: what came before it in the same read is passed
  // on, the key and what follows it are not.
  ssize_t read_once(char* buf, std::size_t n) override {
    if (m_escaped) {
      return 0;
    }
    const ssize_t got = FdStream::read_once(buf, n);
    if (got <= 0 || m_escape < 0) {
      return got;
    }
    const void* at = std::memchr(buf, m_escape, static_cast<std::size_t>(got));
    if (at == nullptr) {
      return got;
    }
    m_escaped = true;
    log_event("Escape key " + escape_name(m_escape) + " typed: ending the session");
    return static_cast<const char*>(at) - buf;
  }

private:
  static StreamTraits stdio_traits(bool tty, bool raw) {
    StreamTraits t;
    t.tty_input = tty;
    // The escape key is looked for in every read, so the bytes must come through read_once.
    t.zero_copy = !raw;
    t.quiet_broken_pipe = true;
    return t;
  }

  Fd m_in;
  Fd m_out;
  bool m_closed_out = false;
  int m_escape;                     // the escape key (-1: none)
  bool m_escaped = false;           // it was typed: the input has ended
  std::optional<RawTerminal> m_raw; // the terminal's settings, restored when the stream goes
};

} // namespace

std::unique_ptr<Stream> open_stdio(asio::io_context& io, bool want_input, bool want_output,
                                   const TerminalOptions& term) {
  Fd in_owned;
  Fd out_owned;
  int in_fd = want_input ? usable_fd(STDIN_FILENO, O_RDONLY, in_owned) : -1;
  const int out_fd = want_output ? usable_fd(STDOUT_FILENO, O_WRONLY, out_owned) : -1;
  const bool tty = ::isatty(STDIN_FILENO) != 0;
  if (want_input && in_fd < 0) {
    // stdin is closed: an input that is already at its end. /dev/null gives exactly that.
    in_owned.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    in_fd = in_owned.get();
  }
  return std::make_unique<StdioStream>(io, std::move(in_owned), in_fd, std::move(out_owned), out_fd,
                                       tty, term);
}

} // namespace ipcat
