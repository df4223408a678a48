// -z: probing TCP or UDP ports in parallel and reporting them as nc.openbsd does.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "duration.hpp"
#include "endpoint_types.hpp"
#include "sockopts.hpp"

namespace ipcat {

/// One scan: a host, its ports and how to probe them.
struct ScanRequest {
  std::string host;                 ///< as written (shown in the lines, with its address)
  std::vector<std::uint16_t> ports; ///< in the order to report them
  bool udp = false;                 ///< -u: probe with a datagram
  Family family = Family::Any;      ///< -4 / -6
  SocketOptions sock;               ///< -n, -T, -M, -I, -O
  std::string source_host;          ///< -s
  std::string source_port;          ///< -p
  Duration timeout;                 ///< -w: each probe's limit
  bool verbose = false;             ///< -v: a line per port
};

/// Probes every port, at most 64 at a time, each within the timeout; with verbose, prints a
/// line per port in order on stderr, in nc.openbsd's words. Returns 0 when a port is open, 1
/// when none is; throws Error when the host does not resolve.
asio::awaitable<int> run_scan(asio::io_context& io, const ScanRequest& r);

} // namespace ipcat
