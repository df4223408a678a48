// Small coroutine helpers shared by the relay, the hub and the run: a spawn whose escaping
// exception becomes one error line, a sleep, and the idle watchdog behind -i.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <sys/types.h>

#include "duration.hpp"
#include "stream.hpp"

namespace ipcat {

/// Starts work on io. An exception that escapes it goes to on_error as its message (by
/// default printed as "ipcat: message"); on_done runs afterwards either way.
void spawn_logged(asio::io_context& io, asio::awaitable<void> work,
                  std::function<void(const std::string&)> on_error = nullptr,
                  std::function<void()> on_done = nullptr);

/// Sleeps for d (returns early when the wait is cancelled, e.g. by io being stopped).
asio::awaitable<void> sleep_for(asio::io_context& io, Duration d);

/// Waits until idle has passed since last_activity() (true: idle), or until the timer is
/// cancelled or over() says to stop (false). The functions are taken by value: they live in the
/// coroutine frame. Activity only stamps a time: the watchdog sleeps
/// until the stamp plus the timeout and looks again, so the hot path never touches a timer.
asio::awaitable<bool>
idle_wait(asio::steady_timer& timer, Duration idle,
          std::function<std::chrono::steady_clock::time_point()> last_activity,
          std::function<bool()> over);

/// Writes all of data to the local side (stdout of a hub or broker), adding what went to given.
/// True when it all went; false when the output is over: cancelled, or a write failed (then
/// logged and on_end(1) called; a quiet EPIPE, `| head` leaving, is on_end(0)).
asio::awaitable<bool> write_local_output(Stream& local, std::string_view data,
                                         const std::function<void(int)>& on_end,
                                         std::uint64_t& given);

/// Reaps a child without blocking the event loop, saying how it ended with -v. A child normally
/// exits once its input (pipe or terminal) is gone; one that does not is asked to stop
/// (SIGTERM after 1 s), then made to (SIGKILL after 3 s): its process group when group (a child
/// on a pty leads its own session), else the child alone.
asio::awaitable<void> reap_child(asio::io_context& io, pid_t pid, std::string what, bool group);

} // namespace ipcat
