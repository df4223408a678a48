// Unit tests for the terminal kinds' options (terminal_options.cpp): the escape key notation,
// the serial speed table, serial settings, and how addresses and flags (--pty, --raw, --escape)
// carry them to the right endpoint.
#include "terminal_options.hpp"

#include "address.hpp"
#include "options.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using ipcat::AddressKind;
using ipcat::parse_address;
using ipcat::parse_escape;
using ipcat::parse_options;
using Args = std::vector<std::string>;

TEST_CASE("escape keys: caret notation, one character, hex, none", "[terminal]") {
  CHECK(*parse_escape("^]") == 0x1d);
  CHECK(*parse_escape("^a") == 0x01);
  CHECK(*parse_escape("^A") == 0x01);
  CHECK(*parse_escape("^@") == 0x00);
  CHECK(*parse_escape("^[") == 0x1b);
  CHECK(*parse_escape("^_") == 0x1f);
  CHECK(*parse_escape("^?") == 0x7f);
  CHECK(*parse_escape("~") == '~');
  CHECK(*parse_escape("^") == '^'); // one character: the caret itself
  CHECK(*parse_escape("0x1d") == 0x1d);
  CHECK(*parse_escape("0XfF") == 0xff);
  CHECK(*parse_escape("none") == -1);
  CHECK(*parse_escape("NONE") == -1);
  for (const char* bad : {"", "^1", "^~", "ab", "0x", "0x100", "0xzz", "^]x"}) {
    INFO(bad);
    CHECK_FALSE(parse_escape(bad).ok());
  }
  CHECK(ipcat::k_default_escape == 0x1d);
}

TEST_CASE("escape keys: named back as typed", "[terminal]") {
  CHECK(ipcat::escape_name(0x1d) == "^]");
  CHECK(ipcat::escape_name(0x01) == "^A");
  CHECK(ipcat::escape_name(0x7f) == "^?");
  CHECK(ipcat::escape_name('~') == "~");
  CHECK(ipcat::escape_name(0xff) == "0xff");
  CHECK(ipcat::escape_name(-1) == "none");
  for (int key = 0; key < 0x80; ++key) {
    INFO(key);
    CHECK(*parse_escape(ipcat::escape_name(key)) == key); // every name reads back
  }
}

TEST_CASE("serial speeds: the termios table, nothing in between", "[terminal]") {
  CHECK(ipcat::serial_speed(9600) == B9600);
  CHECK(ipcat::serial_speed(115200) == B115200);
  CHECK(ipcat::serial_speed(50) == B50);
  CHECK(ipcat::serial_speed(4000000) == B4000000);
  for (unsigned bad : {0U, 1U, 9601U, 12345U, 115201U, 4000001U}) {
    INFO(bad);
    CHECK_FALSE(ipcat::serial_speed(bad).has_value());
  }
}

TEST_CASE("serial addresses: speed, character size, parity, stop bits, flow", "[terminal]") {
  auto a = parse_address("serial:/dev/ttyS0");
  REQUIRE(a.ok());
  CHECK(a->kind == AddressKind::Serial);
  CHECK(a->path == "/dev/ttyS0");
  CHECK_FALSE(a->options.term.serial.speed.has_value()); // the line keeps its speed
  CHECK(a->options.term.serial.databits == 8);
  CHECK(a->options.term.serial.stopbits == 1);
  CHECK(a->options.term.serial.parity == ipcat::Parity::None);
  CHECK(a->options.term.serial.flow == ipcat::Flow::None);
  a = parse_address("SERIAL:/dev/ttyUSB0,speed=115200,databits=7,parity=Even,stopbits=2,"
                    "flow=rtscts");
  REQUIRE(a.ok());
  CHECK(*a->options.term.serial.speed == 115200);
  CHECK(a->options.term.serial.databits == 7);
  CHECK(a->options.term.serial.stopbits == 2);
  CHECK(a->options.term.serial.parity == ipcat::Parity::Even);
  CHECK(a->options.term.serial.flow == ipcat::Flow::RtsCts);
  a = parse_address("serial:/dev/ttyS1,parity=odd,flow=xonxoff");
  REQUIRE(a.ok());
  CHECK(a->options.term.serial.parity == ipcat::Parity::Odd);
  CHECK(a->options.term.serial.flow == ipcat::Flow::XonXoff);
  for (const char* bad :
       {"serial:", "serial:/d,speed=12345", "serial:/d,speed=", "serial:/d,speed=fast",
        "serial:/d,databits=9", "serial:/d,databits=4", "serial:/d,stopbits=3",
        "serial:/d,parity=mark", "serial:/d,flow=dtr", "serial:/d,raw", "serial:/d,link=/x"}) {
    INFO(bad);
    CHECK_FALSE(parse_address(bad).ok());
  }
}

TEST_CASE("pty, stdio,raw and exec's pty in addresses", "[terminal]") {
  auto a = parse_address("pty");
  REQUIRE(a.ok());
  CHECK(a->kind == AddressKind::Pty);
  CHECK(a->options.term.link.empty());
  a = parse_address("pty,link=/tmp/ttyV0");
  REQUIRE(a.ok());
  CHECK(a->options.term.link == "/tmp/ttyV0");
  CHECK(a->describe() == "pty");
  a = parse_address("stdio,raw");
  REQUIRE(a.ok());
  CHECK(a->options.term.raw);
  CHECK(a->options.term.escape == 0x1d);
  a = parse_address("stdio,raw,escape=^A");
  REQUIRE(a.ok());
  CHECK(a->options.term.escape == 0x01);
  a = parse_address("stdio,raw,escape=none");
  REQUIRE(a.ok());
  CHECK(a->options.term.escape == -1);
  // exec: the command keeps its commas; a trailing option of exec is an option.
  a = parse_address("exec:bash -i,pty");
  REQUIRE(a.ok());
  CHECK(a->path == "bash -i");
  CHECK(a->options.term.pty);
  a = parse_address("exec:echo a,b");
  REQUIRE(a.ok());
  CHECK(a->path == "echo a,b");
  CHECK_FALSE(a->options.term.pty);
  a = parse_address("exec:echo a,PTY");
  REQUIRE(a.ok());
  CHECK(a->path == "echo a");
  CHECK(a->options.term.pty);
  for (const char* bad : {"pty:/dev/x", "pty,link", "pty,link=", "pty,raw", "stdio,raw=1",
                          "stdio,pty", "stdio,raw,escape=^1", "stdio,escape", "unix:/s,raw"}) {
    INFO(bad);
    CHECK_FALSE(parse_address(bad).ok());
  }
}

TEST_CASE("terminal flags: --pty, --raw and --escape go to the child and to stdio", "[terminal]") {
  auto o = parse_options({"-lU", "/tmp/s", "-c", "bash -i", "--pty"});
  REQUIRE(o.ok());
  CHECK(o->left.kind == AddressKind::Exec);
  CHECK(o->left.options.term.pty);
  o = parse_options({"--raw", "-U", "/tmp/s"});
  REQUIRE(o.ok());
  CHECK(o->left.kind == AddressKind::Stdio);
  CHECK(o->left.options.term.raw);
  CHECK(o->left.options.term.escape == 0x1d);
  o = parse_options({"--raw", "--escape", "^B", "127.0.0.1", "23"});
  REQUIRE(o.ok());
  CHECK(o->left.options.term.escape == 0x02);
  o = parse_options({"--raw", "--escape=none", "unix:/tmp/s"});
  REQUIRE(o.ok());
  CHECK(o->left.options.term.escape == -1);
  o = parse_options({"--raw", "pty", "-"});
  REQUIRE(o.ok());
  CHECK(o->right.options.term.raw);
  o = parse_options({"--pty", "tcp-listen:0", "exec:sh"});
  REQUIRE(o.ok());
  CHECK(o->right.options.term.pty);
  for (const Args& bad : std::vector<Args>{{"--pty", "-lU", "/tmp/s"},
                                           {"--raw", "-e", "cat", "-U", "/tmp/s"},
                                           {"--escape", "^A", "-U", "/tmp/s"},
                                           {"--raw", "--escape", "^1", "-U", "/tmp/s"},
                                           {"stdio,escape=^A", "unix:/tmp/s"}}) {
    CHECK_FALSE(parse_options(bad).ok());
  }
}
