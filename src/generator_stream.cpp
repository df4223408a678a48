// The UUID generator as a source endpoint.
#include <asio/experimental/as_tuple.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <cerrno>

#include "endpoints.hpp"
#include "uuid.hpp"

namespace ipcat {

namespace {

class GeneratorStream : public Stream {
public:
  GeneratorStream(asio::io_context& io, const Address& a)
      : Stream(generator_traits(a)), m_gen(a.uuid), m_remaining(a.options.count),
        m_interval(a.options.interval), m_timer(io), m_name(a.describe()) {}

  [[nodiscard]] std::string name() const override { return m_name; }
  [[nodiscard]] bool writable() const override { return false; }
  void set_one_line_per_read(bool on) override { m_one_line = on; }

  asio::awaitable<IoResult> read(std::span<char> buf) override {
    if (m_cancelled) {
      co_return IoResult{-1, ECANCELED};
    }
    if (m_remaining && *m_remaining == 0) {
      co_return IoResult{0, 0};
    }
    if (m_interval && m_started) {
      // Deadlines, not sleeps: "a UUID a second" stays a UUID a second however long writes
      // take. Behind schedule (the destination was blocked), the overdue item goes at once and
      // the schedule restarts from now: no burst of missed items.
      m_next = std::max(m_next + *m_interval, asio::steady_timer::clock_type::now());
      m_timer.expires_at(m_next);
      auto [ec] = co_await m_timer.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
      if (m_cancelled || ec) {
        co_return IoResult{-1, ECANCELED};
      }
    } else if (!m_started) {
      m_next = asio::steady_timer::clock_type::now();
    }
    m_started = true;
    std::size_t max_lines = (m_interval || m_one_line) ? 1 : SIZE_MAX;
    if (m_remaining) {
      max_lines = std::min<unsigned long long>(max_lines, *m_remaining);
    }
    const std::size_t n = m_gen.fill(buf, max_lines);
    if (m_remaining) {
      *m_remaining -= n / k_uuid_line;
    }
    co_return IoResult{static_cast<ssize_t>(n), 0};
  }

  [[nodiscard]] bool input_pending() const override { return m_remaining && *m_remaining > 0; }
  void shutdown_write() override {}
  void cancel() override {
    m_cancelled = true;
    m_timer.cancel();
  }

private:
  static StreamTraits generator_traits(const Address& a) {
    StreamTraits t;
    t.line_source = true;
    t.endless = !a.options.count; // without --count its consumer leaving loses nothing
    return t;
  }

  UuidGenerator m_gen;
  std::optional<unsigned long long> m_remaining;
  std::optional<Duration> m_interval;
  asio::steady_timer m_timer;
  asio::steady_timer::time_point m_next{};
  std::string m_name;
  bool m_started = false;
  bool m_one_line = false;
  bool m_cancelled = false;
};

} // namespace

std::unique_ptr<Stream> make_generator(asio::io_context& io, const Address& a) {
  return std::make_unique<GeneratorStream>(io, a);
}

} // namespace ipcat
