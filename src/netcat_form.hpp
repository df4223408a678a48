// Internal to the command-line parser (options.cpp and netcat_form.cpp): the flags as CLI11
// fills them in, and the netcat form that turns -l/-U/-u, -s/-p and the positional words into
// the pair of addresses.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "address.hpp"
#include "options.hpp"
#include "proxy_options.hpp"
#include "result.hpp"
#include "tls_flags.hpp"

namespace ipcat {

/// What CLI11 fills in; turned into Options (and checked) by build_options.
struct RawFlags {
  bool listen = false;
  bool unix_socket = false;
  bool udp = false;
  bool keep_open = false;
  bool ipv4 = false;
  bool ipv6 = false;
  bool nc_shutdown = false;
  bool no_shutdown = false;
  bool zero_io = false;
  bool recv_only = false;
  bool send_only = false;
  bool uuid = false;
  bool echo = false;
  bool retry = false;
  bool verbose = false;
  bool stats = false;
  bool help = false;
  bool version = false;
  bool exec_given = false;
  bool uuid_name_given = false;      ///< --name given (its value may be empty)
  bool uuid_namespace_given = false; ///< --namespace given
  std::string source_host;
  std::string source_port;
  std::string quit_after;
  std::string connect_timeout;
  std::string idle_timeout;
  std::string exec_argv;
  std::string exec_shell;
  std::string uuid_version;
  std::string uuid_name;
  std::string uuid_namespace;
  std::string count;
  std::string interval;
  std::string retry_count;
  std::string retry_interval;
  std::string mode;
  std::vector<std::string> allow_uid;
  std::vector<std::string> allow_gid;
  std::vector<std::string> allow;
  std::vector<std::string> deny;
  std::vector<std::string> positionals;
  bool pty = false;      ///< --pty: the child of -e/-c on a pseudo-terminal
  bool raw = false;      ///< --raw: the local terminal in raw mode
  std::string escape;    ///< --escape KEY (with --raw)
  std::string max_conns; ///< -m, --max-conns
  bool broker = false;   ///< --broker
  bool chat = false;     ///< --chat
  // Seeing and shaping the stream.
  bool progress = false;
  bool crlf = false;
  bool hex_dump_given = false;
  bool output_given = false;
  bool append_output_given = false;
  std::string hex_dump;
  std::string output;
  std::string append_output;
  std::string delay;
  std::string rate;
  ProxyFlags proxy; ///< -x, -X, -P, --proxy, --proxy-type, --proxy-auth, --proxy-dns
  // nc.openbsd's socket flags and the child's stderr.
  bool numeric = false;      ///< -n
  bool broadcast = false;    ///< -b
  bool child_stderr = false; ///< --stderr
  std::string tos;           ///< -T
  std::string ttl;           ///< -M
  std::string rcvbuf;        ///< -I
  std::string sndbuf;        ///< -O
  TlsFlags tls;              ///< --ssl and --ssl-*
};

/// The local side the netcat form (and a single address) pairs with: stdio, --uuid, -e or -c.
Result<Address> local_side(const RawFlags& f);

/// The two forms of the command line: netcat words (HOST PORT, PATH) or socat-style addresses.
enum class Form { Netcat, Addresses };

/// Which form the positional words take; a "TYPE:..." word beside -l, -U or -u is an error.
Result<Form> detect_form(const RawFlags& f);

/// The netcat form: o.left is the local side, o.right the address -l/-U/-u and the words name.
std::optional<UsageError> build_netcat_pair(const RawFlags& f, const Address& local, Options& o);

} // namespace ipcat
