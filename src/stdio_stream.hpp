// stdin and stdout as one endpoint.
#pragma once

#include <memory>

#include "stream.hpp"
#include "terminal_options.hpp"

namespace ipcat {

/// Opens stdin/stdout as a stream. Pipes, FIFOs and terminals are reopened through
/// /proc/self/fd on a private open file description, so O_NONBLOCK never leaks to the shell or
/// to the other processes of a pipeline. want_input/want_output false leave that side unused.
/// With term.raw the terminal on stdin is raw while the stream lives, and term.escape typed
/// there ends the input (it is not passed on).
std::unique_ptr<Stream> open_stdio(asio::io_context& io, bool want_input, bool want_output,
                                   const TerminalOptions& term = {});

} // namespace ipcat
