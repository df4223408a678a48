// Unit tests for the meter: the formatting of sizes, meter lines and the --stats line, and the
// counters lent by sessions (attached, read live, kept after detach).
#include "progress.hpp"

#include <catch2/catch.hpp>

#include <chrono>

using ipcat::format_bytes;
using ipcat::format_progress;
using ipcat::ProgressSample;

TEST_CASE("meter: sizes in B, KiB, MiB, GiB", "[progress]") {
  CHECK(format_bytes(0) == "0 B");
  CHECK(format_bytes(512) == "512 B");
  CHECK(format_bytes(1536) == "1.50 KiB");
  CHECK(format_bytes(3 * 1024 * 1024) == "3.00 MiB");
  CHECK(format_bytes(100.0 * 1024 * 1024) == "100.0 MiB");
  CHECK(format_bytes(2.5 * 1024 * 1024 * 1024) == "2.50 GiB");
}

TEST_CASE("meter: a line with rates and elapsed time, percentage and ETA when sized",
          "[progress]") {
  ProgressSample s;
  s.sent = 1024 * 1024;
  s.received = 512;
  s.rate = 2 * 1024 * 1024;
  s.elapsed = 2.0;
  CHECK(format_progress(s) == "> 1.00 MiB  < 512 B  2.00 MiB/s (avg 512.2 KiB/s)  0:02");
  s.expected = 4 * 1024 * 1024;
  CHECK(format_progress(s) ==
        "> 1.00 MiB  < 512 B  2.00 MiB/s (avg 512.2 KiB/s)  0:02   25% ETA 0:06");
  s.sent = *s.expected;
  CHECK(format_progress(s).find("100% ETA 0:00") != std::string::npos);
  s.elapsed = 3725;
  CHECK(format_progress(s).find("  1:02:05") != std::string::npos);
  const std::string line = format_progress(s);
  CHECK(line.find('\r') == std::string::npos);
  CHECK(line.find('\x1b') == std::string::npos);
}

TEST_CASE("meter: the --stats line", "[progress]") {
  CHECK(ipcat::format_stats_line(2000000, 0, std::chrono::seconds(2)) ==
        "ipcat: sent 2000000 bytes, received 0 bytes in 2.000 s (1.0 MB/s)\n");
}

TEST_CASE("meter: counters are read live and kept after detach", "[progress]") {
  asio::io_context io;
  ipcat::Meter m(io, false);
  ipcat::PumpCounters a_fwd;
  ipcat::PumpCounters a_back;
  ipcat::PumpCounters b_fwd;
  int a = 0;
  int b = 0;
  m.attach(&a, &a_fwd, &a_back, 1000);
  m.attach(&b, &b_fwd, nullptr);
  a_fwd.given = 10;
  a_back.given = 5;
  b_fwd.given = 7;
  ipcat::ProgressSample s = m.sample();
  CHECK(s.sent == 17);
  CHECK(s.received == 5);
  CHECK(s.expected == 1000);
  m.detach(&a);
  a_fwd.given = 1000; // no longer looked at
  s = m.sample();
  CHECK(s.sent == 17);
  b_fwd.given = 8;
  CHECK(m.sample().sent == 18);
}
