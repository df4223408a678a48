// Telling a live Unix socket file from a stale one without connecting to it: the kernel's
// socket diagnostics (NETLINK_SOCK_DIAG) list every Unix socket with the inode of the file it
// is bound to, so the check is invisible to the listener it looks at.
#pragma once

#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

namespace ipcat {

/// What sock_diag says about the socket file with device dev and inode ino.
enum class BoundSocket {
  Live,    ///< a listening stream socket, or a datagram socket, is bound to it
  None,    ///< no socket that could take a client or a datagram is bound to it
  Unknown, ///< sock_diag could not be asked (no netlink, an old kernel, a filter)
};

/// Asks the kernel whether a socket that is in use is bound to the file dev/ino (as stat()
/// gives them). Stream and seqpacket sockets count only when listening (one merely bound, or
/// a connection accepted from a listener that is gone, takes no new client); a bound datagram
/// socket counts in any state.
BoundSocket find_bound_unix_socket(dev_t dev, ino_t ino);

/// Decides what to do with an existing socket file PATH before binding to it (addr, len: its
/// address; type: the listener's socket type): true when it is stale and may be removed (its
/// lstat() in st); false when nothing is there. Throws Error (what: the message's subject)
/// when something else is in the way or a socket is alive behind it.
bool socket_file_is_stale(const std::string& path, const sockaddr* addr, socklen_t len, int type,
                          const std::string& what, struct stat& st);

} // namespace ipcat
