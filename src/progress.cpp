#include "progress.hpp"

#include <algorithm>
#include <asio/co_spawn.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/use_awaitable.hpp>
#include <csignal>
#include <cstdio>
#include <sys/stat.h>
#include <unistd.h>

#include "log.hpp"
#include "tasks.hpp"

namespace ipcat {

namespace {

// On a terminal the meter is redrawn in place at most this often; elsewhere (a log file, a
// pipe) a plain line is written at the slower pace, so a log stays readable.
constexpr std::chrono::milliseconds k_tty_interval{250};
constexpr std::chrono::seconds k_plain_interval{5};

std::string format_clock(double seconds) {
  const auto s = static_cast<long long>(std::max(0.0, seconds));
  char out[32];
  if (s >= 3600) {
    std::snprintf(out, sizeof(out), "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(out, sizeof(out), "%lld:%02lld", s / 60, s % 60);
  }
  return out;
}

} // namespace

std::string format_stats_line(std::uint64_t sent, std::uint64_t received,
                              std::chrono::steady_clock::duration elapsed) {
  const double secs = std::chrono::duration<double>(elapsed).count();
  const double rate = secs > 0 ? static_cast<double>(sent + received) / secs / 1e6 : 0.0;
  char line[256];
  std::snprintf(
      line, sizeof(line), "ipcat: sent %llu bytes, received %llu bytes in %.3f s (%.1f MB/s)\n",
      static_cast<unsigned long long>(sent), static_cast<unsigned long long>(received), secs, rate);
  return line;
}

std::string format_bytes(double bytes) {
  static constexpr const char* k_units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  std::size_t unit = 0;
  while (bytes >= 1024 && unit + 1 < std::size(k_units)) {
    bytes /= 1024;
    ++unit;
  }
  char out[32];
  if (unit == 0) {
    std::snprintf(out, sizeof(out), "%.0f B", bytes);
  } else {
    std::snprintf(out, sizeof(out), bytes < 10 ? "%.2f %s" : "%.1f %s", bytes, k_units[unit]);
  }
  return out;
}

std::string format_progress(const ProgressSample& s) {
  const double total = static_cast<double>(s.sent + s.received);
  const double average = s.elapsed > 0 ? total / s.elapsed : 0;
  std::string line = "> " + format_bytes(static_cast<double>(s.sent)) + "  < " +
                     format_bytes(static_cast<double>(s.received)) + "  " + format_bytes(s.rate) +
                     "/s (avg " + format_bytes(average) + "/s)  " + format_clock(s.elapsed);
  if (s.expected && *s.expected > 0) {
    const double done = std::min(1.0, static_cast<double>(s.sent) / *s.expected);
    char pct[16];
    std::snprintf(pct, sizeof(pct), "  %3.0f%%", done * 100);
    line += pct;
    const double sent_rate = s.elapsed > 0 ? static_cast<double>(s.sent) / s.elapsed : 0;
    if (done >= 1) {
      line += " ETA 0:00";
    } else if (sent_rate > 0) {
      line +=
          " ETA " + format_clock(static_cast<double>(*s.expected - std::min(*s.expected, s.sent)) /
                                 sent_rate);
    } else {
      line += " ETA --:--";
    }
  }
  return line;
}

std::optional<std::uint64_t> regular_file_left(int fd) {
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    return std::nullopt;
  }
  const off_t at = ::lseek(fd, 0, SEEK_CUR);
  if (at < 0 || at > st.st_size) {
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(st.st_size - at);
}

Meter::Meter(asio::io_context& io, bool progress)
    : m_io(io), m_progress(progress), m_usr1(io), m_timer(io) {}

void Meter::attach(const void* owner, const PumpCounters* fwd, const PumpCounters* back,
                   std::optional<std::uint64_t> expected) {
  if (!m_first) {
    m_first = std::chrono::steady_clock::now();
    m_last_draw = *m_first;
  }
  if (expected) {
    m_expected = expected;
  }
  m_sources.push_back({owner, fwd, back});
}

void Meter::detach(const void* owner) {
  for (auto it = m_sources.begin(); it != m_sources.end();) {
    if (it->owner == owner) {
      m_done_sent += it->fwd != nullptr ? it->fwd->given : 0;
      m_done_received += it->back != nullptr ? it->back->given : 0;
      it = m_sources.erase(it);
    } else {
      ++it;
    }
  }
}

ProgressSample Meter::sample() const {
  ProgressSample s;
  s.sent = m_done_sent;
  s.received = m_done_received;
  for (const Source& src : m_sources) {
    s.sent += src.fwd != nullptr ? src.fwd->given : 0;
    s.received += src.back != nullptr ? src.back->given : 0;
  }
  if (m_first) {
    s.elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - *m_first).count();
  }
  s.expected = m_expected;
  return s;
}

void Meter::start() {
  asio::error_code ignored;
  m_usr1.add(SIGUSR1, ignored);
  watch_signal();
  if (m_progress) {
    m_tty = ::isatty(STDERR_FILENO) == 1;
    spawn_logged(m_io, draw_loop());
  }
}

void Meter::watch_signal() {
  m_usr1.async_wait([this](const asio::error_code& ec, int /*signo*/) {
    if (ec || m_stopped) {
      return;
    }
    // Like dd: the totals so far, and the session goes on.
    const ProgressSample s = sample();
    const auto elapsed = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(s.elapsed));
    const std::string line = format_stats_line(s.sent, s.received, elapsed);
    if (m_progress && m_tty && m_last_width > 0) {
      write_stderr("\n", 1); // below the meter, which is redrawn on the next line
    }
    write_stderr(line.data(), line.size());
    watch_signal();
  });
}

asio::awaitable<void> Meter::draw_loop() {
  const auto interval =
      m_tty ? std::chrono::duration_cast<std::chrono::milliseconds>(k_tty_interval)
            : std::chrono::duration_cast<std::chrono::milliseconds>(k_plain_interval);
  while (!m_stopped) {
    m_timer.expires_after(interval);
    auto [ec] = co_await m_timer.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
    if (ec || m_stopped) {
      co_return;
    }
    if (m_first) {
      draw(false);
    }
  }
}

void Meter::draw(bool final) {
  const auto now = std::chrono::steady_clock::now();
  ProgressSample s = sample();
  const std::uint64_t total = s.sent + s.received;
  const double since = std::chrono::duration<double>(now - m_last_draw).count();
  s.rate = since > 0 ? static_cast<double>(total - std::min(total, m_last_total)) / since : 0;
  if (final) {
    // The last line shows the whole run's pace: a last short interval says little.
    s.rate = s.elapsed > 0 ? static_cast<double>(total) / s.elapsed : 0;
  }
  m_last_draw = now;
  m_last_total = total;
  std::string line = format_progress(s);
  std::string out;
  if (m_tty) {
    // Redrawn in place: spaces wipe what a longer previous line left, no escape sequences.
    const std::size_t width = line.size();
    out = "\r" + line;
    if (m_last_width > width) {
      out.append(m_last_width - width, ' ');
    }
    m_last_width = width;
    if (final) {
      out += '\n';
    }
  } else {
    out = line + "\n";
  }
  write_stderr(out.data(), out.size());
}

void Meter::stop() {
  if (m_stopped) {
    return;
  }
  m_stopped = true;
  asio::error_code ignored;
  m_usr1.cancel(ignored);
  m_timer.cancel();
  if (m_progress && m_first) {
    draw(true);
  }
}

} // namespace ipcat
