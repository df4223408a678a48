// The netcat form of the command line: from -l, -U, -u, -s, -p and the positional HOST PORT or
// PATH words to the pair of addresses (the local side and the address they name), and the
// choice between that form and the socat-style address form.
#include "netcat_form.hpp"

#include <algorithm>

#include "activation_env.hpp"
#include "scan_ports.hpp"

namespace ipcat {

namespace {

// The netcat form: build the right-hand address from -l/-U/-u and the positionals.
Result<Address> netcat_address(const RawFlags& f, Options& o) {
  const auto& pos = f.positionals;
  Address a;
  if (f.unix_socket) {
    if (pos.size() != 1) {
      return pos.empty() ? fail("-U needs a socket path")
                         : fail("too many arguments for -U: expected one socket path");
    }
    a.kind = f.udp ? (f.listen ? AddressKind::UnixDgramListen : AddressKind::UnixDgram)
                   : (f.listen ? AddressKind::UnixListen : AddressKind::Unix);
    if (pos[0].empty()) {
      return fail("-U needs a socket path (got an empty word)");
    }
    a.path = pos[0];
    if (!f.source_host.empty()) {
      // -Uu -s PATH is unix-dgram:PATH,bind=SELF; -s is no inet source address any more.
      a.options.bind = f.source_host;
      a.written_options.emplace_back("bind", f.source_host);
      o.source_host.clear();
    }
    return a;
  }
  const char* proto = f.udp ? "udp" : "tcp";
  if (f.listen) {
    a.kind = f.udp ? AddressKind::UdpListen : AddressKind::TcpListen;
    std::string host = f.source_host;
    std::string port = f.source_port;
    if (pos.size() > 2) {
      return fail("too many arguments: expected [HOST] PORT with -l");
    }
    if (pos.size() == 2) {
      if (!host.empty()) {
        return fail("cannot use -s with a HOST argument");
      }
      host = pos[0];
    }
    if (!pos.empty()) {
      if (!port.empty()) {
        return fail("cannot use -p with a PORT argument");
      }
      port = pos.back();
    }
    if (port.empty() && host.empty() && pos.empty()) {
      if (auto fd = activated_socket()) {
        // Socket activation (LISTEN_FDS): -l alone serves the first socket passed.
        a.kind = AddressKind::AcceptFd;
        a.path = *fd;
        return a;
      }
    }
    if (port.empty()) {
      return fail("missing port to listen on");
    }
    auto p = parse_port(port, true, proto);
    if (!p) {
      return UsageError{p.error()};
    }
    a.host = host;
    a.port = *p;
    // -s/-p named the listening address here; they are not source options any more.
    o.source_host.clear();
    o.source_port.clear();
    return a;
  }
  if (pos.size() != 2) {
    if (pos.size() > 2) {
      return fail("too many arguments: expected HOST PORT");
    }
    return pos.empty() ? fail("missing destination: HOST PORT, -U PATH or an address")
                       : fail("missing port after '", pos[0], "'");
  }
  a.kind = f.udp ? AddressKind::Udp : AddressKind::Tcp;
  if (pos[0].empty()) {
    return fail("missing host (got an empty word)");
  }
  a.host = pos[0];
  if (!a.host.empty() && a.host.front() == '[' && a.host.back() == ']') {
    a.host = a.host.substr(1, a.host.size() - 2);
  }
  if (f.zero_io) {
    // -z scans: the port may be a list or a range (22,80,8000-8010).
    auto ports = parse_port_list(pos[1], proto);
    if (!ports) {
      return UsageError{ports.error()};
    }
    o.scan_ports = *ports;
    a.port = std::to_string(o.scan_ports.front());
    return a;
  }
  auto p = parse_port(pos[1], false, proto);
  if (!p) {
    return UsageError{p.error()};
  }
  a.port = *p;
  if (!f.source_port.empty()) {
    auto sp = parse_port(f.source_port, false, proto);
    if (!sp) {
      return fail("-p: ", sp.error());
    }
    o.source_port = *sp;
  }
  return a;
}

} // namespace

// The local side the netcat form (and a single address) pairs with.
Result<Address> local_side(const RawFlags& f) {
  Address a;
  if (f.uuid) {
    a.kind = AddressKind::Uuid;
    const auto version = f.uuid_version.empty() ? std::optional(UuidVersion::V4)
                                                : parse_uuid_version(f.uuid_version);
    if (!version) {
      return fail("invalid UUID version '", f.uuid_version, "' for --uuid (v1, v3, v4, v5 or v7)");
    }
    a.uuid = *version;
  } else if (!f.exec_argv.empty() || !f.exec_shell.empty()) {
    a.kind = AddressKind::Exec;
    a.shell = f.exec_argv.empty();
    a.path = a.shell ? f.exec_shell : f.exec_argv;
  }
  return a;
}

// Which form is it? Without netcat flags, words that read as addresses are addresses. With -U
// the word is a path ("pipe", "a:b"); with -l or -u a bare word is a host or port ("-l exec" is
// the exec service). A "TYPE:..." word beside those flags is a mix-up, said so.
Result<Form> detect_form(const RawFlags& f) {
  const auto& pos = f.positionals;
  const bool netcat_flags = f.listen || f.udp || f.unix_socket;
  const bool typed_word = std::any_of(pos.begin(), pos.end(), [&](const std::string& p) {
    return f.unix_socket ? has_known_type_prefix(p)
                         : p.find_first_of(":,") != std::string::npos && looks_like_address(p);
  });
  const bool addresses =
      !pos.empty() && pos.size() <= 2 &&
      (netcat_flags ? typed_word : std::all_of(pos.begin(), pos.end(), [](const std::string& p) {
        return looks_like_address(p);
      }));
  if (addresses && netcat_flags) {
    return fail("-l, -U and -u belong to the netcat form; with an address write the type "
                "(unix-listen:, tcp-listen:, udp:, ...)");
  }
  return addresses ? Form::Addresses : Form::Netcat;
}

// The netcat form: the local side and the address built from -l/-U/-u and the positionals.
std::optional<UsageError> build_netcat_pair(const RawFlags& f, const Address& local, Options& o) {
  // A word that names an unknown address type deserves that message, not "bad port" (with -U
  // the word is a path, whatever it looks like).
  for (const auto& p : f.positionals) {
    if (!f.unix_socket && p.find(':') != std::string::npos && looks_like_address(p)) {
      auto a = parse_address(p);
      if (!a) {
        return UsageError{a.error()};
      }
    }
  }
  if (f.uuid && !f.positionals.empty() && parse_uuid_version(f.positionals[0])) {
    return fail("--uuid takes its version with '=': write --uuid=", f.positionals[0]);
  }
  o.left = local;
  if (f.positionals.empty() && !f.listen && !f.unix_socket && f.source_port.empty() &&
      local.type().role == Role::Source) {
    o.right = Address{}; // a generator with no destination writes to stdout
    return std::nullopt;
  }
  auto right = netcat_address(f, o);
  if (!right) {
    return UsageError{right.error()};
  }
  o.right = *right;
  return std::nullopt;
}

} // namespace ipcat
