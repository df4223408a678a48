// File descriptors: an owning handle, runtime errors, and the small helpers every endpoint uses.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <utility>

namespace ipcat {

/// A runtime failure: printed as "ipcat: <what>: <why>", exit status 1 unless said otherwise.
class Error : public std::runtime_error {
public:
  Error(const std::string& what, const std::string& why, int status = 1, int err = 0)
      : std::runtime_error(what + ": " + why), m_status(status), m_err(err) {}
  /// The exit status this error leads to.
  [[nodiscard]] int status() const { return m_status; }
  /// The errno value behind it, when there is one (0 otherwise).
  [[nodiscard]] int err() const { return m_err; }

private:
  int m_status;
  int m_err;
};

/// strerror(err) as a string.
std::string errno_text(int err);

/// Throws Error(what, strerror(err)).
[[noreturn]] void throw_errno(const std::string& what, int err);

/// An owning file descriptor; closes on destruction.
class Fd {
public:
  Fd() = default;
  explicit Fd(int fd) : m_fd(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
  Fd& operator=(Fd&& other) noexcept;
  ~Fd();

  /// The raw descriptor (-1 when empty).
  [[nodiscard]] int get() const { return m_fd; }
  /// True when a descriptor is held.
  [[nodiscard]] bool valid() const { return m_fd >= 0; }
  /// Gives up ownership.
  int release() { return std::exchange(m_fd, -1); }
  /// Closes now (no-op when empty).
  void reset(int fd = -1);

private:
  int m_fd = -1;
};

/// Sets the umask for one scope so a socket or FIFO is created with mode at once (a chmod
/// afterwards would leave a window with the default mode); no mode: leaves the umask alone.
/// The umask is process-wide: ipcat is single-threaded.
class UmaskGuard {
public:
  explicit UmaskGuard(std::optional<unsigned> mode);
  UmaskGuard(const UmaskGuard&) = delete;
  UmaskGuard& operator=(const UmaskGuard&) = delete;
  ~UmaskGuard();

private:
  bool m_active;
  mode_t m_old;
};

/// What ipcat grows a pipe on its standard input or output to: a larger pipe lets the process
/// at the other end read or write more per call (with `| cat`, 3–4 times the throughput of the
/// default 64 KiB), while costing the user's pipe budget (pipe-user-pages-soft) little.
constexpr std::size_t k_stdio_pipe_size = 256 * 1024;

/// Grows the pipe behind fd to goal bytes (bounded by /proc/sys/fs/pipe-max-size); never
/// shrinks it. Returns the pipe's capacity afterwards, 0 if fd is not a pipe. Failures (a
/// per-user limit, an old kernel) leave the pipe as it was.
std::size_t grow_pipe(int fd, std::size_t goal);

/// Sets or clears O_NONBLOCK; returns false on failure.
bool set_nonblocking(int fd, bool on);

/// A human name for a file type: "regular file", "directory", "FIFO", "symbolic link", ...
std::string file_type_name(mode_t mode);

/// Remembers fd's status flags so restore_fd_flags() can put them back at exit: Asio turns on
/// O_NONBLOCK on descriptors it waits on, and that flag is shared with the parent shell.
void remember_fd_flags(int fd);
/// Restores every remembered descriptor's flags (idempotent).
void restore_fd_flags();

} // namespace ipcat
