#include "terminal.hpp"

#include <cerrno>
#include <unistd.h>

#include "fd.hpp"

namespace ipcat {

namespace {

// The settings the local terminal had before ipcat made it raw. One terminal at most is made
// raw (stdin), and the exit path of run() restores it even when no destructor ran.
struct Saved {
  int fd = -1;
  termios settings{};
};
Saved g_saved;

} // namespace

RawTerminal::RawTerminal(int fd) {
  termios t{};
  if (::tcgetattr(fd, &t) != 0) {
    throw Error("stdio,raw",
                errno == ENOTTY ? "standard input is not a terminal" : errno_text(errno));
  }
  g_saved = Saved{fd, t};
  cfmakeraw(&t);
  // TCSADRAIN: what was already written out (a prompt) is shown with the old settings.
  if (::tcsetattr(fd, TCSADRAIN, &t) != 0) {
    const int err = errno;
    g_saved = Saved{};
    throw Error("stdio,raw", errno_text(err));
  }
}

RawTerminal::~RawTerminal() {
  restore_terminal();
}

void restore_terminal() {
  if (g_saved.fd < 0) {
    return;
  }
  // TCSADRAIN, not TCSAFLUSH: typed-ahead input belongs to whatever runs next (the shell).
  while (::tcsetattr(g_saved.fd, TCSADRAIN, &g_saved.settings) != 0 && errno == EINTR) {
  }
  g_saved = Saved{};
}

void require_terminal_stdin() {
  if (::isatty(STDIN_FILENO) == 0) {
    throw Error("stdio,raw", "standard input is not a terminal");
  }
}

int make_raw(int fd) {
  termios t{};
  if (::tcgetattr(fd, &t) != 0) {
    return errno;
  }
  cfmakeraw(&t);
  return ::tcsetattr(fd, TCSANOW, &t) == 0 ? 0 : errno;
}

std::optional<winsize> window_size(int fd) {
  winsize ws{};
  if (::ioctl(fd, TIOCGWINSZ, &ws) != 0) {
    return std::nullopt;
  }
  return ws;
}

} // namespace ipcat
