// A scripted ipcat::Stream for unit tests of the core (the hub, the session relay) on a real
// asio::io_context, without descriptors or sockets. The test keeps a FakeScript (shared with
// the stream, so it outlives it): it queues what reads return, sees what was written, holds
// or fails writes, and sees shutdown_write() and cancel().
//
//   auto [stream, script] = ipcat::test::make_fake(io, "client1");
//   script->feed("hello\n");
//   script->feed_eof();
//   hub.add(std::move(stream));
//   ... run io ... CHECK(script->written == "...");
#pragma once

#include <algorithm>
#include <asio/awaitable.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "stream.hpp"

namespace ipcat::test {

/// One scripted read outcome.
struct ReadEvent {
  /// Data: the bytes (over several reads if the buffer is smaller); Eof: 0; Error: -1 with
  /// err; Wait: reads block until the script is fed again (or resume()).
  enum class Kind { Data, Eof, Error, Wait };
  Kind kind = Kind::Data;
  std::string data;
  int err = 0;
};

/// The test's side of a FakeStream: the script of reads, the record of writes, the switches.
class FakeScript {
public:
  /// A script whose waits run on io.
  FakeScript(asio::io_context& io, std::string stream_name)
      : name(std::move(stream_name)), m_io(io) {}

  /// Queues a chunk of data for reads; also ends a pending Wait.
  void feed(std::string data) { push({ReadEvent::Kind::Data, std::move(data), 0}); }
  /// Queues an end of stream.
  void feed_eof() { push({ReadEvent::Kind::Eof, {}, 0}); }
  /// Queues a failed read with errno value err.
  void feed_error(int err) { push({ReadEvent::Kind::Error, {}, err}); }
  /// Queues a pause: reads block there until the script is fed again.
  void feed_wait() { reads.push_back({ReadEvent::Kind::Wait, {}, 0}); }
  /// Ends the first pause without feeding anything.
  void resume() {
    drop_first_wait();
    wake();
  }

  /// Writes wait (nothing is recorded) until release_writes().
  void block_writes() { m_writes_blocked = true; }
  /// Lets waiting and later writes go through.
  void release_writes() {
    m_writes_blocked = false;
    wake();
  }
  /// Every later write fails with err (0: writes succeed again); a waiting write fails too.
  void fail_writes(int err) {
    m_write_error = err;
    wake();
  }
  /// The peer goes away altogether: peer_gone() is true and watch_hangup() returns true.
  void hang_up() {
    peer_gone = true;
    wake();
  }

  /// What reads still have to return.
  std::deque<ReadEvent> reads;
  /// Everything written to the stream, in order.
  std::string written;
  /// The most bytes one write takes (0: all it is given), to exercise short writes.
  std::size_t max_write = 0;
  /// How many reads and writes were started.
  int read_calls = 0;
  int write_calls = 0;
  /// Set by shutdown_write() and cancel() (cancel_count counts calls).
  bool shut_down = false;
  int cancel_count = 0;
  /// True once the FakeStream has been destroyed.
  bool destroyed = false;
  /// What the stream reports.
  std::string name;
  bool peer_gone = false;
  bool readable = true;
  bool writable = true;
  /// What take_error() returns once (a socket's pending reset).
  int pending_error = 0;

private:
  friend class FakeStream;

  void push(ReadEvent e) {
    drop_first_wait();
    reads.push_back(std::move(e));
    wake();
  }
  void drop_first_wait() {
    for (auto it = reads.begin(); it != reads.end(); ++it) {
      if (it->kind == ReadEvent::Kind::Wait) {
        reads.erase(it);
        return;
      }
    }
  }
  /// Wakes every waiting read, write and watch_hangup (each has its own timer).
  void wake() {
    const auto waiters = std::move(m_waiters);
    m_waiters.clear();
    for (const auto& t : waiters) {
      t->cancel();
    }
  }
  /// Waits until the next wake().
  asio::awaitable<void> wait() {
    auto t = std::make_shared<asio::steady_timer>(m_io, asio::steady_timer::time_point::max());
    m_waiters.push_back(t);
    co_await t->async_wait(asio::experimental::as_tuple(asio::use_awaitable));
  }

  asio::io_context& m_io;
  std::vector<std::shared_ptr<asio::steady_timer>> m_waiters;
  bool m_writes_blocked = false;
  int m_write_error = 0;
  bool m_cancelled = false;
};

/// A Stream that plays a FakeScript. cancel() is final: pending and later waits return
/// ECANCELED, like FdStream's.
class FakeStream : public Stream {
public:
  /// A stream playing script.
  /// A stream playing script, with these traits.
  FakeStream(std::shared_ptr<FakeScript> script, StreamTraits traits)
      : Stream(traits), m_s(std::move(script)) {}
  ~FakeStream() override {
    m_s->destroyed = true;
    m_s->wake();
  }
  FakeStream(const FakeStream&) = delete;
  FakeStream& operator=(const FakeStream&) = delete;

  [[nodiscard]] std::string name() const override { return m_s->name; }
  [[nodiscard]] bool readable() const override { return m_s->readable; }
  [[nodiscard]] bool writable() const override { return m_s->writable; }
  [[nodiscard]] bool peer_gone() const override { return m_s->peer_gone; }
  int take_error() override { return std::exchange(m_s->pending_error, 0); }

  asio::awaitable<IoResult> read(std::span<char> buf) override {
    const auto s = m_s; // the script outlives this stream while the read is pending
    ++s->read_calls;
    while (true) {
      if (s->m_cancelled) {
        co_return IoResult{-1, ECANCELED};
      }
      if (!s->reads.empty() && s->reads.front().kind != ReadEvent::Kind::Wait) {
        break;
      }
      co_await s->wait();
    }
    ReadEvent& e = s->reads.front();
    if (e.kind == ReadEvent::Kind::Eof) {
      s->reads.pop_front();
      co_return IoResult{0, 0};
    }
    if (e.kind == ReadEvent::Kind::Error) {
      const int err = e.err;
      s->reads.pop_front();
      co_return IoResult{-1, err};
    }
    const std::size_t n = std::min(buf.size(), e.data.size());
    std::copy_n(e.data.data(), n, buf.data());
    e.data.erase(0, n);
    if (e.data.empty()) {
      s->reads.pop_front();
    }
    co_return IoResult{static_cast<ssize_t>(n), 0};
  }

  asio::awaitable<IoResult> write(std::span<const char> buf) override {
    const auto s = m_s;
    ++s->write_calls;
    while (true) {
      if (s->m_cancelled) {
        co_return IoResult{-1, ECANCELED};
      }
      if (s->m_write_error != 0) {
        co_return IoResult{-1, s->m_write_error};
      }
      if (!s->m_writes_blocked) {
        break;
      }
      co_await s->wait();
    }
    const std::size_t n = s->max_write == 0 ? buf.size() : std::min(buf.size(), s->max_write);
    s->written.append(buf.data(), n);
    co_return IoResult{static_cast<ssize_t>(n), 0};
  }

  void shutdown_write() override { m_s->shut_down = true; }

  void cancel() override {
    ++m_s->cancel_count;
    m_s->m_cancelled = true;
    m_s->wake();
  }

  asio::awaitable<bool> watch_hangup() override {
    const auto s = m_s;
    while (!s->peer_gone) {
      if (s->m_cancelled) {
        co_return false;
      }
      co_await s->wait();
    }
    co_return true;
  }

private:
  std::shared_ptr<FakeScript> m_s;
};

/// A FakeStream with these traits, and its script.
inline std::pair<std::unique_ptr<FakeStream>, std::shared_ptr<FakeScript>>
make_fake(asio::io_context& io, std::string name = "fake", StreamTraits traits = {}) {
  auto script = std::make_shared<FakeScript>(io, std::move(name));
  return {std::make_unique<FakeStream>(script, traits), script};
}

/// Runs io until done() is true or timeout passes; returns done().
template <class Predicate>
bool run_until(asio::io_context& io, Predicate done,
               std::chrono::milliseconds timeout = std::chrono::seconds(2)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    if (io.stopped()) {
      io.restart();
    }
    io.run_one_for(std::chrono::milliseconds(10));
  }
  return done();
}

/// Runs every handler that is ready now, and those they make ready, without waiting.
inline void run_ready(asio::io_context& io) {
  if (io.stopped()) {
    io.restart();
  }
  io.poll();
}

} // namespace ipcat::test
