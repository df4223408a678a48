#include "endpoint_types.hpp"

#include <algorithm>
#include <cctype>

namespace ipcat {

namespace {

// The TLS options a stream socket takes, after the kind's own (the layer: tls.cpp and
// tls_options.cpp).
std::vector<std::string_view> tls_options(std::vector<std::string_view> own = {}) {
  for (std::string_view o :
       {"tls", "cert", "key", "cafile", "verify", "servername", "alpn", "pin", "ciphers"}) {
    own.push_back(o);
  }
  return own;
}

// Adding a kind: a row here (and its AddressKind), its open function where the endpoints are
// opened, and a test. The parser, the option checks and --help follow from the row.
std::vector<EndpointType> make_table() {
  using A = AddressKind;
  return {
      {.kind = A::Stdio,
       .name = TypeName{"stdio"},
       .role = Role::Duplex,
       .caps = {.zero_copy = true, .shared = true},
       .args = ArgSyntax::None,
       .options = {"raw", "escape"},
       .target = A::Stdio,
       .usage = "-, stdio",
       .help = "stdin and stdout"},
      {.kind = A::Unix,
       .name = TypeName{"unix"},
       .aliases = {TypeName{"unix-connect"}},
       .role = Role::Duplex,
       .caps = {.connects = true, .zero_copy = true, .socket = true, .unix_domain = true},
       .args = ArgSyntax::Path,
       .options = tls_options(),
       .target = A::Unix,
       .usage = "unix:PATH",
       .help = "Unix stream socket: connect (@NAME: abstract)"},
      {.kind = A::UnixListen,
       .name = TypeName{"unix-listen"},
       .role = Role::Duplex,
       .caps = {.listens = true,
                .zero_copy = true,
                .socket = true,
                .unix_domain = true,
                .creates_file = true},
       .args = ArgSyntax::Path,
       .options = tls_options({"mode"}),
       .target = A::Unix,
       .usage = "unix-listen:PATH",
       .help = "Unix stream socket: listen"},
      {.kind = A::UnixDgram,
       .name = TypeName{"unix-dgram"},
       .aliases = {TypeName{"unix-sendto"}},
       .role = Role::Duplex,
       .caps = {.connects = true, .datagram = true, .socket = true, .unix_domain = true},
       .args = ArgSyntax::Path,
       .options = {"bind"},
       .target = A::UnixDgram,
       .usage = "unix-dgram:PATH",
       .help = "Unix datagram socket: send"},
      {.kind = A::UnixDgramListen,
       .name = TypeName{"unix-dgram-listen"},
       .aliases = {TypeName{"unix-recvfrom"}},
       .role = Role::Duplex,
       .caps = {.listens = true,
                .datagram = true,
                .socket = true,
                .unix_domain = true,
                .creates_file = true},
       .args = ArgSyntax::Path,
       .options = {"mode"},
       .target = A::UnixDgram,
       .usage = "unix-dgram-listen:PATH",
       .help = "Unix datagram socket: receive"},
      {.kind = A::Tcp,
       .name = TypeName{"tcp"},
       .aliases = {TypeName{"tcp-connect"}, TypeName{"tcp4", Family::V4},
                   TypeName{"tcp6", Family::V6}, TypeName{"socks4"}, TypeName{"socks4a"},
                   TypeName{"socks5"}, TypeName{"proxy"}},
       .role = Role::Duplex,
       .caps = {.connects = true, .zero_copy = true, .socket = true, .inet = true},
       .args = ArgSyntax::HostPort,
       .options = tls_options({"proxy", "proxy-dns", "socksport", "proxyport", "proxyauth"}),
       .target = A::Tcp,
       .usage = "tcp:HOST:PORT",
       .help = "TCP: connect ([::1]:80 for IPv6)"},
      {.kind = A::TcpListen,
       .name = TypeName{"tcp-listen"},
       .aliases = {TypeName{"tcp4-listen", Family::V4}, TypeName{"tcp6-listen", Family::V6}},
       .role = Role::Duplex,
       .caps = {.listens = true, .zero_copy = true, .socket = true, .inet = true},
       .args = ArgSyntax::ListenHostPort,
       .options = tls_options(),
       .target = A::Tcp,
       .usage = "tcp-listen:[HOST:]PORT",
       .help = "TCP: listen"},
      {.kind = A::Tls,
       .name = TypeName{"tls"},
       .aliases = {TypeName{"openssl"}, TypeName{"openssl-connect"}},
       .role = Role::Duplex,
       .caps = {.connects = true, .socket = true, .inet = true},
       .args = ArgSyntax::HostPort,
       .options = tls_options({"proxy", "proxy-dns"}),
       .target = A::Tcp,
       .usage = "tls:HOST:PORT",
       .help = "TLS over TCP: connect (tcp:HOST:PORT,tls)",
       .layer = "tls"},
      {.kind = A::TlsListen,
       .name = TypeName{"tls-listen"},
       .aliases = {TypeName{"openssl-listen"}},
       .role = Role::Duplex,
       .caps = {.listens = true, .socket = true, .inet = true},
       .args = ArgSyntax::ListenHostPort,
       .options = tls_options(),
       .target = A::Tcp,
       .usage = "tls-listen:[HOST:]PORT",
       .help = "TLS over TCP: listen (tcp-listen:[HOST:]PORT,tls)",
       .layer = "tls"},
      {.kind = A::Udp,
       .name = TypeName{"udp"},
       .aliases = {TypeName{"udp-connect"}, TypeName{"udp4", Family::V4},
                   TypeName{"udp6", Family::V6}},
       .role = Role::Duplex,
       .caps = {.connects = true, .datagram = true, .socket = true, .inet = true},
       .args = ArgSyntax::HostPort,
       .target = A::Udp,
       .usage = "udp:HOST:PORT",
       .help = "UDP: send"},
      {.kind = A::UdpListen,
       .name = TypeName{"udp-listen"},
       .aliases = {TypeName{"udp4-listen", Family::V4}, TypeName{"udp6-listen", Family::V6}},
       .role = Role::Duplex,
       .caps = {.listens = true, .datagram = true, .socket = true, .inet = true},
       .args = ArgSyntax::ListenHostPort,
       .target = A::Udp,
       .usage = "udp-listen:[HOST:]PORT",
       .help = "UDP: receive"},
      {.kind = A::Fifo,
       .name = TypeName{"fifo"},
       .aliases = {TypeName{"pipe"}},
       .role = Role::OneWay,
       .caps = {.creates_file = true},
       .args = ArgSyntax::Path,
       .options = {"mode", "once"},
       .target = A::Fifo,
       .usage = "fifo:PATH",
       .help = "named pipe, created if missing"},
      {.kind = A::File,
       .name = TypeName{"file"},
       .role = Role::OneWay,
       .caps = {.line_source = true},
       .args = ArgSyntax::Path,
       .options = {"follow"},
       .target = A::File,
       .usage = "file:PATH",
       .help = "shared file: locked appends"},
      {.kind = A::Exec,
       .name = TypeName{"exec"},
       .aliases = {TypeName{"system"}},
       .role = Role::Duplex,
       .caps = {.zero_copy = true},
       .args = ArgSyntax::Command,
       .options = {"pty", "stderr"},
       .target = A::Exec,
       .usage = "exec:COMMAND",
       .help = "a child run by /bin/sh -c COMMAND"},
      {.kind = A::Pty,
       .name = TypeName{"pty"},
       .role = Role::Duplex,
       .args = ArgSyntax::None,
       .options = {"link"},
       .target = A::Pty,
       .usage = "pty",
       .help = "a new pseudo-terminal (-v: slave)"},
      {.kind = A::Serial,
       .name = TypeName{"serial"},
       .role = Role::Duplex,
       .args = ArgSyntax::Path,
       .options = {"speed", "databits", "parity", "stopbits", "flow"},
       .target = A::Serial,
       .usage = "serial:PATH",
       .help = "a serial line (termios), 8N1 unless said"},
      {.kind = A::Uuid,
       .name = TypeName{"uuid"},
       .role = Role::Source,
       .caps = {.line_source = true},
       .args = ArgSyntax::UuidVersion,
       .options = {"count", "interval", "namespace", "name"},
       .target = A::Uuid,
       .usage = "uuid, uuid:v1|v3|v4|v5|v7",
       .help = "UUID generator (default v4), a source"},
      // Socket activation (systemd, inetd): descriptors ipcat was started with.
      {.kind = A::AcceptFd,
       .name = TypeName{"accept-fd"},
       .role = Role::Duplex,
       .caps = {.listens = true, .zero_copy = true, .socket = true},
       .args = ArgSyntax::Descriptor,
       .target = A::Fd,
       .usage = "accept-fd:N",
       .help = "accept on inherited listening socket N"},
      {.kind = A::Fd,
       .name = TypeName{"fd"},
       .role = Role::Duplex,
       .caps = {.zero_copy = true},
       .args = ArgSyntax::Descriptor,
       .target = A::Fd,
       .usage = "fd:N",
       .help = "inherited descriptor N (a connected socket...)"},
  };
}

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Appends words to out, wrapped so no line passes width, each new line starting with indent.
void append_wrapped(std::string& out, const std::string& first,
                    const std::vector<std::string>& words, const std::string& indent,
                    std::size_t width = 78) {
  std::string line = first;
  for (const auto& w : words) {
    if (line.size() + 1 + w.size() > width) {
      out += line + "\n";
      line = indent + w;
    } else {
      line += (line.empty() || line.back() == ' ' ? "" : " ") + w;
    }
  }
  out += line + "\n";
}

} // namespace

const std::vector<EndpointType>& endpoint_types() {
  static const std::vector<EndpointType> table = make_table();
  return table;
}

const EndpointType& endpoint_type(AddressKind kind) {
  const auto& table = endpoint_types();
  const auto it = std::find_if(table.begin(), table.end(),
                               [kind](const EndpointType& t) { return t.kind == kind; });
  // Every AddressKind has a row (a unit test checks it), so this never falls off the end.
  return it != table.end() ? *it : table.front();
}

const EndpointType* find_endpoint_type(std::string_view name, Family* family) {
  for (const auto& t : endpoint_types()) {
    if (same_name(t.name.name, name)) {
      if (family != nullptr) {
        *family = t.name.family;
      }
      return &t;
    }
    for (const auto& alias : t.aliases) {
      if (same_name(alias.name, name)) {
        if (family != nullptr) {
          *family = alias.family;
        }
        return &t;
      }
    }
  }
  return nullptr;
}

const std::vector<AddressOption>& address_options() {
  static const std::vector<AddressOption> options{
      {"mode", OptionValue::Mode, "mode=OCTAL"},
      {"count", OptionValue::Count, "count=N"},
      {"interval", OptionValue::Time, "interval=DUR"},
      {"follow", OptionValue::None, "follow"},
      {"once", OptionValue::None, "once"},
      {"bind", OptionValue::Path, "bind=PATH"},
      {"namespace", OptionValue::Namespace, "namespace=NS"},
      {"name", OptionValue::Text, "name=NAME"},
      // The terminal kinds' options: parsed by terminal_options.cpp.
      {"raw", OptionValue::None, "raw"},
      {"escape", OptionValue::Text, "escape=^X"},
      {"pty", OptionValue::None, "pty"},
      {"link", OptionValue::Path, "link=PATH"},
      {"speed", OptionValue::Count, "speed=BAUD"},
      {"databits", OptionValue::Count, "databits=5-8"},
      {"parity", OptionValue::Text, "parity=none|even|odd"},
      {"stopbits", OptionValue::Count, "stopbits=1|2"},
      {"flow", OptionValue::Text, "flow=none|rtscts|xonxoff"},
      {"proxy", OptionValue::Proxy, "proxy=URL"},
      {"proxy-dns", OptionValue::Proxy, "proxy-dns=MODE"},
      {"socksport", OptionValue::Proxy, "socksport=PORT"},
      {"proxyport", OptionValue::Proxy, "proxyport=PORT"},
      {"proxyauth", OptionValue::Proxy, "proxyauth=USER:PASS"},
      {"stderr", OptionValue::None, "stderr"},
      {"tls", OptionValue::None, "tls"},
      {"cert", OptionValue::Path, "cert=FILE"},
      {"key", OptionValue::Path, "key=FILE"},
      {"cafile", OptionValue::Path, "cafile=FILE"},
      {"verify", OptionValue::Text, "verify=0|1"},
      {"servername", OptionValue::Text, "servername=NAME"},
      {"alpn", OptionValue::Text, "alpn=LIST"},
      {"pin", OptionValue::Text, "pin=SHA256:HEX"},
      {"ciphers", OptionValue::Text, "ciphers=LIST"},
  };
  return options;
}

const AddressOption* find_address_option(std::string_view name) {
  for (const auto& o : address_options()) {
    if (o.name == name) {
      return &o;
    }
  }
  return nullptr;
}

bool takes_option(const EndpointType& type, std::string_view name) {
  return std::find(type.options.begin(), type.options.end(), name) != type.options.end();
}

std::string address_help() {
  std::string out =
      "Addresses (TYPE:ARGS[,opt[=value]]...; one ADDRESS pairs with the local side):\n";
  for (const auto& t : endpoint_types()) {
    std::string line = "  " + std::string(t.usage);
    line.resize(std::max<std::size_t>(line.size() + 1, 28), ' ');
    line += t.help;
    if (t.options.empty()) {
      out += line + "\n";
      continue;
    }
    // The options follow the description, wrapped under it when they would pass column 80.
    std::vector<std::string> words{t.options.size() > 1 ? "(options:" : "(option:"};
    for (std::size_t i = 0; i < t.options.size(); ++i) {
      words.push_back(std::string(t.options[i]) + (i + 1 < t.options.size() ? "," : ")"));
    }
    append_wrapped(out, line, words, std::string(30, ' '), 80);
  }
  std::vector<std::string> words;
  for (const auto& o : address_options()) {
    words.push_back(std::string(o.usage) + (&o == &address_options().back() ? "" : ","));
  }
  append_wrapped(out, "  Address options:", words, "    ");
  words.clear();
  for (const auto& t : endpoint_types()) {
    for (const auto& alias : t.aliases) {
      words.push_back(std::string(alias.name) + ":");
    }
  }
  append_wrapped(out, "  Also accepted:", words, "    ");
  return out;
}

} // namespace ipcat
