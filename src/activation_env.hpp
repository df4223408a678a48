// Socket activation's environment (LISTEN_FDS, LISTEN_PID, LISTEN_FDNAMES, as systemd and
// systemd-socket-activate set it): read by the command line, cleared once the sockets are taken.
#pragma once

#include <optional>
#include <string>

namespace ipcat {

/// The first socket passed to this process ("3"), when LISTEN_FDS is at least 1 and
/// LISTEN_PID is this process; nothing otherwise.
std::optional<std::string> activated_socket();

/// Unsets LISTEN_FDS, LISTEN_PID and LISTEN_FDNAMES when they were meant for this process, so
/// that no child takes ipcat's sockets for its own.
void forget_activation();

} // namespace ipcat
