// The UUID generator as a source endpoint: v4 and v7 from the bulk generator, v1, v3 and v5
// one at a time through libuuid.
#include <asio/experimental/as_tuple.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <cerrno>

#include "endpoints.hpp"
#include "log.hpp"
#include "uuid.hpp"

namespace ipcat {

namespace {

bool bulk_version(UuidVersion v) {
  return v == UuidVersion::V4 || v == UuidVersion::V7;
}

// A name-based version without the %n counter makes the same UUID every time: without
// --count it emits that one line (as uuidgen does) instead of an endless stream of it.
std::optional<unsigned long long> effective_count(const Address& a) {
  if (!a.options.count && is_name_based(a.uuid) &&
      !has_name_counter(a.options.uuid_name.value_or(""))) {
    return 1;
  }
  return a.options.count;
}

class GeneratorStream : public Stream {
public:
  GeneratorStream(asio::io_context& io, const Address& a)
      : Stream(generator_traits(a)), m_remaining(effective_count(a)),
        m_interval(a.options.interval), m_timer(io), m_name(a.describe()) {
    if (bulk_version(a.uuid)) {
      m_bulk.emplace(a.uuid);
    } else {
      m_lib.emplace(a.uuid, a.options.uuid_namespace.value_or(UuidBytes{}),
                    a.options.uuid_name.value_or(""));
    }
  }

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
    const std::size_t n = m_bulk ? m_bulk->fill(buf, max_lines) : fill_lib(buf, max_lines);
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
    t.endless = !effective_count(a); // without a count its consumer leaving loses nothing
    return t;
  }

  // The libuuid versions; -v says once per run whether v1 UUIDs are made safely.
  std::size_t fill_lib(std::span<char> buf, std::size_t max_lines) {
    const std::size_t n = m_lib->fill(buf, max_lines);
    if (!m_safety_told && m_lib->first_safe()) {
      m_safety_told = true;
      log_event(*m_lib->first_safe()
                    ? "UUID v1: made safely (uuidd or a clock sequence libuuid trusts)"
                    : "UUID v1: not made safely (no uuidd; uniqueness across processes is "
                      "not guaranteed)");
    }
    return n;
  }

  std::optional<UuidGenerator> m_bulk;
  std::optional<LibUuidGenerator> m_lib;
  bool m_safety_told = false;
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
