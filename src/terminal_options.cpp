#include "terminal_options.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>

namespace ipcat {

namespace {

// The speeds Linux's termios can set, with their Bxxx constants; anything else is refused up
// front rather than rounded to a neighbour, as a wrong speed only shows as garbage on the line.
struct Speed {
  unsigned baud;
  speed_t code;
};
constexpr Speed k_speeds[] = {
    {50, B50},           {75, B75},           {110, B110},         {134, B134},
    {150, B150},         {200, B200},         {300, B300},         {600, B600},
    {1200, B1200},       {1800, B1800},       {2400, B2400},       {4800, B4800},
    {9600, B9600},       {19200, B19200},     {38400, B38400},     {57600, B57600},
    {115200, B115200},   {230400, B230400},   {460800, B460800},   {500000, B500000},
    {576000, B576000},   {921600, B921600},   {1000000, B1000000}, {1152000, B1152000},
    {1500000, B1500000}, {2000000, B2000000}, {2500000, B2500000}, {3000000, B3000000},
    {3500000, B3500000}, {4000000, B4000000},
};

std::optional<unsigned> parse_number(std::string_view text) {
  unsigned n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return n;
}

bool equals_lower(std::string_view text, std::string_view word) {
  return text.size() == word.size() &&
         std::equal(text.begin(), text.end(), word.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

} // namespace

Result<int> parse_escape(std::string_view text) {
  if (equals_lower(text, "none")) {
    return -1;
  }
  if (text.size() == 1) {
    return static_cast<int>(static_cast<unsigned char>(text[0]));
  }
  if (text.size() == 2 && text[0] == '^') {
    const auto c = static_cast<unsigned char>(std::toupper(static_cast<unsigned char>(text[1])));
    if (c == '?') {
      return 0x7f;
    }
    if (c >= '@' && c <= '_') { // ^@ ^A ... ^Z ^[ ^\ ^] ^^ ^_
      return static_cast<int>(c & 0x1fU);
    }
    return fail("invalid escape key '", std::string(text),
                "': after '^' comes a letter or one of @ [ \\ ] ^ _ ?");
  }
  if (text.size() > 2 && (text.substr(0, 2) == "0x" || text.substr(0, 2) == "0X")) {
    unsigned n = 0;
    const std::string_view hex = text.substr(2);
    const auto [end, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), n, 16);
    if (ec == std::errc() && end == hex.data() + hex.size() && n <= 0xff) {
      return static_cast<int>(n);
    }
  }
  return fail("invalid escape key '", std::string(text),
              "' (^X for Ctrl-X, one character, 0xHH, or none)");
}

std::string escape_name(int key) {
  if (key < 0) {
    return "none";
  }
  if (key < 0x20) {
    return std::string("^") + static_cast<char>(key | 0x40);
  }
  if (key == 0x7f) {
    return "^?";
  }
  if (key < 0x7f) {
    return std::string(1, static_cast<char>(key));
  }
  char hex[16];
  std::snprintf(hex, sizeof(hex), "0x%02x", static_cast<unsigned>(key));
  return hex;
}

std::optional<speed_t> serial_speed(unsigned baud) {
  for (const auto& s : k_speeds) {
    if (s.baud == baud) {
      return s.code;
    }
  }
  return std::nullopt;
}

bool is_terminal_option(std::string_view name) {
  static constexpr std::array<std::string_view, 9> k_names = {
      "link", "pty", "raw", "escape", "speed", "parity", "flow", "databits", "stopbits"};
  return std::find(k_names.begin(), k_names.end(), name) != k_names.end();
}

std::optional<UsageError> parse_terminal_option(TerminalOptions& t, std::string_view name,
                                                std::string_view value, bool has_value,
                                                const std::string& where) {
  const std::string n(name);
  if (name == "pty" || name == "raw") {
    if (has_value) {
      return fail("option '", n, "' takes no value in '", where, "'");
    }
    (name == "pty" ? t.pty : t.raw) = true;
    return std::nullopt;
  }
  if (!has_value || value.empty()) {
    return fail("option '", n, "' needs a value in '", where, "' (", n, "=...)");
  }
  const std::string v(value);
  if (name == "link") {
    t.link = v;
  } else if (name == "escape") {
    auto key = parse_escape(value);
    if (!key) {
      return fail(key.error(), " in '", where, "'");
    }
    t.escape = *key;
  } else if (name == "speed") {
    const auto baud = parse_number(value);
    if (!baud || !serial_speed(*baud)) {
      return fail("invalid speed '", v, "' in '", where,
                  "' (a termios speed: 9600, 19200, 38400, 57600, 115200, ... 4000000)");
    }
    t.serial.speed = *baud;
  } else if (name == "databits") {
    const auto bits = parse_number(value);
    if (!bits || *bits < 5 || *bits > 8) {
      return fail("invalid databits '", v, "' in '", where, "' (5, 6, 7 or 8)");
    }
    t.serial.databits = *bits;
  } else if (name == "stopbits") {
    const auto bits = parse_number(value);
    if (!bits || (*bits != 1 && *bits != 2)) {
      return fail("invalid stopbits '", v, "' in '", where, "' (1 or 2)");
    }
    t.serial.stopbits = *bits;
  } else if (name == "parity") {
    if (equals_lower(value, "none")) {
      t.serial.parity = Parity::None;
    } else if (equals_lower(value, "even")) {
      t.serial.parity = Parity::Even;
    } else if (equals_lower(value, "odd")) {
      t.serial.parity = Parity::Odd;
    } else {
      return fail("invalid parity '", v, "' in '", where, "' (none, even or odd)");
    }
  } else if (name == "flow") {
    if (equals_lower(value, "none")) {
      t.serial.flow = Flow::None;
    } else if (equals_lower(value, "rtscts")) {
      t.serial.flow = Flow::RtsCts;
    } else if (equals_lower(value, "xonxoff")) {
      t.serial.flow = Flow::XonXoff;
    } else {
      return fail("invalid flow control '", v, "' in '", where, "' (none, rtscts or xonxoff)");
    }
  }
  return std::nullopt;
}

} // namespace ipcat
