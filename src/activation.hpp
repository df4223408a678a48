// Descriptors ipcat was started with: socket activation (systemd's LISTEN_FDS, inetd's
// descriptor), accept-fd:N (a listening socket) and fd:N (a connected socket or any descriptor).
#pragma once

#include <asio/io_context.hpp>
#include <memory>
#include <string>

#include "address.hpp"
#include "fd.hpp"
#include "stream.hpp"

namespace ipcat {

/// An inherited listening (or datagram) socket, ready for a listener: the descriptor, the
/// listening address it amounts to (tcp-listen:, unix-listen:, udp-listen: ...) and its name.
struct InheritedSocket {
  Fd fd;
  Address as;
  std::string name;
};

/// Takes accept-fd:N's descriptor: checks that it is a listening stream socket or a bound
/// datagram socket, makes it close-on-exec and non-blocking, and unsets LISTEN_FDS,
/// LISTEN_PID and LISTEN_FDNAMES when they were meant for this process (children must not
/// take the sockets for theirs). Throws Error when it is no such socket.
InheritedSocket take_inherited_socket(const Address& a);

/// Opens fd:N: a connected socket as a socket stream, any other descriptor read and written as
/// its access mode allows.
std::unique_ptr<Stream> open_inherited_fd(asio::io_context& io, const Address& a);

} // namespace ipcat
