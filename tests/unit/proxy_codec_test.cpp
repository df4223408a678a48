// Unit tests for the proxy handshake messages: the bytes of each request, and each reply read
// into success, a refusal with its text, or junk.
#include "proxy_codec.hpp"

#include <catch2/catch.hpp>

#include <cerrno>
#include <string>

using Catch::Matchers::Contains;
using namespace ipcat;
using namespace std::string_literals;

TEST_CASE("SOCKS4 and SOCKS4a requests", "[proxy_codec]") {
  CHECK(socks4_request({127, 0, 0, 1}, 22, "") == "\x04\x01\x00\x16\x7f\x00\x00\x01\x00"s);
  CHECK(socks4_request({10, 1, 2, 3}, 0x1f90, "bob") == "\x04\x01\x1f\x90\x0a\x01\x02\x03"
                                                        "bob\x00"s);
  CHECK(socks4a_request("example.org", 80, "u") == "\x04\x01\x00\x50\x00\x00\x00\x01u\x00"
                                                   "example.org\x00"s);
}

TEST_CASE("SOCKS4 replies", "[proxy_codec]") {
  CHECK_FALSE(socks4_reply_failure("\x00\x5a\x00\x00\x00\x00\x00\x00"s));
  CHECK_FALSE(socks4_reply_failure("\x04\x5a\x00\x00\x00\x00\x00\x00"s)); // some servers say 4
  const auto refused = socks4_reply_failure("\x00\x5b\x00\x00\x00\x00\x00\x00"s);
  REQUIRE(refused);
  CHECK(refused->why == "SOCKS4 reply 0x5b: request rejected or failed");
  CHECK(refused->err == ECONNREFUSED);
  const auto junk = socks4_reply_failure("HTTP/1.1"s);
  REQUIRE(junk);
  CHECK(junk->err == EPROTO);
}

TEST_CASE("SOCKS5 greeting and method choice", "[proxy_codec]") {
  CHECK(socks5_greeting(false) == "\x05\x01\x00"s);
  CHECK(socks5_greeting(true) == "\x05\x02\x00\x02"s);
  bool pw = true;
  CHECK_FALSE(socks5_method_failure("\x05\x00"s, false, &pw));
  CHECK_FALSE(pw);
  CHECK_FALSE(socks5_method_failure("\x05\x02"s, true, &pw));
  CHECK(pw);
  const auto need_auth = socks5_method_failure("\x05\xff"s, false, &pw);
  REQUIRE(need_auth);
  CHECK_THAT(need_auth->why, Contains("requires authentication"));
  CHECK(socks5_method_failure("\x05\x02"s, false, &pw)); // not offered
  CHECK(socks5_method_failure("HT"s, false, &pw)->err == EPROTO);
}

TEST_CASE("SOCKS5 username/password (RFC 1929)", "[proxy_codec]") {
  CHECK(socks5_password_request("al", "pw1") == "\x01\x02"
                                                "al\x03"
                                                "pw1"s);
  CHECK_FALSE(socks5_password_request(std::string(256, 'u'), "p"));
  CHECK_FALSE(socks5_password_failure("\x01\x00"s));
  const auto wrong = socks5_password_failure("\x01\x01"s);
  REQUIRE(wrong);
  CHECK_THAT(wrong->why, Contains("authentication failed"));
  CHECK(wrong->err == EACCES);
}

TEST_CASE("SOCKS5 CONNECT requests: IPv4, IPv6, names", "[proxy_codec]") {
  CHECK(*socks5_connect_request("127.0.0.1", 80) == "\x05\x01\x00\x01\x7f\x00\x00\x01\x00\x50"s);
  CHECK(*socks5_connect_request("::1", 443) ==
        "\x05\x01\x00\x04"s + std::string(15, '\0') + "\x01\x01\xbb"s);
  CHECK(*socks5_connect_request("a.example", 22) == "\x05\x01\x00\x03\x09"
                                                    "a.example\x00\x16"s);
  CHECK_FALSE(socks5_connect_request(std::string(256, 'h'), 22));
}

TEST_CASE("SOCKS5 replies: success with each address type, refusals, junk", "[proxy_codec]") {
  std::size_t rest = 0;
  CHECK_FALSE(socks5_reply_failure("\x05\x00\x00\x01"s, &rest));
  CHECK(rest == 6);
  CHECK_FALSE(socks5_reply_failure("\x05\x00\x00\x04"s, &rest));
  CHECK(rest == 18);
  CHECK_FALSE(socks5_reply_failure("\x05\x00\x00\x03"s, &rest));
  CHECK(rest == 1);
  CHECK(socks5_name_rest(9) == 11);
  const auto refused = socks5_reply_failure("\x05\x05\x00\x01"s, &rest);
  REQUIRE(refused);
  CHECK(refused->why == "SOCKS5 reply 0x05: connection refused");
  CHECK(refused->err == ECONNREFUSED);
  CHECK(socks5_reply_failure("\x05\x04\x00\x01"s, &rest)->why ==
        "SOCKS5 reply 0x04: host unreachable");
  CHECK(socks5_reply_failure("\x05\x02\x00\x01"s, &rest)->err == EACCES);
  CHECK(socks5_reply_failure("\x05\x00\x00\x07"s, &rest)->err == EPROTO);
  CHECK(socks5_reply_failure("HTTP"s, &rest)->err == EPROTO);
}

TEST_CASE("HTTP CONNECT request, with and without Basic authentication", "[proxy_codec]") {
  CHECK(http_connect_request("h.example", 22, std::nullopt, std::nullopt) ==
        "CONNECT h.example:22 HTTP/1.1\r\nHost: h.example:22\r\n\r\n");
  CHECK(http_connect_request("::1", 443, "Aladdin", "open sesame") ==
        "CONNECT [::1]:443 HTTP/1.1\r\nHost: [::1]:443\r\n"
        "Proxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n\r\n");
}

TEST_CASE("HTTP responses: the end of the head, success, refusals, junk", "[proxy_codec]") {
  CHECK(http_head_end("HTTP/1.1 200 OK\r\n\r\nSSH-2.0") == 19);
  CHECK(http_head_end("HTTP/1.1 200 OK\r\n") == std::string::npos);
  CHECK(http_plausible("HTT"));
  CHECK(http_plausible("HTTP/1.0 200 Connection established\r\n"));
  CHECK_FALSE(http_plausible("SSH-2.0-OpenSSH"));
  CHECK_FALSE(http_plausible("HTTP/1.1 OK\r\n"));
  CHECK_FALSE(http_plausible("\x05\x00"s));
  CHECK_FALSE(http_connect_failure("HTTP/1.1 200 Connection established\r\n\r\n"));
  CHECK_FALSE(http_connect_failure("HTTP/1.0 204\r\n\r\n"));
  const auto auth = http_connect_failure(
      "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n");
  REQUIRE(auth);
  CHECK(auth->why == "HTTP 407 Proxy Authentication Required");
  CHECK(auth->err == EACCES);
  const auto gateway = http_connect_failure("HTTP/1.0 500 Unable to connect\r\n\r\n");
  REQUIRE(gateway);
  CHECK(gateway->why == "HTTP 500 Unable to connect");
  CHECK(gateway->err == ECONNREFUSED);
  CHECK(http_connect_failure("junk\r\n\r\n")->err == EPROTO);
}

TEST_CASE("base64", "[proxy_codec]") {
  CHECK(base64("") == "");
  CHECK(base64("f") == "Zg==");
  CHECK(base64("fo") == "Zm8=");
  CHECK(base64("foo") == "Zm9v");
  CHECK(base64("foob") == "Zm9vYg==");
  CHECK(base64("\xff\xfe\xfd"s) == "//79");
}
