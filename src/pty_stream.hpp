// Pseudo-terminals: the pty address kind (a new pty whose master is the endpoint, the slave for
// another program, optionally behind a symlink) and exec's pty option (the child on a new pty
// as its controlling terminal, as forkpty does). See pty_stream.cpp for what ends them.
#pragma once

#include <asio/io_context.hpp>
#include <memory>
#include <string>
#include <vector>

#include "address.hpp"
#include "stream.hpp"

namespace ipcat {

/// Opens pty[,link=PATH]: a new pseudo-terminal, the slave raw and held open by ipcat.
std::unique_ptr<Stream> open_pty(asio::io_context& io, const Address& a);

/// Starts argv (exec:CMD,pty, or -e/-c with --pty) on a new pseudo-terminal: a session leader
/// with the slave as its controlling terminal, stdin, stdout and stderr.
std::unique_ptr<Stream> spawn_exec_pty(asio::io_context& io, const Address& a,
                                       std::vector<std::string> argv);

/// Opens serial:PATH with the speed, character size, parity and flow control it names.
std::unique_ptr<Stream> open_serial(asio::io_context& io, const Address& a);

} // namespace ipcat
