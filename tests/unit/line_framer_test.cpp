// Unit tests for LineFramer: whole lines out in order, partial lines held until their newline,
// pieces once the bound is reached, batches cut at line ends, and mid_line() across pieces.
#include "line_framer.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <string_view>

using ipcat::LineFramer;

namespace {

/// Takes everything ready (up to max bytes a batch) and returns it concatenated.
std::string drain(LineFramer& f, std::size_t max = LineFramer::npos) {
  std::string out;
  for (;;) {
    const std::string_view r = f.ready(max);
    if (r.empty()) {
      return out;
    }
    out.append(r);
    f.consume(r.size());
  }
}

} // namespace

TEST_CASE("whole lines come out, a partial line waits for its newline", "[line_framer]") {
  LineFramer f;
  CHECK(f.empty());
  f.feed("one\ntw");
  CHECK(f.has_line());
  CHECK(f.has_partial());
  CHECK(f.partial_size() == 2);
  CHECK(f.line() == "one\n");
  CHECK(f.lines() == "one\n");
  CHECK(f.ready() == "one\n");
  f.consume(4);
  CHECK_FALSE(f.has_line());
  CHECK(f.ready().empty());
  CHECK(f.line().empty());
  CHECK(f.all() == "tw");
  f.feed("o\nthree\nfo");
  CHECK(f.lines() == "two\nthree\n");
  CHECK(f.line() == "two\n");
  CHECK(drain(f) == "two\nthree\n");
  CHECK(f.all() == "fo");
  CHECK(f.size() == 2);
  CHECK_FALSE(f.mid_line());
}

TEST_CASE("empty input and lone newlines", "[line_framer]") {
  LineFramer f;
  f.feed("");
  CHECK(f.empty());
  CHECK(f.ready().empty());
  f.feed("\n\n");
  CHECK(f.line() == "\n");
  CHECK(f.lines() == "\n\n");
  CHECK_FALSE(f.has_partial());
  f.consume(2);
  CHECK(f.empty());
  CHECK_FALSE(f.mid_line());
}

TEST_CASE("lines(max) cuts batches at line ends", "[line_framer]") {
  LineFramer f;
  f.feed("aaa\nbbb\ncccccccc\nd");
  CHECK(f.lines(8) == "aaa\nbbb\n");
  CHECK(f.lines(9) == "aaa\nbbb\n");
  CHECK(f.lines(4) == "aaa\n");
  CHECK(f.lines(3) == "aaa"); // the first line alone is longer: a piece
  CHECK(f.lines(0).empty());
  f.consume(8);
  CHECK(f.lines(4) == "cccc");
  f.consume(4);
  CHECK(f.mid_line());
  CHECK(f.lines(4) == "cccc");
  f.consume(4);
  CHECK(f.mid_line());
  CHECK(f.lines(4) == "\n");
  f.consume(1);
  CHECK_FALSE(f.mid_line());
  CHECK(f.all() == "d");
}

TEST_CASE("a partial line that reaches the bound goes out in pieces", "[line_framer]") {
  LineFramer f(8);
  f.feed("0123456");
  CHECK_FALSE(f.over_limit());
  CHECK(f.ready().empty());
  f.feed("7");
  CHECK(f.over_limit());
  CHECK(f.ready() == "01234567");
  CHECK(f.ready(3) == "012");
  f.consume(3);
  CHECK(f.mid_line());
  // Below the bound again: the rest waits for more.
  CHECK(f.ready().empty());
  f.feed("89\nnext");
  CHECK(f.ready() == "3456789\n");
  f.consume(8);
  CHECK_FALSE(f.mid_line());
  CHECK(f.all() == "next");
}

TEST_CASE("a long line fed in chunks comes out whole and in order", "[line_framer]") {
  const std::size_t bound = 1000;
  LineFramer f(bound);
  std::string input;
  for (int i = 0; i < 50; ++i) {
    input += std::string(static_cast<std::size_t>(i) * 97 + 1, static_cast<char>('a' + i % 26));
    input += '\n';
  }
  std::string out;
  for (std::size_t off = 0; off < input.size(); off += 333) {
    f.feed(std::string_view(input).substr(off, 333));
    out += drain(f, 256);
    // Memory stays bounded: what is held after draining is under the bound.
    CHECK(f.size() < bound);
  }
  out += std::string(f.all());
  CHECK(out == input);
  CHECK_FALSE(f.mid_line());
}

TEST_CASE("take_partial removes only the partial line", "[line_framer]") {
  LineFramer f;
  f.feed("a\nb\npart");
  CHECK(f.take_partial() == "part");
  CHECK_FALSE(f.has_partial());
  CHECK(f.lines() == "a\nb\n");
  CHECK(f.take_partial().empty());
  f.consume(4);
  CHECK(f.empty());
  f.feed("x");
  CHECK(f.take_partial() == "x");
  CHECK(f.empty());
}

TEST_CASE("consume never goes past what is held; clear starts over", "[line_framer]") {
  LineFramer f;
  f.feed("ab\ncd");
  f.consume(100);
  CHECK(f.empty());
  CHECK(f.mid_line()); // "cd" went out without its newline
  f.feed("ef\n");
  CHECK(f.line() == "ef\n");
  f.clear();
  CHECK(f.empty());
  CHECK_FALSE(f.mid_line());
  CHECK(f.ready().empty());
}

TEST_CASE("the shared bound is 1 MiB", "[line_framer]") {
  STATIC_REQUIRE(LineFramer::k_max_line == 1024 * 1024);
  LineFramer f;
  f.feed(std::string(LineFramer::k_max_line - 1, 'x'));
  CHECK(f.ready().empty());
  f.feed("x");
  CHECK(f.ready().size() == LineFramer::k_max_line);
}
