#include "unix_diag.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <unistd.h>

#include "fd.hpp"

namespace ipcat {

namespace {

// The kernel reports a file system's device in its internal encoding (major in the high 12
// bits, minor in the low 20), not in the one stat() uses: compare major and minor instead.
bool same_device(std::uint32_t kernel_dev, dev_t dev) {
  return (kernel_dev >> 20U) == ::major(dev) && (kernel_dev & 0xFFFFFU) == ::minor(dev);
}

// True when the socket in msg (one answer of the dump, attributes included) is bound to the
// file dev/ino and would take a client or a datagram.
bool is_live_match(const nlmsghdr* h, dev_t dev, ino_t ino) {
  if (h->nlmsg_len < NLMSG_LENGTH(sizeof(unix_diag_msg))) {
    return false;
  }
  const auto* msg = static_cast<const unix_diag_msg*>(NLMSG_DATA(h));
  const bool in_use = msg->udiag_type == SOCK_DGRAM || msg->udiag_state == TCP_LISTEN;
  if (!in_use) {
    return false;
  }
  int left = static_cast<int>(h->nlmsg_len - NLMSG_LENGTH(sizeof(unix_diag_msg)));
  // The attributes follow the message, each aligned the way rtnetlink attributes are.
  const auto* attr = reinterpret_cast<const rtattr*>(reinterpret_cast<const char*>(msg) +
                                                     NLMSG_ALIGN(sizeof(unix_diag_msg)));
  for (; RTA_OK(attr, left); attr = RTA_NEXT(attr, left)) {
    if (attr->rta_type == UNIX_DIAG_VFS && RTA_PAYLOAD(attr) >= sizeof(unix_diag_vfs)) {
      unix_diag_vfs vfs{};
      std::memcpy(&vfs, RTA_DATA(attr), sizeof(vfs));
      return vfs.udiag_vfs_ino == ino && same_device(vfs.udiag_vfs_dev, dev);
    }
  }
  return false;
}

} // namespace

BoundSocket find_bound_unix_socket(dev_t dev, ino_t ino) {
  Fd nl(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
  if (!nl.valid()) {
    return BoundSocket::Unknown;
  }
  // The kernel answers a dump at once; the bound only keeps a broken kernel from hanging us.
  const timeval limit{1, 0};
  ::setsockopt(nl.get(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit));

  struct {
    nlmsghdr header;
    unix_diag_req body;
  } request{};
  request.header.nlmsg_len = sizeof(request);
  request.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  request.header.nlmsg_seq = 1;
  request.body.sdiag_family = AF_UNIX;
  // Every state: a bound datagram socket is not listening, and the state of each answer tells
  // a listening stream socket from a merely bound or accepted one.
  request.body.udiag_states = ~0U;
  request.body.udiag_show = UDIAG_SHOW_VFS;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (::sendto(nl.get(), &request, sizeof(request), 0, reinterpret_cast<sockaddr*>(&kernel),
               sizeof(kernel)) < 0) {
    return BoundSocket::Unknown;
  }

  // Aligned for nlmsghdr; 32 KiB holds a few hundred answers per read.
  alignas(nlmsghdr) std::array<char, 32768> buf{};
  for (;;) {
    const ssize_t n = ::recv(nl.get(), buf.data(), buf.size(), 0);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return BoundSocket::Unknown;
    }
    int left = static_cast<int>(n);
    for (auto* h = reinterpret_cast<nlmsghdr*>(buf.data()); NLMSG_OK(h, left);
         h = NLMSG_NEXT(h, left)) {
      if (h->nlmsg_type == NLMSG_DONE) {
        return BoundSocket::None;
      }
      if (h->nlmsg_type == NLMSG_ERROR) {
        return BoundSocket::Unknown;
      }
      if (h->nlmsg_type == SOCK_DIAG_BY_FAMILY && is_live_match(h, dev, ino)) {
        return BoundSocket::Live; // closing the netlink socket drops the rest of the dump
      }
    }
  }
}

bool socket_file_is_stale(const std::string& path, const sockaddr* addr, socklen_t len, int type,
                          const std::string& what, struct stat& st) {
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      return false;
    }
    throw_errno(what, errno);
  }
  if (!S_ISSOCK(st.st_mode)) {
    throw Error(what, "a " + file_type_name(st.st_mode) +
                          " is in the way (only a stale socket is ever replaced)");
  }
  // The kernel's socket list tells without connecting: a connect() would be a client to the
  // live listener, and a one-client listener would take it for its session.
  if (find_bound_unix_socket(st.st_dev, st.st_ino) == BoundSocket::Live) {
    throw Error(what, errno_text(EADDRINUSE));
  }
  // Not in the list (or no list: sock_diag unavailable). The list holds only this network
  // namespace's sockets, so a listener in another one sharing the directory (a container)
  // would be missing from it: a connect() settles it. Where sock_diag answered, only such a
  // hidden listener can see this connection; without sock_diag a live listener here does see
  // it, and it ignores a connection that closes without sending data.
  Fd probe(::socket(AF_UNIX, type | SOCK_CLOEXEC, 0));
  if (!probe.valid()) {
    throw_errno(what, errno);
  }
  if (::connect(probe.get(), addr, len) == 0) {
    throw Error(what, errno_text(EADDRINUSE));
  }
  if (errno != ECONNREFUSED) {
    throw_errno(what, errno);
  }
  return true;
}

} // namespace ipcat
