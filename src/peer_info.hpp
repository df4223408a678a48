// What a child learns about its session: who is at the other end of the connection, on which
// local address, over which protocol. A listener or a connector fills one in from its socket;
// the exec opener turns it into environment variables (IPCAT_PEER_ADDR, NCAT_REMOTE_ADDR, ...).
#pragma once

#include <optional>
#include <string>
#include <sys/socket.h>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace ipcat {

/// The peer's credentials on a Unix socket (SO_PEERCRED).
struct PeerCredentials {
  pid_t pid = 0;
  uid_t uid = 0;
  gid_t gid = 0;
};

/// One session's description, as a child sees it.
struct PeerInfo {
  std::string proto;      ///< "tcp", "udp", "unix", "unix-dgram"
  std::string peer_addr;  ///< "127.0.0.1", "::1"; a Unix socket: its path, "@name" or ""
  std::string peer_port;  ///< "40312"; empty for Unix sockets
  std::string local_addr; ///< the address the session arrived at (or left from)
  std::string local_port; ///< empty for Unix sockets
  std::optional<PeerCredentials> cred; ///< Unix sockets only
};

/// Describes the session on a connected socket: getsockname, getpeername, SO_TYPE and, on a
/// Unix socket, SO_PEERCRED. On an unconnected datagram socket the peer is the sender of the
/// datagram waiting to be read, if any. Nothing when fd is not a socket.
std::optional<PeerInfo> peer_info_of_socket(int fd);

/// Fills in the address half of info from a socket address (for a caller that knows the peer
/// of a datagram session itself).
void set_peer_address(PeerInfo& info, const sockaddr* sa, socklen_t len);

/// The environment variables a child gets for the session: IPCAT_PEER_ADDR, IPCAT_PEER_PORT,
/// IPCAT_LOCAL_ADDR, IPCAT_LOCAL_PORT, IPCAT_PROTO, on Unix sockets IPCAT_PEER_UID,
/// IPCAT_PEER_GID and IPCAT_PEER_PID, and ncat's NCAT_REMOTE_ADDR, NCAT_REMOTE_PORT,
/// NCAT_LOCAL_ADDR, NCAT_LOCAL_PORT and NCAT_PROTO (in upper case, as ncat sets it).
std::vector<std::pair<std::string, std::string>> peer_environment(const PeerInfo& info);

} // namespace ipcat
