// libFuzzer target: the socat-style address parser (src/address.cpp).
//
// The input bytes are one address word. Every call must return (no crash, no sanitizer report,
// no exception), and what parse_address accepts must satisfy the invariants below, each of which
// follows from the code (the comments say why), so a failure is a bug in src/, not noise:
//   - the fields fit the kind (paths for path kinds, host and port for TCP/UDP, options only
//     where they apply, a mode of at most 07777);
//   - a word that parses is one that looks_like_address (and, with a ':' or ',', one that
//     has_known_type_prefix): options.cpp relies on this to pick the address form;
//   - describe() parses back to the same kind, path, host, port and UUID version, and is a
//     fixed point (describe of the re-parsed address is the same text); target() equals
//     describe() except for listeners.
// parse_port is fuzzed on the same bytes. The invariants are checked for inputs without a NUL
// byte (as every command-line word is); inputs with one must still not crash.
#include "address.hpp"
#include "fuzz_check.hpp"
#include "proxy_url.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using ipcat::Address;
using ipcat::AddressKind;
using ipcat::Family;
using ipcat::parse_address;
using ipcat_fuzz::quoted;

namespace {

constexpr auto k_year = std::chrono::hours(24 * 365);

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool is_path_kind(AddressKind k) {
  return k == AddressKind::Unix || k == AddressKind::UnixListen || k == AddressKind::UnixDgram ||
         k == AddressKind::UnixDgramListen || k == AddressKind::Fifo || k == AddressKind::File ||
         k == AddressKind::Exec || k == AddressKind::Serial;
}

// accept-fd:N and fd:N keep their descriptor number, digits only, where a path goes.
bool is_descriptor_kind(AddressKind k) {
  return k == AddressKind::AcceptFd || k == AddressKind::Fd;
}

std::string show(std::string_view text, const Address& a) {
  return "input " + quoted(text) + " -> kind " + std::string(ipcat::kind_name(a.kind)) + " path " +
         quoted(a.path) + " host " + quoted(a.host) + " port " + quoted(a.port);
}

// The predicates agree with the kind.
void check_predicates(std::string_view text, const Address& a) {
  const AddressKind k = a.kind;
  const bool listener = k == AddressKind::UnixListen || k == AddressKind::UnixDgramListen ||
                        k == AddressKind::TcpListen || k == AddressKind::UdpListen ||
                        k == AddressKind::TlsListen;
  const bool inet = k == AddressKind::Tcp || k == AddressKind::TcpListen || k == AddressKind::Udp ||
                    k == AddressKind::UdpListen || k == AddressKind::Tls ||
                    k == AddressKind::TlsListen;
  const bool unix_kind = k == AddressKind::Unix || k == AddressKind::UnixListen ||
                         k == AddressKind::UnixDgram || k == AddressKind::UnixDgramListen;
  const bool dgram = k == AddressKind::Udp || k == AddressKind::UdpListen ||
                     k == AddressKind::UnixDgram || k == AddressKind::UnixDgramListen;
  FUZZ_CHECK(a.is_listener() == listener, show(text, a));
  FUZZ_CHECK(a.is_inet() == inet, show(text, a));
  FUZZ_CHECK(a.is_unix() == unix_kind, show(text, a));
  FUZZ_CHECK(a.is_datagram() == dgram, show(text, a));
}

// The fields fit the kind.
void check_fields(std::string_view text, const Address& a) {
  FUZZ_CHECK(a.shell, show(text, a)); // only -e (options.cpp) makes an argv exec
  if (a.is_inet()) {
    // split_host_port: a connection always has a host ("tcp::80" and "tcp:[]:80" are errors).
    FUZZ_CHECK(a.is_listener() || !a.host.empty(), show(text, a));
    // A host with ':' came from brackets and passed inet_pton; without brackets the host is
    // what precedes the only ':'.
    // (socat's proxy types put PROXY first: socks5:PROXY:HOST:PORT.)
    if (a.host.find(':') != std::string::npos) {
      const bool proxy_type = ipcat::proxy_alias_scheme(text.substr(0, text.find(':'))).has_value();
      FUZZ_CHECK(proxy_type ? text.find('[') != std::string_view::npos
                            : starts_with(text.substr(text.find(':') + 1), "["),
                 show(text, a));
    }
    FUZZ_CHECK(a.host.find(',') == std::string::npos, show(text, a));
    // The port is what parse_port returned: valid again, and unchanged by a second pass.
    const char* proto = !a.is_datagram() ? "tcp" : "udp";
    const auto again = ipcat::parse_port(a.port, a.is_listener(), proto);
    FUZZ_CHECK(again.ok(), show(text, a) + ": " + (again.ok() ? "" : again.error()));
    FUZZ_CHECK(*again == a.port, show(text, a) + " re-parsed port " + quoted(*again));
    FUZZ_CHECK(a.port.find_first_of(":,") == std::string::npos, show(text, a));
    FUZZ_CHECK(a.path.empty(), show(text, a));
  } else {
    FUZZ_CHECK(a.host.empty() && a.port.empty(), show(text, a));
    FUZZ_CHECK(a.family == Family::Any, show(text, a));
  }
  if (is_path_kind(a.kind)) {
    FUZZ_CHECK(!a.path.empty(), show(text, a));
    // Only exec keeps its commas; for the others a ',' starts the options.
    FUZZ_CHECK(a.kind == AddressKind::Exec || a.path.find(',') == std::string::npos, show(text, a));
  } else if (is_descriptor_kind(a.kind)) {
    FUZZ_CHECK(!a.path.empty() && a.path.size() <= 9 &&
                   a.path.find_first_not_of("0123456789") == std::string::npos,
               show(text, a));
  } else if (!a.is_inet()) {
    FUZZ_CHECK(a.path.empty(), show(text, a));
  }

  // Options only where they apply (address.cpp: applies()).
  const auto& o = a.options;
  const bool mode_ok = a.kind == AddressKind::UnixListen ||
                       a.kind == AddressKind::UnixDgramListen || a.kind == AddressKind::Fifo;
  FUZZ_CHECK(!o.mode || mode_ok, show(text, a));
  FUZZ_CHECK(!o.mode || *o.mode <= 07777U, show(text, a) + " mode " + std::to_string(*o.mode));
  FUZZ_CHECK(!o.count || a.kind == AddressKind::Uuid, show(text, a));
  FUZZ_CHECK(!o.interval || a.kind == AddressKind::Uuid, show(text, a));
  FUZZ_CHECK(!o.interval || (o.interval->count() >= 0 && *o.interval <= k_year),
             show(text, a) + " interval " + std::to_string(o.interval->count()) + "ns");
  FUZZ_CHECK(!o.follow || a.kind == AddressKind::File, show(text, a));
  FUZZ_CHECK(!o.once || a.kind == AddressKind::Fifo, show(text, a));
}

// What parses reads as an address to options.cpp's form detection.
void check_classification(std::string_view text, const Address& a) {
  FUZZ_CHECK(ipcat::looks_like_address(text), show(text, a));
  if (text.find_first_of(":,") != std::string_view::npos) {
    FUZZ_CHECK(ipcat::has_known_type_prefix(text), show(text, a));
  }
}

// describe() round-trips; target() is describe() without the listening.
void check_describe(std::string_view text, const Address& a) {
  const std::string d = a.describe();
  const std::string name(ipcat::kind_name(a.kind));
  FUZZ_CHECK(starts_with(d, name), show(text, a) + " describe " + quoted(d));

  const auto b = parse_address(d);
  FUZZ_CHECK(b.ok(), show(text, a) + " describe " + quoted(d) +
                         " does not parse: " + (b.ok() ? "" : b.error()));
  const std::string both =
      show(text, a) + " describe " + quoted(d) + " re-parsed as " + show(d, *b);
  FUZZ_CHECK(b->kind == a.kind, both);
  FUZZ_CHECK(b->path == a.path, both);
  FUZZ_CHECK(b->host == a.host, both);
  FUZZ_CHECK(b->port == a.port, both);
  FUZZ_CHECK(b->uuid == a.uuid, both);
  FUZZ_CHECK(b->describe() == d, both + " describes as " + quoted(b->describe()));

  const std::string t = a.target();
  if (a.kind == AddressKind::Tls) {
    // tls:H:P -> tcp:H:P, the socket under the TLS layer.
    FUZZ_CHECK(t == "tcp:" + d.substr(4), both + " target " + quoted(t));
  } else if (!a.is_listener()) {
    FUZZ_CHECK(t == d, both + " target " + quoted(t));
  } else if (a.is_unix()) {
    // unix-listen:P -> unix:P, unix-dgram-listen:P -> unix-dgram:P, and those parse.
    const auto c = parse_address(t);
    FUZZ_CHECK(c.ok(), both + " target " + quoted(t) + ": " + (c.ok() ? "" : c.error()));
    FUZZ_CHECK(c->kind ==
                   (a.kind == AddressKind::UnixListen ? AddressKind::Unix : AddressKind::UnixDgram),
               both + " target " + quoted(t));
    FUZZ_CHECK(c->path == a.path, both + " target " + quoted(t));
  } else {
    // tcp-listen:[H:]P -> tcp:[H:]P: not always an address a client could use (no host, port 0),
    // so only the shape is checked.
    const bool tcp = !a.is_datagram(); // tcp-listen:, tls-listen: (TLS over TCP)
    FUZZ_CHECK(starts_with(t, tcp ? "tcp:" : "udp:"), both + " target " + quoted(t));
    FUZZ_CHECK(t.size() >= a.port.size() &&
                   t.compare(t.size() - a.port.size(), std::string::npos, a.port) == 0,
               both + " target " + quoted(t));
  }
}

void check_port(std::string_view text, bool allow_zero, const char* proto) {
  const auto p = ipcat::parse_port(text, allow_zero, proto);
  if (!p.ok()) {
    FUZZ_CHECK(!p.error().empty(), "parse_port " + quoted(text));
    return;
  }
  const std::string ctx = "parse_port " + quoted(text) + " -> " + quoted(*p);
  FUZZ_CHECK(!text.empty(), ctx);
  if (all_digits(text)) {
    // A number: normalised to its decimal text, in range.
    FUZZ_CHECK(all_digits(*p) && !p->empty() && p->size() <= 5, ctx);
    const unsigned long n = std::stoul(*p);
    FUZZ_CHECK(n <= 65535 && (allow_zero || n != 0), ctx);
    FUZZ_CHECK(std::to_string(n) == *p, ctx);
  } else {
    // A service name is kept as written.
    FUZZ_CHECK(*p == text, ctx);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // Command-line words never hold a NUL byte.
  const bool argv_word = text.find('\0') == std::string_view::npos;

  const bool looks = ipcat::looks_like_address(text);
  const bool known = ipcat::has_known_type_prefix(text);
  // A known TYPE before ':' or ',' is a letter-led word that is no IPv6 literal.
  FUZZ_CHECK(!known || looks, "input " + quoted(text));

  const auto r = ipcat::parse_address(text);
  if (r.ok() && argv_word) {
    check_predicates(text, *r);
    check_fields(text, *r);
    check_classification(text, *r);
    check_describe(text, *r);
  } else if (r.ok()) {
    // With a NUL byte parse_port checks only the text before it (getservbyname takes a C
    // string), so "http\0:x" is a port: not reachable from argv, so only crashes count here.
    (void)parse_address(r->describe());
    (void)r->target();
  } else {
    FUZZ_CHECK(!r.error().empty(), "input " + quoted(text));
  }

  check_port(text, false, "tcp");
  check_port(text, true, "udp");
  return 0;
}
