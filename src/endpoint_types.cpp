#include "endpoint_types.hpp"

#include <algorithm>
#include <cctype>

namespace ipcat {

namespace {

// Adding a kind: a row here (and its AddressKind), its open function where the endpoints are
// opened, and a test. The parser, the option checks and --help follow from the row.
std::vector<EndpointType> make_table() {
  using A = AddressKind;
  return {
      {A::Stdio, {"stdio"}, {}, Role::Duplex, {.zero_copy = true}, ArgSyntax::None, {}, A::Stdio,
       "-, stdio", "stdin and stdout"},
      {A::Unix, {"unix"}, {{"unix-connect"}}, Role::Duplex,
       {.connects = true, .zero_copy = true, .socket = true, .unix_domain = true},
       ArgSyntax::Path, {}, A::Unix, "unix:PATH",
       "Unix stream socket: connect (@NAME: abstract)"},
      {A::UnixListen, {"unix-listen"}, {}, Role::Duplex,
       {.listens = true, .zero_copy = true, .socket = true, .unix_domain = true,
        .creates_file = true},
       ArgSyntax::Path, {"mode"}, A::Unix, "unix-listen:PATH", "Unix stream socket: listen"},
      {A::UnixDgram, {"unix-dgram"}, {{"unix-sendto"}}, Role::Duplex,
       {.connects = true, .datagram = true, .socket = true, .unix_domain = true},
       ArgSyntax::Path, {"bind"}, A::UnixDgram, "unix-dgram:PATH", "Unix datagram socket: send"},
      {A::UnixDgramListen, {"unix-dgram-listen"}, {{"unix-recvfrom"}}, Role::Duplex,
       {.listens = true, .datagram = true, .socket = true, .unix_domain = true,
        .creates_file = true},
       ArgSyntax::Path, {"mode"}, A::UnixDgram, "unix-dgram-listen:PATH",
       "Unix datagram socket: receive"},
      {A::Tcp, {"tcp"}, {{"tcp-connect"}, {"tcp4", Family::V4}, {"tcp6", Family::V6}},
       Role::Duplex, {.connects = true, .zero_copy = true, .socket = true, .inet = true},
       ArgSyntax::HostPort, {}, A::Tcp, "tcp:HOST:PORT", "TCP: connect ([::1]:80 for IPv6)"},
      {A::TcpListen, {"tcp-listen"}, {{"tcp4-listen", Family::V4}, {"tcp6-listen", Family::V6}},
       Role::Duplex, {.listens = true, .zero_copy = true, .socket = true, .inet = true},
       ArgSyntax::ListenHostPort, {}, A::Tcp, "tcp-listen:[HOST:]PORT", "TCP: listen"},
      {A::Udp, {"udp"}, {{"udp-connect"}, {"udp4", Family::V4}, {"udp6", Family::V6}},
       Role::Duplex, {.connects = true, .datagram = true, .socket = true, .inet = true},
       ArgSyntax::HostPort, {}, A::Udp, "udp:HOST:PORT", "UDP: send"},
      {A::UdpListen, {"udp-listen"}, {{"udp4-listen", Family::V4}, {"udp6-listen", Family::V6}},
       Role::Duplex, {.listens = true, .datagram = true, .socket = true, .inet = true},
       ArgSyntax::ListenHostPort, {}, A::Udp, "udp-listen:[HOST:]PORT", "UDP: receive"},
      {A::Fifo, {"fifo"}, {{"pipe"}}, Role::OneWay, {.creates_file = true}, ArgSyntax::Path,
       {"mode", "once"}, A::Fifo, "fifo:PATH", "named pipe, created if missing"},
      {A::File, {"file"}, {}, Role::OneWay, {.line_source = true}, ArgSyntax::Path, {"follow"},
       A::File, "file:PATH", "shared file: locked appends"},
      {A::Exec, {"exec"}, {{"system"}}, Role::Duplex, {.zero_copy = true}, ArgSyntax::Command, {},
       A::Exec, "exec:COMMAND", "a child run by /bin/sh -c COMMAND"},
      {A::Uuid, {"uuid"}, {}, Role::Source, {.line_source = true}, ArgSyntax::UuidVersion,
       {"count", "interval"}, A::Uuid, "uuid, uuid:v4, uuid:v7", "UUID generator, a source"},
  };
}

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Appends words to out, wrapped before column 79, each new line starting with indent.
void append_wrapped(std::string& out, const std::string& first, const std::vector<std::string>& words,
                    const std::string& indent) {
  std::string line = first;
  for (const auto& w : words) {
    if (line.size() + 1 + w.size() > 78) {
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
    if (!t.options.empty()) {
      line += " (option";
      line += t.options.size() > 1 ? "s: " : ": ";
      for (std::size_t i = 0; i < t.options.size(); ++i) {
        line += (i == 0 ? "" : ", ") + std::string(t.options[i]);
      }
      line += ")";
    }
    out += line + "\n";
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
