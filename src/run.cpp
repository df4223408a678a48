#include "run.hpp"

#include <asio/io_context.hpp>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <string>
#include <unistd.h>
#include <vector>

#include "app.hpp"
#include "fd_limit.hpp"
#include "log.hpp"
#include "options.hpp"
#include "terminal.hpp"
#include "tls_layer.hpp"

namespace ipcat {

int run(int argc, char** argv) {
  // A closed stdin, stdout or stderr (`ipcat ... <&-`) would hand its number to the first
  // descriptor ipcat opens (the event loop's, a socket), which would then be read or written as
  // if it were stdio. /dev/null takes the place: a closed input is an empty one.
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
      const int null_fd = ::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
      if (null_fd >= 0 && null_fd != fd) {
        ::dup2(null_fd, fd);
        ::close(null_fd);
      }
    }
  }
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    args.emplace_back(argv[i]);
  }
  auto parsed = parse_options(args);
  if (!parsed) {
    log_error(parsed.error() + " (try 'ipcat --help')");
    return 2;
  }
  const Options& o = *parsed;
  if (o.help) {
    std::fputs(usage_text().c_str(), stdout);
    return 0;
  }
  if (o.version) {
    std::puts("ipcat " IPCAT_VERSION);
    return 0;
  }
  // A write to a closed pipe or socket must come back as EPIPE where it happens, not kill us.
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGXFSZ, SIG_IGN); // past the file size limit (ulimit -f), write() says EFBIG
  set_verbose(o.verbose);
  set_tls_handshake_timeout(o.connect_timeout);
  raise_fd_limit();

  int status = 0;
  try {
    asio::io_context io(1);
    App app(io, o);
    status = app.run();
  } catch (const Error& e) {
    log_error(e.what());
    status = e.status();
  } catch (const std::exception& e) {
    log_error(e.what());
    status = 1;
  }
  restore_terminal();
  restore_fd_flags();
  return status;
}

} // namespace ipcat
