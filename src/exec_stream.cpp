// exec:COMMAND, -e and -c: a child process whose stdin and stdout are the endpoint.
#include <algorithm>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <spawn.h>
#include <string_view>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "endpoints.hpp"
#include "fd_limit.hpp"
#include "log.hpp"
#include "pty_stream.hpp"
#include "tasks.hpp"

extern char** environ;

namespace ipcat {

namespace {

class ExecStream : public FdStream {
public:
  ExecStream(asio::io_context& io, std::string name, Fd to_child, Fd from_child, pid_t pid,
             std::string command)
      : FdStream(io, std::move(name), from_child.get(), to_child.get(), exec_traits()),
        m_to_child(std::move(to_child)), m_from_child(std::move(from_child)), m_pid(pid),
        m_command(std::move(command)) {}

  ~ExecStream() override {
    m_rwait.release();
    release_write_waiter();
    m_to_child.reset();
    m_from_child.reset();
    asio::co_spawn(m_io, reap_child(m_io, m_pid, m_command, false), asio::detached);
  }

  void shutdown_write() override {
    if (m_to_child.valid()) {
      release_write_waiter();
      m_to_child.reset(); // the child sees EOF on its stdin
      m_wfd = -1;
    }
  }

private:
  static StreamTraits exec_traits() {
    StreamTraits t;
    t.zero_copy = true;
    t.write_error_ends_direction = true; // a child that stopped reading may still be answering
    return t;
  }

  Fd m_to_child;
  Fd m_from_child;
  pid_t m_pid;
  std::string m_command;
};

// Splits -e's command into words: whitespace separates, quotes group, no other shell syntax.
std::vector<std::string> split_words(const std::string& s) {
  std::vector<std::string> words;
  std::string cur;
  bool in_word = false;
  char quote = 0;
  for (char c : s) {
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        cur += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) {
        words.push_back(cur);
        cur.clear();
        in_word = false;
      }
    } else {
      cur += c;
      in_word = true;
    }
  }
  if (in_word) {
    words.push_back(cur);
  }
  return words;
}

// ipcat's environment with the session's variables set (replacing any inherited ones of the
// same names, so that a child never sees a stale peer); storage holds the strings.
std::vector<char*> child_environment(const std::vector<std::pair<std::string, std::string>>& vars,
                                     std::vector<std::string>& storage) {
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const auto name = entry.substr(0, entry.find('='));
    const bool replaced =
        std::any_of(vars.begin(), vars.end(), [&](const auto& v) { return v.first == name; });
    if (!replaced) {
      storage.emplace_back(entry);
    }
  }
  for (const auto& [name, value] : vars) {
    storage.push_back(name + "=" + value);
  }
  std::vector<char*> envp;
  envp.reserve(storage.size() + 1);
  for (auto& s : storage) {
    envp.push_back(s.data());
  }
  envp.push_back(nullptr);
  return envp;
}

} // namespace

std::unique_ptr<Stream> spawn_exec(asio::io_context& io, const Address& a) {
  const std::string what = "exec " + a.path;
  std::vector<std::string> words =
      a.shell ? std::vector<std::string>{"/bin/sh", "-c", a.path} : split_words(a.path);
  if (words.empty()) {
    throw Error(what, "empty command", 2);
  }
  if (a.options.term.pty) {
    return spawn_exec_pty(io, a, std::move(words));
  }
  int in_pipe[2];  // parent writes [1], child reads [0]
  int out_pipe[2]; // child writes [1], parent reads [0]
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) {
    throw_errno(what, errno);
  }
  Fd in_r(in_pipe[0]);
  Fd in_w(in_pipe[1]);
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    throw_errno(what, errno);
  }
  Fd out_r(out_pipe[0]);
  Fd out_w(out_pipe[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_r.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_w.get(), STDOUT_FILENO);
  if (a.options.child_stderr) {
    posix_spawn_file_actions_adddup2(&actions, out_w.get(), STDERR_FILENO);
  }
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // ipcat ignores SIGPIPE and SIGXFSZ; an ignored signal stays ignored across exec, and
  // children such as `yes` rely on SIGPIPE to stop. Give the child the defaults back.
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGXFSZ);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  sigset_t empty;
  sigemptyset(&empty);
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::vector<char*> argv;
  for (auto& w : words) {
    argv.push_back(w.data());
  }
  argv.push_back(nullptr);
  std::vector<std::string> env_storage;
  std::vector<char*> envp = child_environment(a.options.child_env, env_storage);
  pid_t pid = 0;
  int rc = 0;
  {
    const OriginalFdLimit child_limit; // the child gets the limit ipcat was given
    rc = a.shell ? ::posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), envp.data())
                 : ::posix_spawnp(&pid, argv[0], &actions, &attr, argv.data(), envp.data());
  }
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    throw Error(what, errno_text(rc));
  }
  in_r.reset();
  out_w.reset();
  set_nonblocking(in_w.get(), true);
  set_nonblocking(out_r.get(), true);
  log_event("Started '" + a.path + "' (pid " + std::to_string(pid) + ")");
  return std::make_unique<ExecStream>(io, "exec:" + a.path, std::move(in_w), std::move(out_r), pid,
                                      a.path);
}

} // namespace ipcat
