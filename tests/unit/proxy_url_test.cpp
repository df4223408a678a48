// Unit tests for proxy URLs and the address options that name proxies: curl's schemes with
// their default ports, user:pass@ percent-decoded, IPv6 in brackets, bad URLs as usage errors,
// and socat's socks4:/socks4a:/socks5:/proxy: types written as proxy=URL.
#include "proxy_url.hpp"

#include <catch2/catch.hpp>

#include <string>

#include "address.hpp"

using Catch::Matchers::Contains;
using ipcat::parse_address;
using ipcat::parse_proxy_url;
using ipcat::ProxyScheme;

namespace {

ipcat::ProxyUrl url_ok(const std::string& text) {
  const auto r = parse_proxy_url(text);
  INFO(text << ": " << (r.ok() ? std::string("ok") : r.error()));
  REQUIRE(r.ok());
  return *r;
}

std::string url_error(const std::string& text) {
  const auto r = parse_proxy_url(text);
  INFO(text);
  REQUIRE_FALSE(r.ok());
  return r.error();
}

std::vector<std::string> proxies_of(const std::string& address) {
  const auto a = parse_address(address);
  INFO(address << ": " << (a.ok() ? std::string("ok") : a.error()));
  REQUIRE(a.ok());
  std::vector<std::string> out;
  for (const auto& [name, value] : a->written_options) {
    if (name == "proxy") {
      out.push_back(value);
    }
  }
  return out;
}

} // namespace

TEST_CASE("proxy URLs: schemes and default ports", "[proxy_url]") {
  CHECK(url_ok("socks5://p").describe() == "socks5://p:1080");
  CHECK(url_ok("socks5h://p").scheme == ProxyScheme::Socks5h);
  CHECK(url_ok("socks4://p:9050").describe() == "socks4://p:9050");
  CHECK(url_ok("socks4a://p").scheme == ProxyScheme::Socks4a);
  CHECK(url_ok("http://p").describe() == "http://p:3128");
  CHECK(url_ok("HTTP://p:8080/").describe() == "http://p:8080");
  // Without a scheme the proxy is HTTP, as curl has it.
  CHECK(url_ok("p:3129").describe() == "http://p:3129");
  CHECK(url_ok("socks5://[::1]:1081").host == "::1");
  CHECK(url_ok("socks5://[::1]").describe() == "socks5://[::1]:1080");
  CHECK(url_ok("socks5://p:01080").port == "1080");
}

TEST_CASE("proxy URLs: credentials are percent-decoded and kept out of describe()", "[proxy_url]") {
  const auto u = url_ok("socks5://al%40ice:p%3Ass%2C@p:1080");
  CHECK(u.user == "al@ice");
  CHECK(u.password == "p:ss,");
  CHECK(u.describe() == "socks5://p:1080");
  // to_string() round-trips, commas and all (an address option cannot hold a raw comma).
  CHECK(u.to_string().find(',') == std::string::npos);
  const auto back = url_ok(u.to_string());
  CHECK(back.user == u.user);
  CHECK(back.password == u.password);
  const auto only_user = url_ok("socks4://bob@p");
  CHECK(only_user.user == "bob");
  CHECK_FALSE(only_user.password);
  // An '@' in the password, unescaped: the last '@' ends the credentials.
  CHECK(url_ok("http://u:a@b@p").password == "a@b");
}

TEST_CASE("proxy URLs: mistakes are usage errors that say what is wrong", "[proxy_url]") {
  CHECK_THAT(url_error("ftp://p"), Contains("unknown proxy scheme 'ftp'"));
  CHECK_THAT(url_error("socks5://p:0"), Contains("invalid proxy port '0'"));
  CHECK_THAT(url_error("socks5://p:70000"), Contains("invalid proxy port"));
  CHECK_THAT(url_error("socks5://p:x"), Contains("invalid proxy port 'x'"));
  CHECK_THAT(url_error("socks5://p:"), Contains("missing port"));
  CHECK_THAT(url_error("socks5://:1080"), Contains("missing proxy host"));
  CHECK_THAT(url_error("socks5://"), Contains("missing proxy host"));
  CHECK_THAT(url_error("socks5://::1:1080"), Contains("brackets"));
  CHECK_THAT(url_error("socks5://[::1"), Contains("missing ']'"));
  CHECK_THAT(url_error("socks5://[nope]:1"), Contains("not an IPv6 address"));
  CHECK_THAT(url_error("http://p:3128/path"), Contains("no path"));
  CHECK_THAT(url_error("socks5://u%zz@p"), Contains("%-escape"));
  CHECK_THAT(url_error("socks5://p]:1080"), Contains("invalid proxy host"));
  CHECK_THAT(url_error("socks5://a b"), Contains("invalid proxy host"));
}

TEST_CASE("proxy address options: proxy= repeated is a chain, in order", "[proxy_url]") {
  CHECK(proxies_of("tcp:h:22,proxy=socks5://a,proxy=http://b:8080") ==
        std::vector<std::string>{"socks5://a", "http://b:8080"});
  const auto bad = parse_address("tcp:h:22,proxy=socks9://a");
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.error(), Contains("unknown proxy scheme") && Contains("tcp:h:22,proxy="));
  CHECK_FALSE(parse_address("tcp:h:22,proxy-dns=sometimes").ok());
  CHECK(parse_address("tcp:h:22,proxy=socks5://a,proxy-dns=local").ok());
  // A proxy is for connecting: a listener or a Unix socket takes none.
  CHECK_FALSE(parse_address("tcp-listen:22,proxy=socks5://a").ok());
  CHECK_FALSE(parse_address("unix:/s,proxy=socks5://a").ok());
  CHECK_FALSE(parse_address("udp:h:53,proxy=socks5://a").ok());
}

TEST_CASE("socat's proxy address types become proxy=URL", "[proxy_url]") {
  CHECK(proxies_of("socks4:p:h:22") == std::vector<std::string>{"socks4://p:1080"});
  CHECK(proxies_of("SOCKS4A:p:h:22,socksport=9050") ==
        std::vector<std::string>{"socks4a://p:9050"});
  CHECK(proxies_of("socks5:[::1]:h:22") == std::vector<std::string>{"socks5://[::1]:1080"});
  // socat's HTTP proxy port is 8080; proxyauth= gives Basic credentials.
  CHECK(proxies_of("proxy:p:h:443,proxyport=3128,proxyauth=u:pw") ==
        std::vector<std::string>{"http://u:pw@p:3128"});
  CHECK(proxies_of("proxy:p:h:443") == std::vector<std::string>{"http://p:8080"});
  // The socat type's proxy comes first in a chain with more proxy= options.
  CHECK(proxies_of("socks5:p:h:22,proxy=http://q") ==
        std::vector<std::string>{"socks5://p:1080", "http://q"});
  const auto a = parse_address("socks4a:p:[::1]:22");
  REQUIRE(a.ok());
  CHECK(a->kind == ipcat::AddressKind::Tcp);
  CHECK(a->host == "::1");
  CHECK(a->port == "22");
  for (const char* bad :
       {"socks4:p", "socks4:p:h", "socks5::h:22", "socks4:p:h:22,proxyport=1",
        "proxy:p:h:22,socksport=1", "tcp:h:22,socksport=1080", "socks5:p:h:22,socksport=0",
        "proxy:p:h:22,proxyauth=nocolon", "proxy:1]:[::1]:444", "socks5:[zz]:h:22"}) {
    INFO(bad);
    CHECK_FALSE(parse_address(bad).ok());
  }
  // A bare word "proxy" or "socks5" is a host name, not an address.
  CHECK_FALSE(ipcat::looks_like_address("proxy"));
  CHECK_FALSE(ipcat::looks_like_address("socks5"));
  CHECK(ipcat::looks_like_address("socks5:p:h:22"));
}
