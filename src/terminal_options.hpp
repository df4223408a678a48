// The address options of the terminal kinds (pty, exec's pty, stdio's raw mode, serial lines),
// parsed once into plain values: the escape key notation, the serial speed table, parity, flow
// control and the character size. Pure code: the address parser (and its fuzzer) uses it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <termios.h>

#include "result.hpp"

namespace ipcat {

/// The parity bit of a serial line.
enum class Parity { None, Even, Odd };

/// The flow control of a serial line.
enum class Flow { None, RtsCts, XonXoff };

/// A serial line's settings (serial:PATH,speed=...): 8N1 and no flow control by default.
struct SerialSettings {
  std::optional<unsigned> speed; ///< bits per second; none: the line keeps its current speed
  unsigned databits = 8;         ///< 5 to 8
  unsigned stopbits = 1;         ///< 1 or 2
  Parity parity = Parity::None;
  Flow flow = Flow::None;
};

/// Ctrl-], telnet's and qemu's escape key: the default of stdio,raw.
constexpr int k_default_escape = 0x1d;

/// The options of the terminal kinds, from ",option=value" suffixes or from --pty and --raw.
struct TerminalOptions {
  std::string link;              ///< pty: a symlink to the slave, made here, removed at exit
  bool pty = false;              ///< exec: the child on a new pseudo-terminal
  bool raw = false;              ///< stdio: the local terminal in raw mode while it runs
  int escape = k_default_escape; ///< stdio,raw: the byte that ends the session (-1: none)
  SerialSettings serial;         ///< serial: speed, character size, parity, flow control
};

/// Reads an escape key: "^]" (a caret and a character: Ctrl-] is 0x1d, "^?" is DEL), a single
/// character, "0x1d" or "none" (-1: no escape key).
Result<int> parse_escape(std::string_view text);

/// The escape key as a person types it, for messages: "^]", "~", "0xff".
std::string escape_name(int key);

/// The termios constant for baud bits per second (B115200), or none when termios has no such
/// speed (50 ... 4000000).
std::optional<speed_t> serial_speed(unsigned baud);

/// True for the option names parse_terminal_option handles.
bool is_terminal_option(std::string_view name);

/// Applies ",name[=value]" (name already lowercase) to t; where is the address for messages.
std::optional<UsageError> parse_terminal_option(TerminalOptions& t, std::string_view name,
                                                std::string_view value, bool has_value,
                                                const std::string& where);

} // namespace ipcat
