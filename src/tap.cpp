#include "tap.hpp"

#include <algorithm>
#include <asio/experimental/as_tuple.hpp>
#include <asio/use_awaitable.hpp>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <ctime>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "log.hpp"

namespace ipcat {

namespace {

// A paced stream is read and written in bursts of about this share of a second's worth, so
// the pace is even to the eye (and to a peer's timer) while each write stays large.
constexpr std::uint64_t k_bursts_per_second = 20;

Fd open_for_tap(const std::string& path, bool append, const char* flag) {
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC);
  const int fd = ::open(path.c_str(), flags, 0666);
  if (fd < 0) {
    throw_errno(std::string(flag) + " " + path, errno);
  }
  return Fd(fd);
}

} // namespace

std::string format_hex_chunk(bool forward, std::chrono::system_clock::time_point at,
                             std::string_view endpoint, std::span<const char> data) {
  using namespace std::chrono;
  const auto since = at.time_since_epoch();
  const std::time_t secs = duration_cast<seconds>(since).count();
  const auto micros = duration_cast<microseconds>(since).count() % 1000000;
  std::tm tm{};
  ::gmtime_r(&secs, &tm);
  char stamp[64];
  std::snprintf(stamp, sizeof(stamp), "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(micros));
  std::string out;
  out.reserve(80 + data.size() * 5);
  out += forward ? "> " : "< ";
  out += stamp;
  out += ' ';
  out += std::to_string(data.size());
  out += data.size() == 1 ? " byte " : " bytes ";
  out += endpoint;
  out += '\n';
  static constexpr char k_hex[] = "0123456789abcdef";
  for (std::size_t off = 0; off < data.size(); off += 16) {
    char line[80];
    std::size_t at_col = 0;
    const auto put = [&](char c) { line[at_col++] = c; };
    for (int shift = 28; shift >= 0; shift -= 4) {
      put(k_hex[(off >> shift) & 0xf]);
    }
    put(' ');
    const std::size_t count = std::min<std::size_t>(16, data.size() - off);
    for (std::size_t i = 0; i < 16; ++i) {
      put(' ');
      if (i == 8) {
        put(' ');
      }
      if (i < count) {
        const auto b = static_cast<unsigned char>(data[off + i]);
        put(k_hex[b >> 4]);
        put(k_hex[b & 0xf]);
      } else {
        put(' ');
        put(' ');
      }
    }
    put(' ');
    put(' ');
    put('|');
    for (std::size_t i = 0; i < count; ++i) {
      const auto b = static_cast<unsigned char>(data[off + i]);
      put(b >= 0x20 && b < 0x7f ? static_cast<char>(b) : '.');
    }
    put('|');
    put('\n');
    out.append(line, at_col);
  }
  return out;
}

void expand_crlf(std::span<const char> in, std::string& out) {
  out.reserve(out.size() + in.size() + in.size() / 16);
  const char* p = in.data();
  const char* end = p + in.size();
  while (p < end) {
    const char* lf = std::find(p, end, '\n');
    out.append(p, lf);
    if (lf == end) {
      break;
    }
    out += "\r\n";
    p = lf + 1;
  }
}

TokenBucket::TokenBucket(std::uint64_t rate, std::size_t burst, Clock::time_point now)
    : m_rate(static_cast<double>(rate)), m_burst(std::max<std::size_t>(burst, 1)),
      m_tokens(static_cast<double>(m_burst)), m_last(now) {}

Duration TokenBucket::take(std::size_t n, Clock::time_point now) {
  const double elapsed = std::chrono::duration<double>(now - m_last).count();
  m_last = now;
  m_tokens = std::min(static_cast<double>(m_burst), m_tokens + elapsed * m_rate);
  m_tokens -= static_cast<double>(n);
  if (m_tokens >= 0) {
    return Duration::zero();
  }
  // The debt is paid by waiting; the tokens that accrue meanwhile are counted at the next take.
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(-m_tokens / m_rate));
}

TapFiles::TapFiles(const std::optional<std::string>& hex_dump,
                   const std::optional<std::string>& log, bool append) {
  if (hex_dump) {
    m_hex_on = true;
    if (*hex_dump == "-") {
      m_hex_to_stderr = true;
    } else {
      m_hex = open_for_tap(*hex_dump, false, "--hex-dump");
    }
  }
  if (log) {
    m_log = open_for_tap(*log, append, append ? "--append-output" : "--output");
  }
}

void TapFiles::record(bool forward, std::string_view endpoint, std::span<const char> data) {
  if (m_hex_on) {
    const std::string text =
        format_hex_chunk(forward, std::chrono::system_clock::now(), endpoint, data);
    if (m_hex_to_stderr) {
      write_stderr(text.data(), text.size());
    } else if (m_hex.valid() && !write_blocking(m_hex.get(), text.data(), text.size(), false)) {
      log_error("write --hex-dump: " + errno_text(errno) + "; the dump stops here");
      m_hex.reset();
    }
  }
  if (m_log.valid() && !write_blocking(m_log.get(), data.data(), data.size(), false)) {
    log_error("write --output: " + errno_text(errno) + "; the log stops here");
    m_log.reset();
  }
}

Tap::Tap(asio::io_context& io, const ShapeSettings& settings, bool forward, std::size_t buffer_size)
    : m_settings(settings), m_forward(forward), m_timer(io) {
  if (!forward) {
    // What comes back is only recorded: -C, --delay and --rate shape what ipcat sends.
    m_settings.crlf = false;
    m_settings.delay.reset();
    m_settings.rate.reset();
  }
  if (m_settings.rate) {
    const std::uint64_t burst = std::clamp<std::uint64_t>(*m_settings.rate / k_bursts_per_second, 1,
                                                          std::max<std::size_t>(buffer_size, 1));
    m_bucket.emplace(*m_settings.rate, static_cast<std::size_t>(burst), TokenBucket::Clock::now());
  }
}

std::size_t Tap::read_limit(std::size_t size) const {
  return m_bucket ? std::min(size, m_bucket->burst()) : size;
}

std::size_t Tap::piece(std::span<const char> rest) const {
  if (!m_settings.delay) {
    return rest.size();
  }
  const auto lf = std::find(rest.begin(), rest.end(), '\n');
  return lf == rest.end() ? rest.size() : static_cast<std::size_t>(lf - rest.begin()) + 1;
}

bool Tap::log_only() const {
  return m_settings.files && !m_settings.files->dumps() && m_settings.files->log_fd() >= 0 &&
         !m_settings.crlf && !m_settings.delay && !m_settings.rate;
}

int Tap::log_fd() const {
  return m_settings.files ? m_settings.files->log_fd() : -1;
}

void Tap::cancel() {
  m_cancelled = true;
  m_timer.cancel();
}

asio::awaitable<void> Tap::wait(Duration d) {
  if (m_cancelled || d <= Duration::zero()) {
    co_return;
  }
  m_timer.expires_after(d);
  co_await m_timer.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
}

asio::awaitable<std::span<const char>> Tap::before_write(std::span<const char> chunk,
                                                         std::string_view endpoint) {
  std::span<const char> out = chunk;
  if (m_settings.crlf) {
    m_out.clear();
    expand_crlf(chunk, m_out);
    out = std::span<const char>(m_out.data(), m_out.size());
  }
  if (m_settings.delay && !m_first) {
    co_await wait(*m_settings.delay);
  }
  m_first = false;
  if (m_bucket) {
    const Duration d = m_bucket->take(out.size(), TokenBucket::Clock::now());
    co_await wait(d);
  }
  if (m_cancelled) {
    co_return out;
  }
  if (m_settings.files) {
    m_settings.files->record(m_forward, endpoint, out);
  }
  co_return out;
}

} // namespace ipcat
