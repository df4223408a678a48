// Unix socket files ipcat creates: binding to a path with the socket-file rules (create if
// absent, replace only a stale socket, never touch anything else) and removing the file at
// the end, only if the path still names the very file that was created. Listeners and a
// datagram client bound to a path of its own (-Uu -s PATH) share them.
#pragma once

#include <optional>
#include <string>
#include <sys/types.h>

#include "endpoints.hpp"

namespace ipcat {

/// The socket file a socket was bound to: removed on destruction (or remove()), but only if
/// the path still names the same file (device and inode): someone may have replaced it.
class SocketFile {
public:
  SocketFile() = default;
  SocketFile(const SocketFile&) = delete;
  SocketFile& operator=(const SocketFile&) = delete;
  /// Takes over other's file (other then owns none).
  SocketFile(SocketFile&& other) noexcept;
  SocketFile& operator=(SocketFile&& other) noexcept;
  ~SocketFile() { remove(); }

  /// Takes charge of the file now at path.
  void adopt(const std::string& path);
  /// Removes the file if it is still the one adopted (idempotent).
  void remove();
  /// True when it has a file in charge.
  [[nodiscard]] bool owns() const { return !m_path.empty(); }

private:
  std::string m_path;
  dev_t m_dev = 0;
  ino_t m_ino = 0;
};

/// Binds fd (a Unix socket of type SOCK_STREAM or SOCK_DGRAM) to path, created with mode
/// through the umask when given. bind() never replaces a file, so it is the atomic "create if
/// absent"; when something is there, a stale socket (no live socket behind it, asked of the
/// kernel without connecting) is removed and bind tried again; anything else is an Error
/// naming what. Returns the owner of the file it created (owning none for an abstract name).
SocketFile bind_socket_file(int fd, int type, const std::string& path, std::optional<unsigned> mode,
                            const std::string& what);

} // namespace ipcat
