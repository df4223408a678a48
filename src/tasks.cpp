#include "tasks.hpp"

#include <asio/co_spawn.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/use_awaitable.hpp>
#include <cerrno>
#include <csignal>
#include <exception>
#include <sys/wait.h>

#include "log.hpp"

namespace ipcat {

using asio::experimental::as_tuple;

void spawn_logged(asio::io_context& io, asio::awaitable<void> work,
                  std::function<void(const std::string&)> on_error, std::function<void()> on_done) {
  asio::co_spawn(
      io, std::move(work),
      [on_error = std::move(on_error), on_done = std::move(on_done)](std::exception_ptr e) {
        if (e) {
          try {
            std::rethrow_exception(e);
          } catch (const std::exception& ex) {
            if (on_error) {
              on_error(ex.what());
            } else {
              log_error(ex.what());
            }
          }
        }
        if (on_done) {
          on_done();
        }
      });
}

asio::awaitable<void> sleep_for(asio::io_context& io, Duration d) {
  asio::steady_timer t(io, d);
  co_await t.async_wait(as_tuple(asio::use_awaitable));
}

asio::awaitable<bool>
idle_wait(asio::steady_timer& timer, Duration idle,
          std::function<std::chrono::steady_clock::time_point()> last_activity,
          std::function<bool()> over) {
  while (!over()) {
    const auto deadline = last_activity() + idle;
    if (std::chrono::steady_clock::now() >= deadline) {
      co_return true;
    }
    timer.expires_at(deadline);
    auto [ec] = co_await timer.async_wait(as_tuple(asio::use_awaitable));
    if (ec) {
      co_return false;
    }
  }
  co_return false;
}

asio::awaitable<bool> write_local_output(Stream& local, std::string_view data,
                                         const std::function<void(int)>& on_end,
                                         std::uint64_t& given) {
  std::size_t off = 0;
  while (off < data.size()) {
    const IoResult w =
        co_await local.write(std::span<const char>(data.data() + off, data.size() - off));
    if (w.n < 0) {
      if (w.err == ECANCELED) {
        co_return false;
      }
      if (!local.traits().quiet_broken_pipe || w.err != EPIPE) {
        log_error("write " + local.name() + ": " + errno_text(w.err));
        on_end(1);
      } else {
        on_end(0);
      }
      co_return false;
    }
    off += static_cast<std::size_t>(w.n);
    given += static_cast<std::size_t>(w.n);
  }
  co_return true;
}

asio::awaitable<void> reap_child(asio::io_context& io, pid_t pid, std::string what, bool group) {
  asio::steady_timer timer(io);
  const pid_t target = group ? -pid : pid;
  for (int tick = 0;; ++tick) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      if (WIFEXITED(status)) {
        log_event("Command '" + what + "' exited with status " +
                  std::to_string(WEXITSTATUS(status)));
      } else if (WIFSIGNALED(status)) {
        log_event("Command '" + what + "' killed by signal " + std::to_string(WTERMSIG(status)));
      }
      co_return;
    }
    if (r < 0 && errno != EINTR) {
      co_return;
    }
    if (tick == 20) { // 1 s
      ::kill(target, SIGTERM);
    } else if (tick == 60) { // 3 s
      ::kill(target, SIGKILL);
    }
    timer.expires_after(std::chrono::milliseconds(50));
    co_await timer.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
  }
}

} // namespace ipcat
