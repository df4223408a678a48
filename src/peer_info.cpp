#include "peer_info.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <cstring>
#include <netinet/in.h>
#include <sys/un.h>

namespace ipcat {

namespace {

// The host and port of an inet address as text, IPv4-mapped IPv6 addresses shown as IPv4 (a
// dual-stack listener's IPv4 clients): what a script compares with 127.0.0.1.
std::pair<std::string, std::string> split_address(const sockaddr* sa, socklen_t len) {
  char host[INET6_ADDRSTRLEN] = {};
  if (sa->sa_family == AF_INET && len >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
    ::inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
    return {host, std::to_string(ntohs(in->sin_port))};
  }
  if (sa->sa_family == AF_INET6 && len >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
    if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
      ::inet_ntop(AF_INET, &in6->sin6_addr.s6_addr[12], host, sizeof(host));
    } else {
      ::inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
    }
    return {host, std::to_string(ntohs(in6->sin6_port))};
  }
  if (sa->sa_family == AF_UNIX) {
    const auto* un = reinterpret_cast<const sockaddr_un*>(sa);
    const auto path_len = len > static_cast<socklen_t>(offsetof(sockaddr_un, sun_path))
                              ? static_cast<std::size_t>(len) - offsetof(sockaddr_un, sun_path)
                              : 0;
    if (path_len == 0) {
      return {"", ""}; // an unnamed socket (a client that did not bind)
    }
    if (un->sun_path[0] == '\0') {
      return {"@" + std::string(un->sun_path + 1, path_len - 1), ""};
    }
    return {std::string(un->sun_path, strnlen(un->sun_path, path_len)), ""};
  }
  return {"", ""};
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

} // namespace

void set_peer_address(PeerInfo& info, const sockaddr* sa, socklen_t len) {
  auto [host, port] = split_address(sa, len);
  info.peer_addr = std::move(host);
  info.peer_port = std::move(port);
}

std::optional<PeerInfo> peer_info_of_socket(int fd) {
  int type = 0;
  socklen_t tlen = sizeof(type);
  sockaddr_storage local{};
  socklen_t llen = sizeof(local);
  if (fd < 0 || ::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &llen) != 0) {
    return std::nullopt;
  }
  PeerInfo info;
  const bool dgram = type == SOCK_DGRAM;
  const bool unix_socket = local.ss_family == AF_UNIX;
  info.proto = unix_socket ? (dgram ? "unix-dgram" : "unix") : (dgram ? "udp" : "tcp");
  auto [lhost, lport] = split_address(reinterpret_cast<sockaddr*>(&local), llen);
  info.local_addr = std::move(lhost);
  info.local_port = std::move(lport);
  sockaddr_storage peer{};
  socklen_t plen = sizeof(peer);
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &plen) == 0) {
    set_peer_address(info, reinterpret_cast<sockaddr*>(&peer), plen);
  } else if (dgram) {
    // A datagram listener answers whoever spoke last; the first datagram is still waiting.
    char byte = 0;
    plen = sizeof(peer);
    if (::recvfrom(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&peer),
                   &plen) >= 0) {
      set_peer_address(info, reinterpret_cast<sockaddr*>(&peer), plen);
    }
  }
  if (unix_socket) {
    ucred cred{};
    socklen_t clen = sizeof(cred);
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) == 0 && cred.pid > 0) {
      info.cred = PeerCredentials{cred.pid, cred.uid, cred.gid};
    }
  }
  return info;
}

std::vector<std::pair<std::string, std::string>> peer_environment(const PeerInfo& info) {
  std::vector<std::pair<std::string, std::string>> env{
      {"IPCAT_PEER_ADDR", info.peer_addr},   {"IPCAT_PEER_PORT", info.peer_port},
      {"IPCAT_LOCAL_ADDR", info.local_addr}, {"IPCAT_LOCAL_PORT", info.local_port},
      {"IPCAT_PROTO", info.proto},
  };
  if (info.cred) {
    env.emplace_back("IPCAT_PEER_UID", std::to_string(info.cred->uid));
    env.emplace_back("IPCAT_PEER_GID", std::to_string(info.cred->gid));
    env.emplace_back("IPCAT_PEER_PID", std::to_string(info.cred->pid));
  }
  env.emplace_back("NCAT_REMOTE_ADDR", info.peer_addr);
  env.emplace_back("NCAT_REMOTE_PORT", info.peer_port);
  env.emplace_back("NCAT_LOCAL_ADDR", info.local_addr);
  env.emplace_back("NCAT_LOCAL_PORT", info.local_port);
  env.emplace_back("NCAT_PROTO", upper(info.proto == "unix-dgram" ? "unix" : info.proto));
  return env;
}

} // namespace ipcat
