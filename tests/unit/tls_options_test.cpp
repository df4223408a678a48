// Unit tests for the pure TLS parts: pins (hex and base64), ALPN lists, verify values, the
// address options and where the --ssl flags go, and the TLS layer's place among the layers.
#include "tls_options.hpp"

#include <catch2/catch.hpp>

#include "address.hpp"
#include "layer.hpp"
#include "options.hpp"

using ipcat::parse_address;
using ipcat::parse_options;
using ipcat::parse_pin;

namespace {

const std::string k_hex = "9a3addb81ac37aa7280973c52401dc23e64286fef12e84cb0ff6245406eb9ff8";

} // namespace

TEST_CASE("tls: pins in hex, with colons, and in base64", "[tls]") {
  auto p = parse_pin("SHA256:" + k_hex);
  REQUIRE(p);
  CHECK((*p)[0] == 0x9a);
  CHECK((*p)[31] == 0xf8);
  CHECK(ipcat::format_pin(*p) == "SHA256:" + k_hex);
  auto upper = parse_pin("sha256:9A:3A:DD:B8:1A:C3:7A:A7:28:09:73:C5:24:01:DC:23:E6:42:86:FE:F1:2E:"
                         "84:CB:0F:F6:24:54:06:EB:9F:F8");
  REQUIRE(upper);
  CHECK(*upper == *p);
  // The same 32 bytes in base64, with and without padding.
  auto b64 = parse_pin("SHA256:mjrduBrDeqcoCXPFJAHcI+ZChv7xLoTLD/YkVAbrn/g=");
  REQUIRE(b64);
  CHECK(*b64 == *p);
  CHECK(parse_pin("SHA256:mjrduBrDeqcoCXPFJAHcI+ZChv7xLoTLD/YkVAbrn/g"));
  for (const char* bad : {"", "SHA256:",
                          "MD5:"
                          "00",
                          "SHA256:abcd", "9a3addb81ac37aa7",
                          "SHA256:zz3addb81ac37aa7280973c52401dc23e64286fef12e84cb0ff6245406eb9ff8",
                          "SHA256:mjrduBrDeqcoCXPFJAHcI+ZChv7xLoTLD/YkVAbrn/g!"}) {
    INFO(bad);
    CHECK_FALSE(parse_pin(bad));
  }
}

TEST_CASE("tls: ALPN lists and verify values", "[tls]") {
  auto l = ipcat::parse_alpn("h2,http/1.1");
  REQUIRE(l);
  CHECK(*l == std::vector<std::string>{"h2", "http/1.1"});
  CHECK(*ipcat::parse_alpn("h2:http/1.1") == *l);
  CHECK_FALSE(ipcat::parse_alpn(""));
  CHECK_FALSE(ipcat::parse_alpn("h2,"));
  CHECK_FALSE(ipcat::parse_alpn(std::string(256, 'x')));
  CHECK(ipcat::parse_verify("yes") == true);
  CHECK(ipcat::parse_verify("0") == false);
  CHECK_FALSE(ipcat::parse_verify("maybe").has_value());
}

TEST_CASE("tls: address options on stream sockets only, tls: implies the layer", "[tls]") {
  auto a = parse_address("tcp:example.com:443,tls,cafile=/ca.pem,servername=x,alpn=h2,verify=0");
  REQUIRE(a);
  CHECK(a->options.tls.on);
  CHECK(a->options.tls.cafile == "/ca.pem");
  CHECK(a->options.tls.servername == "x");
  CHECK(a->options.tls.alpn == std::vector<std::string>{"h2"});
  CHECK(a->options.tls.verify == false);
  auto t = parse_address("tls:example.com:443");
  REQUIRE(t);
  CHECK(t->options.tls.on);
  CHECK(t->describe() == "tls:example.com:443");
  CHECK(parse_address("OPENSSL:h:443")->kind == ipcat::AddressKind::Tls);
  CHECK(parse_address("openssl-listen:443")->kind == ipcat::AddressKind::TlsListen);
  CHECK(parse_address("unix-listen:/s,tls,cert=/c.pem,pin=SHA256:" + k_hex)->options.tls.pin);
  CHECK_FALSE(parse_address("udp:h:53,tls"));
  CHECK_FALSE(parse_address("fifo:/p,tls"));
  CHECK_FALSE(parse_address("tcp:h:1,cafile=/x")); // a TLS option without TLS
  CHECK_FALSE(parse_address("tcp:h:1,tls=1"));
  CHECK_FALSE(parse_address("tcp:h:1,tls,pin=SHA256:00"));
  CHECK_FALSE(parse_address("tcp:h:1,tls,verify=2"));
  CHECK_FALSE(parse_address("tcp:h:1,tls,cert="));
}

TEST_CASE("tls: the --ssl flags go to the network side", "[tls]") {
  auto o = parse_options({"--ssl", "--ssl-servername", "name", "--ssl-verify=no", "--ssl-alpn",
                          "h2,http/1.1", "--ssl-pin", "SHA256:" + k_hex, "host", "443"});
  REQUIRE(o);
  CHECK_FALSE(o->left.options.tls.on);
  CHECK(o->right.options.tls.on);
  CHECK(o->right.options.tls.servername == "name");
  CHECK(o->right.options.tls.verify == false);
  CHECK(o->right.options.tls.alpn.size() == 2);
  CHECK(o->right.options.tls.pin);
  auto l = parse_options({"-l", "--ssl", "--ssl-verify", "-k", "0", "-c", "cat"});
  REQUIRE(l);
  CHECK(l->right.options.tls.on);
  CHECK(l->right.options.tls.verify == true);
  // The address's own option wins over the flag.
  auto mixed = parse_options({"--ssl-servername", "flag", "-", "tls:h:443,servername=addr"});
  REQUIRE(mixed);
  CHECK(mixed->right.options.tls.servername == "addr");
  CHECK_FALSE(parse_options({"--ssl", "-u", "host", "53"}));
  CHECK_FALSE(parse_options({"--ssl-servername", "x", "host", "443"}));
  CHECK_FALSE(parse_options({"--ssl", "--ssl-verify=perhaps", "host", "443"}));
  CHECK_FALSE(parse_options({"--ssl", "--ssl-cert", "/nonexistent/cert.pem", "-l", "0"}));
}

TEST_CASE("tls: the layer goes last, once, whatever the order written", "[tls]") {
  auto a = parse_address("tls:h:443,tls");
  REQUIRE(a);
  const auto layers = ipcat::layers_for(*a);
  REQUIRE(layers.size() == 1);
  CHECK(layers[0]->name() == "tls");
  auto u = parse_address("unix:/s,tls");
  REQUIRE(u);
  CHECK(ipcat::layers_for(*u).size() == 1);
  CHECK(ipcat::layers_for(*parse_address("tcp:h:443")).empty());
}
