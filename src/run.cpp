#include "run.hpp"

#include <asio/io_context.hpp>
#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include "app.hpp"
#include "log.hpp"
#include "options.hpp"

namespace ipcat {

int run(int argc, char** argv) {
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
  set_verbose(o.verbose);

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
  restore_fd_flags();
  return status;
}

} // namespace ipcat
