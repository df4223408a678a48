// The table of endpoint kinds, the descriptive half: a row per kind with its names, its role,
// what it can do, the address options it takes, its --help line and how its ARGS are read.
// The address parser, the option checks and --help read this table; nothing else lists kinds.
// The other half (how a kind is opened) lives with the endpoints, which this file never
// includes, so the parsers build (and are fuzzed) alone.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ipcat {

/// What kind of endpoint an address names: the identity of a row of the table.
enum class AddressKind {
  Stdio,
  Unix,
  UnixListen,
  UnixDgram,
  UnixDgramListen,
  Tcp,
  TcpListen,
  Tls,
  TlsListen,
  Udp,
  UdpListen,
  Fifo,
  File,
  Exec,
  Pty,
  Serial,
  Uuid,
  AcceptFd,
  Fd,
};

/// Address family restriction for TCP and UDP (-4, -6, tcp4:, tcp6:).
enum class Family { Any, V4, V6 };

/// Which way data flows through an endpoint of a kind.
enum class Role {
  Duplex, ///< read and written (sockets, stdio, a child)
  Source, ///< read only (the generator): it must be the first address
  Sink,   ///< written only
  OneWay, ///< read when it is the first address, written when it is the second (fifo, file)
};

/// What an endpoint of a kind does.
struct Capabilities {
  bool listens = false;      ///< waits for a peer (accept, or the first datagram)
  bool connects = false;     ///< reaches out to a peer
  bool datagram = false;     ///< each write is one message
  bool line_source = false;  ///< reads yield whole lines
  bool zero_copy = false;    ///< plain descriptors: splice/sendfile may move its bytes
  bool socket = false;       ///< a socket (--no-shutdown, half-close apply)
  bool unix_domain = false;  ///< a Unix-domain socket (a path or @NAME)
  bool inet = false;         ///< a TCP or UDP socket (HOST, PORT, -4/-6)
  bool creates_file = false; ///< makes a file system object (socket file, FIFO): mode applies
  bool shared = false;       ///< one per process (stdin and stdout): a -k listener shares it
                             ///< among its clients (the hub) instead of opening one each
};

/// How the ARGS of TYPE:ARGS are read.
enum class ArgSyntax {
  None,           ///< no argument (stdio)
  Path,           ///< a file or socket path (a Unix one may be @NAME)
  HostPort,       ///< HOST:PORT, [V6]:PORT
  ListenHostPort, ///< [HOST:]PORT, port 0 allowed
  Command,        ///< everything after the colon, commas included
  UuidVersion,    ///< none, v1, v3, v4, v5 or v7
  Descriptor,     ///< an inherited descriptor's number (its socket's family shows when opened)
};

/// The kind of value an address option takes.
enum class OptionValue {
  None,      ///< a flag: "follow"
  Mode,      ///< an octal permission: "mode=600"
  Count,     ///< a whole number: "count=10"
  Time,      ///< a duration: "interval=250ms"
  Path,      ///< a file or socket path: "bind=/tmp/me.sock"
  Namespace, ///< a UUID namespace: "namespace=@dns"
  Text,      ///< any text without a comma: "name=example.com"
  Proxy,     ///< a proxy setting, read by the proxy layer: "proxy=socks5://h:1080"
};

/// One address option ipcat knows (",name[=value]").
struct AddressOption {
  std::string_view name;
  OptionValue value;
  std::string_view usage; ///< for --help: "mode=OCTAL"
};

/// A name an address may use for a kind; an alias may pin the family (tcp4:, udp6-listen:).
struct TypeName {
  std::string_view name;
  Family family = Family::Any;
};

/// A row of the table: everything the parsers, the checks and --help know about a kind.
struct EndpointType {
  AddressKind kind = AddressKind::Stdio;
  TypeName name;                           ///< the canonical name (messages, describe())
  std::vector<TypeName> aliases{};         ///< other names (socat's, family-pinned ones)
  Role role = Role::Duplex;                ///< which way data flows
  Capabilities caps{};                     ///< what it does
  ArgSyntax args = ArgSyntax::None;        ///< how its ARGS are read
  std::vector<std::string_view> options{}; ///< the address options it takes, in help order
  AddressKind target = AddressKind::Stdio; ///< the same socket without listen/connect
  std::string_view usage;                  ///< the --help column: "unix-listen:PATH"
  std::string_view help;                   ///< the --help description
  std::string_view layer{};                ///< a layer every address of the kind has ("tls")
};

/// Every endpoint kind, a row each, in --help order.
const std::vector<EndpointType>& endpoint_types();

/// The row of a kind.
const EndpointType& endpoint_type(AddressKind kind);

/// The row whose name or alias is name (case-insensitive), or nullptr; family receives the
/// family the name pins (Any for most).
const EndpointType* find_endpoint_type(std::string_view name, Family* family = nullptr);

/// Every address option ipcat knows, in --help order.
const std::vector<AddressOption>& address_options();

/// The option called name (already lowercase), or nullptr.
const AddressOption* find_address_option(std::string_view name);

/// True when the row takes the address option name.
bool takes_option(const EndpointType& type, std::string_view name);

/// The "Addresses" part of --help, generated from the table.
std::string address_help();

} // namespace ipcat
