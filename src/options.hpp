// The command line, parsed once into a plain Options value (netcat flags and socat-style
// addresses both end up as two Address values: the left and the right endpoint).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "access.hpp"
#include "address.hpp"
#include "duration.hpp"
#include "result.hpp"
// usage_text() comes with the parser: whoever parses the command line prints it for -h, and
// tests/fuzz/run links usage.cpp with the options fuzzer through this include.
#include "usage.hpp"

namespace ipcat {

/// Everything the command line says, validated; conflicts are rejected by parse_options.
struct Options {
  Address left;                       ///< the local side (stdio, uuid, exec) or the first address
  Address right;                      ///< the network side or the second address
  bool keep_open = false;             ///< -k: keep accepting clients
  bool no_shutdown = false;           ///< --no-shutdown: never half-close on input EOF
  bool recv_only = false;             ///< -d: never read the left side's input
  bool send_only = false;             ///< --send-only: never write to the left side
  bool zero_io = false;               ///< -z: connect, then close
  bool echo = false;                  ///< --echo: copy bytes sent (left to right) to stderr
  bool verbose = false;               ///< -v: one-line events on stderr
  bool stats = false;                 ///< --stats: a summary line at exit
  Family family = Family::Any;        ///< -4 / -6
  std::string source_host;            ///< -s for connections
  std::string source_port;            ///< -p for connections
  std::optional<Duration> quit_after; ///< -q
  std::optional<Duration> connect_timeout;       ///< -w
  std::optional<Duration> idle_timeout;          ///< -i
  bool retry = false;                            ///< --retry given
  std::optional<unsigned long long> retry_count; ///< --retry=N (none: forever)
  Duration retry_interval = std::chrono::seconds(1);
  AccessPolicy access;  ///< --allow-uid, --allow-gid, --allow, --deny
  bool help = false;    ///< -h: print usage_text() and exit 0
  bool version = false; ///< -V: print the version and exit 0

  // Services.
  std::optional<unsigned long long> max_conns; ///< -m: at most this many clients at once (-k)
  bool broker = false; ///< --broker: every client's lines go to every other client (-lk)
  bool chat = false;   ///< --chat: --broker with each line prefixed by its sender (<user3>)
  // Seeing and shaping the stream.
  std::optional<std::string> hex_dump; ///< --hex-dump FILE: every chunk as hex ("-": stderr)
  std::optional<std::string> output;   ///< -o/--output, --append-output FILE: the raw bytes
  bool append_output = false;          ///< --append-output: output is appended to
  bool progress = false;               ///< --progress: a live meter on stderr
  bool crlf = false;                   ///< -C: LF becomes CRLF left to right
  std::optional<Duration> delay;       ///< --delay: a pause between writes, left to right
  std::optional<std::uint64_t> rate;   ///< --rate: bytes a second, left to right
  // nc.openbsd's socket flags and -z's port list.
  SocketOptions sockets;                 ///< -n, -b, -T, -M, -I, -O (also on each TCP/UDP end)
  std::vector<std::uint16_t> scan_ports; ///< -z in the netcat form: the ports, in order
};

/// Parses argv (without argv[0]) into Options, or a one-sentence usage error.
Result<Options> parse_options(const std::vector<std::string>& args);

} // namespace ipcat
