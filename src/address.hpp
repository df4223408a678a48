// Endpoint addresses: the socat-style TYPE:ARGS[,option[=value]]... syntax, parsed once into
// a plain value that the rest of ipcat builds endpoints from. The netcat flags are translated
// into the same values (see options.cpp), so there is one model of an endpoint.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "duration.hpp"
#include "endpoint_types.hpp"
#include "result.hpp"
#include "sockopts.hpp"
#include "terminal_options.hpp"
#include "tls_options.hpp"
#include "uuid.hpp"

namespace ipcat {

/// Per-endpoint options, from ",option=value" suffixes or from the global flags.
struct EndpointOptions {
  std::optional<unsigned> mode;            ///< permissions of a socket or FIFO we create
  std::optional<unsigned long long> count; ///< generators: stop after this many items
  std::optional<Duration> interval;        ///< generators: pause between items
  bool follow = false;                     ///< file: keep reading what is appended
  bool once = false;                       ///< fifo: stop at the first EOF
  std::string bind;                        ///< unix-dgram: the client's own socket path
  std::optional<UuidBytes> uuid_namespace; ///< uuid v3/v5: the namespace (--namespace)
  std::optional<std::string> uuid_name;    ///< uuid v3/v5: the name, maybe with %n (--name)
  TerminalOptions term;      ///< pty, exec's pty, stdio's raw mode, serial lines (--pty, --raw)
  SocketOptions sock;        ///< tcp/udp: -n, -b, -T, -M, -I, -O
  bool child_stderr = false; ///< exec: the child's stderr goes to the peer too
  /// exec: the session's variables for the child (IPCAT_PEER_ADDR, ...), set once the other
  /// side is connected; never written on the command line.
  std::vector<std::pair<std::string, std::string>> child_env;
  TlsSettings tls; ///< stream sockets: the TLS layer (tls, cert=, ...)
};

/// One parsed endpoint address.
struct Address {
  AddressKind kind = AddressKind::Stdio;
  std::string path;            ///< Unix path ("@name": abstract), FIFO or file path, command
  bool shell = true;           ///< exec: run path with /bin/sh -c (false: split into argv, -e)
  std::string host;            ///< TCP/UDP host; empty for "any" on a listener
  std::string port;            ///< TCP/UDP port number or service name
  Family family = Family::Any; ///< from tcp4:/tcp6: (the -4/-6 flags also set it)
  UuidVersion uuid = UuidVersion::V4;
  EndpointOptions options;
  /// The ",name[=value]" options as written, in order (the typed fields above hold their
  /// values): what a later layer such as ",proxy=...,tls" will be named by, in sequence.
  std::vector<std::pair<std::string, std::string>> written_options;

  /// The row of the endpoint table for this kind.
  [[nodiscard]] const EndpointType& type() const { return endpoint_type(kind); }

  /// True for the kinds that wait for a peer (unix-listen, tcp-listen, ...).
  [[nodiscard]] bool is_listener() const;
  /// True for TCP and UDP kinds.
  [[nodiscard]] bool is_inet() const;
  /// True for the Unix socket kinds.
  [[nodiscard]] bool is_unix() const;
  /// True for UDP and Unix datagram kinds.
  [[nodiscard]] bool is_datagram() const;
  /// True for a Unix socket in the abstract namespace ("@name"): no file is created.
  [[nodiscard]] bool is_abstract() const;
  /// The socket or file the address names, without listen/connect: "unix:/tmp/s" for
  /// unix-listen:/tmp/s, "tcp:[::1]:80" for tcp-listen:[::1]:80 (for messages).
  [[nodiscard]] std::string target() const;
  /// Canonical text for messages: "unix:/tmp/s", "tcp:example.com:80", "tcp-listen:[::1]:0".
  [[nodiscard]] std::string describe() const;
};

/// The generator's namespace and name agree with its version: v3 and v5 need both, the other
/// versions take neither (checked once the global --name and --namespace are carried over).
std::optional<UsageError> check_uuid_inputs(const Address& a);

/// Parses one address such as "unix-listen:/tmp/s,mode=600", "tcp:[::1]:80", "uuid:v7,count=3",
/// "-" or "stdio". Type names are case-insensitive.
Result<Address> parse_address(std::string_view text);

/// True when a command-line word is meant as an address rather than a netcat host or port:
/// "-", "stdio", "uuid", or TYPE: with a letter-led TYPE that is not part of an IPv6 literal.
bool looks_like_address(std::string_view text);

/// True when text starts with a known address type followed by ':' or ',' ("unix:/p").
bool has_known_type_prefix(std::string_view text);

/// Validates a port: a number 1-65535 (0 too when allow_zero, for listeners) or a known
/// service name for the protocol ("tcp" or "udp").
Result<std::string> parse_port(std::string_view text, bool allow_zero, const char* protocol);

/// The type name of a kind, as written in addresses ("unix-listen").
std::string_view kind_name(AddressKind kind);

} // namespace ipcat
