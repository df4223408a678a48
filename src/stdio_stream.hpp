// stdin and stdout as one endpoint.
#pragma once

#include <memory>

#include "stream.hpp"

namespace ipcat {

/// Opens stdin/stdout as a stream. Pipes, FIFOs and terminals are reopened through
/// /proc/self/fd on a private open file description, so O_NONBLOCK never leaks to the shell or
/// to the other processes of a pipeline. want_input/want_output false leave that side unused.
std::unique_ptr<Stream> open_stdio(asio::io_context& io, bool want_input, bool want_output);

} // namespace ipcat
