// Zero-copy moves between descriptors: sendfile(2) from regular files, splice(2) when one side
// is a pipe, and splice through an intermediate pipe between two sockets. The relay falls back
// to read/write where the kernel refuses (terminals, some devices) or where data is transformed.
#pragma once

#include <cstddef>
#include <sys/types.h>

#include "fd.hpp"

namespace ipcat {

/// How a direction moves its bytes.
enum class MoveKind {
  Copy,         ///< read(2) into a buffer, write(2) out
  Sendfile,     ///< sendfile(2): the source is a regular file
  SpliceDirect, ///< splice(2) straight across: one side is a pipe
  SpliceViaPipe ///< splice(2) into a private pipe, then out of it
};

/// Picks the move for in_fd -> out_fd from their file types. Honors IPCAT_COPY=1 (forces the
/// copy path, so the test suite can run both ways).
MoveKind choose_move(int in_fd, int out_fd);

/// True when the environment forces the copy path (IPCAT_COPY=1).
bool copy_forced();

/// A private pipe for SpliceViaPipe, grown towards 1 MiB (F_SETPIPE_SZ, bounded by
/// /proc/sys/fs/pipe-max-size).
class SplicePipe {
public:
  /// Creates the pipe; throws Error on failure.
  SplicePipe();
  [[nodiscard]] int read_end() const { return m_r.get(); }
  [[nodiscard]] int write_end() const { return m_w.get(); }
  /// The pipe's capacity in bytes.
  [[nodiscard]] std::size_t capacity() const { return m_capacity; }

private:
  Fd m_r;
  Fd m_w;
  std::size_t m_capacity = 65536;
};

/// One non-blocking move of at most max bytes with the given kind (not Copy, not the
/// via-pipe two-step). Returns bytes moved, 0 at end of input, -1 with errno.
ssize_t move_once(MoveKind kind, int in_fd, int out_fd, std::size_t max);

/// One non-blocking splice between in_fd and out_fd (one of them a pipe).
ssize_t splice_once(int in_fd, int out_fd, std::size_t max);

/// True for errno values that mean "this pair cannot be spliced" (use the copy path).
bool splice_unsupported(int err);

} // namespace ipcat
