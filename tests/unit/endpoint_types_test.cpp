// Unit tests for the table of endpoint kinds: a row for every kind, names that are unique and
// parse back to their row, capabilities that agree with each other and with the Address
// helpers, options that the parser knows, and a --help that is generated from the rows.
#include "endpoint_types.hpp"

#include "address.hpp"
#include "options.hpp"
#include "proxy_url.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>

using Catch::Matchers::Contains;
using ipcat::AddressKind;
using ipcat::ArgSyntax;
using ipcat::endpoint_type;
using ipcat::endpoint_types;
using ipcat::EndpointType;
using ipcat::Family;
using ipcat::Role;

namespace {

/// Every kind's name and aliases, canonical first.
std::vector<std::string> names_of(const EndpointType& t) {
  std::vector<std::string> out{std::string(t.name.name)};
  for (const auto& a : t.aliases) {
    out.emplace_back(a.name);
  }
  return out;
}

/// A valid ARGS part for a row, so that "TYPE:ARGS" parses.
std::string sample_args(const EndpointType& t) {
  switch (t.args) {
  case ArgSyntax::None:
    return "";
  case ArgSyntax::Path:
    return ":/tmp/p";
  case ArgSyntax::HostPort:
    return ":h:80";
  case ArgSyntax::ListenHostPort:
    return ":0";
  case ArgSyntax::Command:
    return ":echo a,b";
  case ArgSyntax::UuidVersion:
    return ":v7";
  case ArgSyntax::Descriptor:
    return ":3";
  }
  return "";
}

// The ARGS for a name: socat's proxy types (socks4:, proxy:, ...) put the proxy first.
std::string sample_args(const std::string& name, const EndpointType& t) {
  return ipcat::proxy_alias_scheme(name) ? ":p:h:80" : sample_args(t);
}

} // namespace

TEST_CASE("endpoint table: a row for every kind, in order, names unique", "[endpoint_types]") {
  const auto& table = endpoint_types();
  REQUIRE(table.size() == static_cast<std::size_t>(AddressKind::Fd) + 1);
  std::set<std::string> seen;
  for (std::size_t i = 0; i < table.size(); ++i) {
    const auto kind = static_cast<AddressKind>(i);
    CHECK(table[i].kind == kind);
    CHECK(&endpoint_type(kind) == &table[i]);
    CHECK(table[i].name.family == Family::Any);
    for (const auto& n : names_of(table[i])) {
      INFO(n);
      CHECK(seen.insert(n).second);
      Family family = Family::V6;
      CHECK(ipcat::find_endpoint_type(n, &family) == &table[i]);
    }
  }
  Family family = Family::Any;
  CHECK(ipcat::find_endpoint_type("TCP6-Listen", &family)->kind == AddressKind::TcpListen);
  CHECK(family == Family::V6);
  CHECK(ipcat::find_endpoint_type("nonesuch") == nullptr);
}

TEST_CASE("endpoint table: every name parses to its row, with the family it pins",
          "[endpoint_types]") {
  for (const auto& t : endpoint_types()) {
    for (const auto& n : names_of(t)) {
      const std::string text = n + sample_args(n, t);
      INFO(text);
      const auto a = ipcat::parse_address(text);
      REQUIRE(a.ok());
      CHECK(a->kind == t.kind);
      CHECK(&a->type() == &t);
    }
    for (const auto& alias : t.aliases) {
      const std::string name(alias.name);
      const auto a = ipcat::parse_address(name + sample_args(name, t));
      REQUIRE(a.ok());
      CHECK(a->family == alias.family);
    }
    CHECK(ipcat::kind_name(t.kind) == t.name.name);
  }
}

TEST_CASE("endpoint table: capabilities agree with each other and the Address helpers",
          "[endpoint_types]") {
  for (const auto& t : endpoint_types()) {
    INFO(t.name.name);
    const auto& c = t.caps;
    CHECK_FALSE((c.listens && c.connects));
    CHECK_FALSE((c.unix_domain && c.inet));
    // An inherited socket's family shows only once it is opened (accept-fd:N).
    const bool inherited = t.args == ArgSyntax::Descriptor;
    CHECK((c.socket == (c.unix_domain || c.inet) || inherited));
    CHECK(c.socket == (c.listens || c.connects));
    CHECK_FALSE((c.zero_copy && c.datagram)); // datagrams keep their boundaries in user space
    CHECK((c.inet == (t.args == ArgSyntax::HostPort || t.args == ArgSyntax::ListenHostPort)));
    CHECK((c.listens == (t.args == ArgSyntax::ListenHostPort) || c.unix_domain || inherited));
    // The target is the same socket without listening: same family of caps, never a listener.
    const EndpointType& target = endpoint_type(t.target);
    CHECK_FALSE(target.caps.listens);
    CHECK(target.caps.datagram == c.datagram);
    CHECK(target.caps.unix_domain == c.unix_domain);
    CHECK(target.caps.inet == c.inet);
    // A source must come first; everything that is no socket or source is read or written.
    if (t.role == Role::Source) {
      CHECK(c.line_source);
    }
    ipcat::Address a;
    a.kind = t.kind;
    CHECK(a.is_listener() == c.listens);
    CHECK(a.is_datagram() == c.datagram);
    CHECK(a.is_unix() == c.unix_domain);
    CHECK(a.is_inet() == c.inet);
    CHECK_FALSE(t.usage.empty());
    CHECK_FALSE(t.help.empty());
  }
}

TEST_CASE("endpoint table: the options of a row are known, and --mode goes where files are made",
          "[endpoint_types]") {
  std::set<std::string> used;
  for (const auto& t : endpoint_types()) {
    INFO(t.name.name);
    for (const auto o : t.options) {
      INFO(o);
      CHECK(ipcat::find_address_option(o) != nullptr);
      CHECK(ipcat::takes_option(t, o));
      used.emplace(o);
    }
    CHECK(ipcat::takes_option(t, "mode") == t.caps.creates_file);
  }
  for (const auto& o : ipcat::address_options()) {
    INFO(o.name);
    CHECK(used.count(std::string(o.name)) == 1); // no option that no kind takes
  }
}

TEST_CASE("endpoint table: --help lists every name, alias and address option", "[endpoint_types]") {
  const std::string help = ipcat::usage_text();
  CHECK_THAT(help, Contains(ipcat::address_help()));
  for (const auto& t : endpoint_types()) {
    CHECK_THAT(help, Contains("  " + std::string(t.usage)));
    CHECK_THAT(help, Contains(std::string(t.help)));
    for (const auto& alias : t.aliases) {
      CHECK_THAT(help, Contains(" " + std::string(alias.name) + ":"));
    }
  }
  for (const auto& o : ipcat::address_options()) {
    CHECK_THAT(help, Contains(std::string(o.usage)));
  }
  // The lines stay within a terminal's width.
  std::size_t start = 0;
  const std::string text = ipcat::address_help();
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    INFO(text.substr(start, end - start));
    CHECK(end - start <= 80);
    start = end + 1;
  }
}
