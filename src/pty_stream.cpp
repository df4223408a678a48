// Pseudo-terminals. What ends them:
// - pty: ipcat holds the slave open itself, so programs may open and close it any number of
//   times, as with a serial port, and what is written while none has it open waits in the pty.
//   Its input never ends by itself and a pty has no half-close: the session ends from the
//   other side (its peer gone, -q after its input ends), -i, or a signal. When the other
//   side's input ends, what the pty was given is first read by the program on the slave.
// - exec:CMD,pty: ipcat closes its copy of the slave, so the master reads EIO once the child
//   and everything it started have closed the terminal: the end of the child's output. A
//   child that exits while a background job still holds the terminal ends it too: once the
//   child has been reaped and its output drained.
#include "pty_stream.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fd_limit.hpp"
#include "log.hpp"
#include "tasks.hpp"
#include "terminal.hpp"

namespace ipcat {

namespace {

using asio::experimental::as_tuple;

// How often a pty with a child looks whether the child has exited while its output is quiet.
constexpr std::chrono::milliseconds k_child_tick{50};
// How often a pty whose input has ended looks whether the program on it has read everything.
constexpr std::chrono::milliseconds k_flush_tick{10};

// A new pty: the master (non-blocking, close-on-exec) and the slave's path.
std::pair<Fd, std::string> open_master(const std::string& what) {
  Fd master(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!master.valid()) {
    throw_errno(what + ": posix_openpt", errno);
  }
  if (::grantpt(master.get()) != 0 || ::unlockpt(master.get()) != 0) {
    throw_errno(what + ": grantpt", errno);
  }
  char name[PATH_MAX];
  if (::ptsname_r(master.get(), name, sizeof(name)) != 0) {
    throw_errno(what + ": ptsname", errno);
  }
  return {std::move(master), std::string(name)};
}

Fd open_slave(const std::string& path, const std::string& what) {
  Fd slave(::open(path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!slave.valid()) {
    throw_errno(what + ": open " + path, errno);
  }
  return slave;
}

std::string read_link(const std::string& path) {
  char buf[PATH_MAX];
  const ssize_t n = ::readlink(path.c_str(), buf, sizeof(buf) - 1);
  return n < 0 ? std::string() : std::string(buf, static_cast<std::size_t>(n));
}

// Makes link point at slave. An existing file is never replaced, except a symlink into
// /dev/pts whose pty is gone: the link a run of ipcat that was killed left behind.
void make_link(const std::string& slave, const std::string& link) {
  const std::string what = "pty link " + link;
  if (::symlink(slave.c_str(), link.c_str()) == 0) {
    return;
  }
  if (errno != EEXIST) {
    throw_errno(what, errno);
  }
  struct stat st {};
  if (::lstat(link.c_str(), &st) != 0) {
    throw_errno(what, errno);
  }
  if (!S_ISLNK(st.st_mode)) {
    throw Error(what, "a " + file_type_name(st.st_mode) + " is in the way; not replaced");
  }
  const std::string old = read_link(link);
  struct stat target {};
  if (old.rfind("/dev/pts/", 0) != 0 || ::stat(old.c_str(), &target) == 0) {
    throw Error(what, "a symbolic link to " + old + " is in the way; not replaced");
  }
  // A stale link: replaced in one step, so nobody sees the path missing.
  const std::string tmp = link + ".ipcat-" + std::to_string(::getpid());
  if (::symlink(slave.c_str(), tmp.c_str()) != 0) {
    throw_errno(what, errno);
  }
  if (::rename(tmp.c_str(), link.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw_errno(what, err);
  }
}

// The master side of a pty, read and written with plain system calls once Asio reports it
// ready. With a child (pid > 0) it also watches the child's exit and the window size.
class PtyStream : public Stream {
public:
  PtyStream(asio::io_context& io, std::string name, Fd master, Fd slave, std::string link,
            pid_t pid, std::string command)
      : Stream(pty_traits(pid > 0)), m_io(io), m_name(std::move(name)), m_master(std::move(master)),
        m_slave(std::move(slave)), m_link(std::move(link)), m_pid(pid),
        m_command(std::move(command)), m_sd(io), m_tick(io), m_winch(io) {
    asio::error_code ec;
    m_sd.assign(m_master.get(), ec);
    if (ec) {
      throw Error(m_name, ec.message());
    }
    if (m_pid > 0) {
      watch_child();
    }
    if (m_pid > 0 && ::isatty(STDIN_FILENO) != 0) {
      m_winch.add(SIGWINCH, ec);
      watch_window_size();
    }
  }

  ~PtyStream() override {
    asio::error_code ignored;
    m_winch.cancel(ignored);
    m_tick.cancel();
    m_sd.release(); // m_master closes it
    m_master.reset();
    if (!m_link.empty() && read_link(m_link) == m_slave_path) {
      ::unlink(m_link.c_str()); // only the link this stream made, if nobody replaced it
    }
    if (m_pid > 0 && !m_reaped) {
      asio::co_spawn(m_io, reap_child(m_io, m_pid, m_command, true), asio::detached);
    }
  }

  void set_slave_path(std::string path) { m_slave_path = std::move(path); }

  [[nodiscard]] std::string name() const override { return m_name; }

  asio::awaitable<IoResult> read(std::span<char> buf) override {
    for (;;) {
      if (m_cancelled) {
        co_return IoResult{-1, ECANCELED};
      }
      const ssize_t n = ::read(m_master.get(), buf.data(), buf.size());
      if (n >= 0) {
        co_return IoResult{n, 0};
      }
      const int err = errno;
      if (err == EINTR) {
        continue;
      }
      if (err == EIO) {
        m_ended = true; // no slave is open any more: the child and its jobs are gone
        co_return IoResult{0, 0};
      }
      if (err != EAGAIN) {
        co_return IoResult{-1, err};
      }
      if (m_pid > 0 && m_drained_after_exit) {
        // The child was reaped, and its output drained a tick later: what a background job
        // still writes to the terminal is no longer the child's.
        m_ended = true;
        co_return IoResult{0, 0};
      }
      const int w = co_await wait(asio::posix::descriptor_base::wait_read);
      if (w != 0) {
        co_return IoResult{-1, w};
      }
    }
  }

  asio::awaitable<IoResult> write(std::span<const char> buf) override {
    for (;;) {
      if (m_cancelled) {
        co_return IoResult{-1, ECANCELED};
      }
      const ssize_t n = ::write(m_master.get(), buf.data(), buf.size());
      if (n > 0 || (n == 0 && buf.empty())) {
        co_return IoResult{n, 0};
      }
      const int err = n == 0 ? EAGAIN : errno;
      if (err == EINTR) {
        continue;
      }
      if (err != EAGAIN) {
        co_return IoResult{-1, err};
      }
      const int w = co_await wait(asio::posix::descriptor_base::wait_write);
      if (w != 0) {
        co_return IoResult{-1, w};
      }
    }
  }

  // The input for a pty has ended: what it was given is delivered once the program on the
  // slave has read it, since closing the master would throw away what is still queued. So
  // the session waits for that (as a FIFO's writer waits for a reader); a signal ends it.
  asio::awaitable<int> flush() override {
    if (!m_slave.valid()) {
      co_return 0;
    }
    asio::steady_timer pause(m_io);
    // Bytes in flight from the master to the slave's queue are not counted yet: two empty
    // looks a tick apart.
    for (int empty = 0; empty < 2;) {
      if (m_cancelled) {
        co_return ECANCELED;
      }
      int unread = 0;
      if (::ioctl(m_slave.get(), FIONREAD, &unread) != 0) {
        co_return 0;
      }
      empty = unread == 0 ? empty + 1 : 0;
      pause.expires_after(k_flush_tick);
      co_await pause.async_wait(as_tuple(asio::use_awaitable));
    }
    co_return 0;
  }

  // A terminal has no half-close. A child's input stays open too: a shell whose client
  // stopped typing still answers what it was asked.
  void shutdown_write() override {}

  void cancel() override {
    m_cancelled = true;
    asio::error_code ignored;
    m_sd.cancel(ignored);
    m_tick.cancel();
  }

  // With a child, its end is the peer's end: the session ends with it.
  [[nodiscard]] bool peer_gone() const override { return m_pid > 0 && m_ended; }

  [[nodiscard]] bool input_pending() const override {
    int waiting = 0;
    return ::ioctl(m_master.get(), FIONREAD, &waiting) == 0 && waiting > 0;
  }

private:
  static StreamTraits pty_traits(bool child) {
    StreamTraits t;
    // splice() refuses terminals: every byte goes through read and write.
    t.zero_copy = false;
    // A child that has exited cannot be written to, but its last output is still to come.
    t.write_error_ends_direction = child;
    return t;
  }

  // Waits for readiness; 0 also when the child watcher woke it (the caller looks again).
  // Returns 0 or an errno value (ECANCELED once cancelled).
  asio::awaitable<int> wait(asio::posix::descriptor_base::wait_type type) {
    auto [ec] = co_await m_sd.async_wait(type, as_tuple(asio::use_awaitable));
    if (m_cancelled) {
      co_return ECANCELED;
    }
    if (ec == asio::error::operation_aborted) {
      co_return 0;
    }
    co_return ec ? ec.value() : 0;
  }

  bool child_exited() {
    if (m_reaped) {
      return true;
    }
    int status = 0;
    if (::waitpid(m_pid, &status, WNOHANG) != m_pid) {
      return false;
    }
    m_reaped = true;
    if (WIFEXITED(status)) {
      log_event("Command '" + m_command + "' exited with status " +
                std::to_string(WEXITSTATUS(status)));
    } else if (WIFSIGNALED(status)) {
      log_event("Command '" + m_command + "' killed by signal " + std::to_string(WTERMSIG(status)));
    }
    return true;
  }

  // Every k_child_tick, until the child has exited and a tick more has passed (for its last
  // output to reach the master): then the waiting read is woken to see it (and a write's
  // wait, which simply retries). A timer of its own, so the reads arm none.
  void watch_child() {
    m_tick.expires_after(k_child_tick);
    m_tick.async_wait([this, alive = std::weak_ptr<int>(m_alive)](const asio::error_code& ec) {
      if (ec || alive.expired() || m_cancelled) {
        return;
      }
      if (m_reaped) {
        m_drained_after_exit = true;
      } else {
        child_exited();
      }
      if (m_drained_after_exit) {
        asio::error_code ignored;
        m_sd.cancel(ignored);
        return;
      }
      watch_child();
    });
  }

  // The local terminal's size changed: the child's terminal follows (and the kernel sends
  // the child's foreground jobs SIGWINCH).
  void watch_window_size() {
    m_winch.async_wait(
        [this, alive = std::weak_ptr<int>(m_alive)](const asio::error_code& ec, int /*signo*/) {
          if (ec || alive.expired()) {
            return;
          }
          if (const auto ws = window_size(STDIN_FILENO)) {
            ::ioctl(m_master.get(), TIOCSWINSZ, &*ws);
          }
          watch_window_size();
        });
  }

  asio::io_context& m_io;
  std::string m_name;
  Fd m_master;
  Fd m_slave; // pty: held so that the programs on the slave may come and go
  std::string m_link;
  std::string m_slave_path;
  pid_t m_pid;
  std::string m_command;
  asio::posix::stream_descriptor m_sd;
  asio::steady_timer m_tick;
  asio::signal_set m_winch;
  std::shared_ptr<int> m_alive = std::make_shared<int>(0); // expires with the stream
  bool m_cancelled = false;
  bool m_ended = false;
  bool m_reaped = false;
  bool m_drained_after_exit = false;
};

// In the child, between fork and exec: only async-signal-safe calls. Returns on failure.
void start_child(int slave, const std::vector<char*>& argv, bool shell, int report_fd) {
  if (::setsid() < 0 || ::ioctl(slave, TIOCSCTTY, 0) != 0) {
    return;
  }
  for (int fd = 0; fd <= 2; ++fd) {
    if (::dup2(slave, fd) < 0) {
      return;
    }
  }
  // ipcat ignores SIGPIPE and SIGXFSZ, and an ignored signal stays ignored across exec; the
  // child gets the defaults back, and an empty signal mask.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig : {SIGPIPE, SIGXFSZ, SIGINT, SIGTERM, SIGWINCH, SIGCHLD}) {
    ::sigaction(sig, &dfl, nullptr);
  }
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  if (shell) {
    ::execv(argv[0], argv.data());
  } else {
    ::execvp(argv[0], argv.data());
  }
  const int err = errno;
  [[maybe_unused]] const ssize_t ignored = ::write(report_fd, &err, sizeof(err));
}

} // namespace

std::unique_ptr<Stream> open_pty(asio::io_context& io, const Address& a) {
  const std::string what = "pty";
  auto [master, slave_path] = open_master(what);
  Fd slave = open_slave(slave_path, what);
  // Raw: the bytes pass as they are, as on a serial line (no echo, no line editing, no CR/LF
  // translation); a program that wants otherwise sets its terminal up itself.
  if (const int err = make_raw(slave.get()); err != 0) {
    throw_errno(what + ": " + slave_path, err);
  }
  const std::string& link = a.options.term.link;
  if (!link.empty()) {
    make_link(slave_path, link);
  }
  set_nonblocking(master.get(), true);
  log_event("PTY is " + slave_path + (link.empty() ? "" : " (link " + link + ")"));
  auto s = std::make_unique<PtyStream>(io, "pty:" + slave_path, std::move(master), std::move(slave),
                                       link, 0, std::string());
  s->set_slave_path(slave_path);
  return s;
}

std::unique_ptr<Stream> spawn_exec_pty(asio::io_context& io, const Address& a,
                                       std::vector<std::string> words) {
  const std::string what = "exec " + a.path;
  auto [master, slave_path] = open_master(what);
  Fd slave = open_slave(slave_path, what);
  // The child's terminal starts with the kernel's settings (echo, line editing, signals): the
  // shell or program on it sets it up as it likes. Its size is the local terminal's.
  if (const auto ws = window_size(STDIN_FILENO)) {
    ::ioctl(slave.get(), TIOCSWINSZ, &*ws);
  }
  int report[2]; // the child writes its exec errno here; close-on-exec closes it on success
  if (::pipe2(report, O_CLOEXEC) != 0) {
    throw_errno(what, errno);
  }
  Fd report_r(report[0]);
  Fd report_w(report[1]);
  std::vector<char*> argv;
  for (auto& w : words) {
    argv.push_back(w.data());
  }
  argv.push_back(nullptr);
  pid_t pid = 0;
  {
    const OriginalFdLimit child_limit; // the child gets the limit ipcat was given
    pid = ::fork();
    if (pid == 0) {
      start_child(slave.get(), argv, a.shell, report_w.get());
      ::_exit(127);
    }
  }
  if (pid < 0) {
    throw_errno(what, errno);
  }
  report_w.reset();
  slave.reset(); // the master reads EIO once the child and its jobs have closed the terminal
  int err = 0;
  ssize_t n = 0;
  do {
    n = ::read(report_r.get(), &err, sizeof(err));
  } while (n < 0 && errno == EINTR);
  if (n == static_cast<ssize_t>(sizeof(err))) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    throw Error(what, errno_text(err));
  }
  set_nonblocking(master.get(), true);
  log_event("Started '" + a.path + "' on " + slave_path + " (pid " + std::to_string(pid) + ")");
  return std::make_unique<PtyStream>(io, "exec:" + a.path, std::move(master), Fd(), std::string(),
                                     pid, a.path);
}

} // namespace ipcat
