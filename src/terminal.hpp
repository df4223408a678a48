// Terminals: the local terminal in raw mode (saved once, restored on every exit path), and the
// termios helpers the pty and serial endpoints share.
#pragma once

#include <optional>
#include <sys/ioctl.h>
#include <termios.h>

namespace ipcat {

/// Keeps the terminal on fd in raw mode while alive; the settings it found come back when it
/// is destroyed, and also from restore_terminal() (the exit path of run(), whatever unwound).
class RawTerminal {
public:
  /// Saves fd's settings and makes it raw; throws Error when fd is no terminal.
  explicit RawTerminal(int fd);
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;
  ~RawTerminal();
};

/// Puts back the settings a RawTerminal saved, if one is still in force (idempotent).
void restore_terminal();

/// Throws Error("stdio,raw", ...) unless stdin is a terminal: checked before anything is
/// opened, so that a listener does not wait for a client it could not serve.
void require_terminal_stdin();

/// Makes the terminal on fd raw (cfmakeraw: no echo, no line editing, no signals, 8 bits);
/// returns 0 or an errno value.
int make_raw(int fd);

/// The window size of the terminal on fd, if it is one.
std::optional<winsize> window_size(int fd);

} // namespace ipcat
