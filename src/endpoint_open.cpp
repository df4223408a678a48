// The other half of the endpoint table: how a kind is opened. Listening kinds go to
// open_listener and connecting kinds to connect_address (both by the row's capabilities);
// every other kind has a row here with its open function. The parsers never include this file.
#include "endpoint_open.hpp"

#include <algorithm>

#include "activation.hpp"
#include "pty_stream.hpp"
#include "stdio_stream.hpp"

namespace ipcat {

namespace {

std::unique_ptr<Stream> open_stdio_end(asio::io_context& io, const Address& a, bool want_input,
                                       bool want_output) {
  return open_stdio(io, want_input, want_output, a.options.term);
}

std::unique_ptr<Stream> open_generator(asio::io_context& io, const Address& a, bool /*in*/,
                                       bool /*out*/) {
  return make_generator(io, a);
}

std::unique_ptr<Stream> open_exec(asio::io_context& io, const Address& a, bool /*in*/,
                                  bool /*out*/) {
  return spawn_exec(io, a);
}

// A FIFO or a file is read when it is a source, written otherwise.
std::unique_ptr<Stream> open_fifo_end(asio::io_context& io, const Address& a, bool want_input,
                                      bool /*out*/) {
  return open_fifo(io, a, want_input);
}

std::unique_ptr<Stream> open_file_end(asio::io_context& io, const Address& a, bool want_input,
                                      bool /*out*/) {
  return open_file(io, a, want_input);
}

std::unique_ptr<Stream> open_pty_end(asio::io_context& io, const Address& a, bool /*in*/,
                                     bool /*out*/) {
  return open_pty(io, a);
}

std::unique_ptr<Stream> open_serial_end(asio::io_context& io, const Address& a, bool /*in*/,
                                        bool /*out*/) {
  return open_serial(io, a);
}

std::unique_ptr<Stream> open_fd_end(asio::io_context& io, const Address& a, bool /*in*/,
                                    bool /*out*/) {
  return open_inherited_fd(io, a);
}

} // namespace

const std::vector<LocalOpener>& local_openers() {
  static const std::vector<LocalOpener> k_openers = {
      {AddressKind::Stdio, open_stdio_end},   {AddressKind::Uuid, open_generator},
      {AddressKind::Exec, open_exec},         {AddressKind::Fifo, open_fifo_end},
      {AddressKind::File, open_file_end},     {AddressKind::Pty, open_pty_end},
      {AddressKind::Serial, open_serial_end}, {AddressKind::Fd, open_fd_end},
  };
  return k_openers;
}

std::unique_ptr<Stream> open_local(asio::io_context& io, const Address& a, bool want_input,
                                   bool want_output) {
  const auto& openers = local_openers();
  const auto it = std::find_if(openers.begin(), openers.end(),
                               [&](const LocalOpener& o) { return o.kind == a.kind; });
  if (it == openers.end()) {
    throw Error(a.describe(), "this address type cannot be opened here", 2);
  }
  return it->open(io, a, want_input, want_output);
}

} // namespace ipcat
