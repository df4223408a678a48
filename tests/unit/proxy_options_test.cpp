// Unit tests for the netcat spellings of a proxy: -x as a proxy or as ncat's hex-dump file (the
// rule), -X/--proxy-type, -P/--proxy-auth/IPCAT_PROXY_AUTH, --proxy-dns, and their mistakes.
#include "proxy_options.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "proxy_url.hpp"

using Catch::Matchers::Contains;
using ipcat::Options;
using ipcat::parse_options;
using ipcat::proxy_flag_is_proxy;
using Args = std::vector<std::string>;

namespace {

Options parse_ok(const Args& args) {
  const auto r = parse_options(args);
  INFO((r.ok() ? std::string("ok") : r.error()));
  REQUIRE(r.ok());
  return *r;
}

std::string parse_error(const Args& args) {
  const auto r = parse_options(args);
  REQUIRE_FALSE(r.ok());
  return r.error();
}

// The proxies written on the right-hand address, as URLs.
std::vector<std::string> proxies(const Options& o) {
  std::vector<std::string> out;
  for (const auto& [name, value] : o.right.written_options) {
    if (name == "proxy") {
      out.push_back(value);
    }
  }
  return out;
}

} // namespace

TEST_CASE(
    "proxy flags: -x is a proxy when it reads HOST:PORT or a type is given, else the hex dump file",
    "[proxy_options]") {
  CHECK(proxy_flag_is_proxy("127.0.0.1:1080", false));
  CHECK(proxy_flag_is_proxy("proxy.example:3128", false));
  CHECK(proxy_flag_is_proxy("[::1]:1080", false));
  CHECK(proxy_flag_is_proxy("proxy.example", true)); // -X or --proxy-type given
  CHECK(proxy_flag_is_proxy("-", true));
  CHECK_FALSE(proxy_flag_is_proxy("-", false));
  CHECK_FALSE(proxy_flag_is_proxy("dump.hex", false));
  CHECK_FALSE(proxy_flag_is_proxy("/tmp/f", false));
  CHECK_FALSE(proxy_flag_is_proxy("/tmp/a:1", false));  // a path with a colon
  CHECK_FALSE(proxy_flag_is_proxy("host:http", false)); // not a number
  CHECK_FALSE(proxy_flag_is_proxy("host:0", false));
  CHECK_FALSE(proxy_flag_is_proxy("::1:1080", false));
  CHECK_FALSE(proxy_flag_is_proxy("[::1]", false));
  CHECK_FALSE(proxy_flag_is_proxy(":1080", false));

  const Options dump = parse_ok({"-x", "dump.hex", "h", "22"});
  CHECK(dump.hex_dump == "dump.hex");
  CHECK(proxies(dump).empty());
  const Options stdout_dump = parse_ok({"-x", "-", "h", "22"});
  CHECK(stdout_dump.hex_dump == "-");
  const Options proxied = parse_ok({"-x", "127.0.0.1:1080", "h", "22"});
  CHECK_FALSE(proxied.hex_dump);
  // nc.openbsd: -x without -X speaks SOCKS5.
  CHECK(proxies(proxied) == std::vector<std::string>{"socks5://127.0.0.1:1080"});
}

TEST_CASE("proxy flags: -X and --proxy-type choose the protocol; default ports follow it",
          "[proxy_options]") {
  CHECK(proxies(parse_ok({"-X", "4", "-x", "p", "h", "22"})) ==
        std::vector<std::string>{"socks4://p:1080"});
  CHECK(proxies(parse_ok({"-X", "connect", "-x", "p", "h", "22"})) ==
        std::vector<std::string>{"http://p:3128"});
  CHECK(proxies(parse_ok({"-X", "5", "-x", "[::1]:9", "h", "22"})) ==
        std::vector<std::string>{"socks5://[::1]:9"});
  // ncat: --proxy without --proxy-type is HTTP.
  CHECK(proxies(parse_ok({"--proxy", "p", "h", "22"})) ==
        std::vector<std::string>{"http://p:3128"});
  CHECK(proxies(parse_ok({"--proxy", "p:1", "--proxy-type", "socks4a", "h", "22"})) ==
        std::vector<std::string>{"socks4a://p:1"});
  CHECK_THAT(parse_error({"-X", "6", "-x", "p", "h", "22"}), Contains("-X"));
  CHECK_THAT(parse_error({"--proxy", "p", "--proxy-type", "gopher", "h", "22"}),
             Contains("--proxy-type"));
  CHECK_THAT(parse_error({"-X", "5", "h", "22"}), Contains("need a proxy"));
  CHECK_THAT(parse_error({"-x", "a:1", "--proxy", "b:2", "h", "22"}), Contains("together"));
  CHECK_THAT(parse_error({"-x", "p:0", "-X", "5", "h", "22"}), Contains("invalid proxy port"));
  CHECK_THAT(parse_error({"--proxy", "socks5://p", "h", "22"}), Contains("ADDR[:PORT]"));
  CHECK_THAT(parse_error({"-x", "p:1", "-l", "22"}), Contains("TCP connection"));
  CHECK_THAT(parse_error({"-x", "p:1", "-U", "/s"}), Contains("TCP connection"));
}

TEST_CASE("proxy flags: credentials from -P, --proxy-auth, IPCAT_PROXY_AUTH", "[proxy_options]") {
  const auto first_url = [](const Options& o) {
    const auto all = proxies(o);
    REQUIRE(all.size() == 1);
    return *ipcat::parse_proxy_url(all.front());
  };
  auto u = first_url(parse_ok({"--proxy", "p", "--proxy-auth", "al:p@ss,1", "h", "22"}));
  CHECK(u.user == "al");
  CHECK(u.password == "p@ss,1");
  u = first_url(parse_ok({"-x", "p:1", "-P", "bob", "--proxy-auth", "secret", "h", "22"}));
  CHECK(u.user == "bob");
  CHECK(u.password == "secret");
  u = first_url(parse_ok({"-x", "p:1", "-P", "bob", "h", "22"}));
  CHECK(u.user == "bob");

  Options o = parse_ok({"h", "22"});
  o.right.written_options.clear();
  ipcat::ProxyFlags f;
  f.x = "p:1";
  REQUIRE_FALSE(apply_proxy_flags(f, o, "eve:pw"));
  u = first_url(o);
  CHECK(u.user == "eve");
  CHECK(u.password == "pw");
  // With -P the variable holds the password (its user part, if any, gives way to -P).
  o.right.written_options.clear();
  f.user = "bob";
  REQUIRE_FALSE(apply_proxy_flags(f, o, "pw2"));
  u = first_url(o);
  CHECK(u.user == "bob");
  CHECK(u.password == "pw2");
  // A flag wins over the variable.
  o.right.written_options.clear();
  f.user.clear();
  f.auth = "flag:one";
  REQUIRE_FALSE(apply_proxy_flags(f, o, "env:two"));
  CHECK(first_url(o).user == "flag");
}

TEST_CASE("proxy flags: --proxy-dns and a chain written with -x and proxy=", "[proxy_options]") {
  const Options o = parse_ok({"--proxy", "p", "--proxy-dns", "remote", "h", "22"});
  bool dns = false;
  for (const auto& [name, value] : o.right.written_options) {
    dns = dns || (name == "proxy-dns" && value == "remote");
  }
  CHECK(dns);
  CHECK_THAT(parse_error({"--proxy", "p", "--proxy-dns", "maybe", "h", "22"}),
             Contains("--proxy-dns"));
  // The flag's proxy is the first hop, before the address's own.
  const Options chain = parse_ok({"-x", "a:1", "tcp:h:22,proxy=http://b:2"});
  CHECK(proxies(chain) == std::vector<std::string>{"socks5://a:1", "http://b:2"});
}
