// Unit tests for the proxy layer over a real socket pair, the other end playing the proxy: the
// request bytes ipcat sends, the same stream handed back (so zero-copy stays possible), and
// the bytes that came in the same read as the proxy's reply left in the socket as the first
// bytes of the stream; a refusal is an error naming the proxy and its answer.
#include "proxy.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <catch2/catch.hpp>

#include <cerrno>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

#include "socket_stream.hpp"

using Catch::Matchers::Contains;
using namespace std::string_literals;

namespace {

struct Outcome {
  const ipcat::Stream* before = nullptr; ///< the stream given to the layer
  const ipcat::Stream* after = nullptr;  ///< the stream it handed back
  std::string error;                     ///< what it threw, if anything
  std::string sent;                      ///< what ipcat wrote to the proxy
  std::string rest;                      ///< what the stream reads after the handshake
};

// Runs the first proxy layer of address over a socket pair whose other end has already
// written reply (the proxy's whole answer and what follows it, in one write).
Outcome handshake(const std::string& address, const std::string& reply) {
  auto a = ipcat::parse_address(address);
  REQUIRE(a.ok());
  const auto layers = ipcat::layers_for(*a);
  REQUIRE(!layers.empty());
  int sv[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
  REQUIRE(::write(sv[1], reply.data(), reply.size()) == static_cast<ssize_t>(reply.size()));
  ::shutdown(sv[1], SHUT_WR); // nothing more comes: a read past the reply would see the end
  ipcat::set_nonblocking(sv[0], true);
  asio::io_context io;
  Outcome out;
  auto stream = std::make_unique<ipcat::SocketStream>(io, ipcat::Fd(sv[0]), "test", false);
  out.before = stream.get();
  asio::co_spawn(
      io,
      [&, s = std::move(stream)]() mutable -> asio::awaitable<void> {
        try {
          auto kept = co_await layers.front()->apply(io, std::move(s), ipcat::LayerSide::Client);
          out.after = kept.get();
          char buf[256];
          while (true) {
            const ipcat::IoResult r = co_await kept->read(std::span<char>(buf, sizeof(buf)));
            if (r.n <= 0) {
              break;
            }
            out.rest.append(buf, static_cast<std::size_t>(r.n));
          }
        } catch (const std::exception& e) {
          out.error = e.what();
        }
      },
      asio::detached);
  io.run();
  char buf[1024];
  ssize_t n = 0;
  while ((n = ::recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
    out.sent.append(buf, static_cast<std::size_t>(n));
  }
  ::close(sv[1]);
  return out;
}

} // namespace

TEST_CASE("proxy layer: SOCKS5 hands back the same stream and keeps the bytes after the reply",
          "[proxy]") {
  const auto out =
      handshake("tcp:h.example:22,proxy=socks5://p:1080", "\x05\x00"
                                                          "\x05\x00\x00\x01\x7f\x00\x00\x01\x04\xd2"
                                                          "SSH-2.0-x\r\n"s);
  INFO(out.error);
  REQUIRE(out.error.empty());
  CHECK(out.after == out.before);
  CHECK(out.rest == "SSH-2.0-x\r\n");
  CHECK(out.sent == "\x05\x01\x00"
                    "\x05\x01\x00\x03\x09h.example\x00\x16"s);
}

TEST_CASE("proxy layer: SOCKS5 with a password, and a bound name in the reply", "[proxy]") {
  const auto out = handshake("tcp:10.0.0.1:80,proxy=socks5://u:pw@p", "\x05\x02\x01\x00"
                                                                      "\x05\x00\x00\x03\x03"
                                                                      "abc\x00\x50"
                                                                      "first"s);
  INFO(out.error);
  REQUIRE(out.error.empty());
  CHECK(out.rest == "first");
  CHECK(out.sent == "\x05\x02\x00\x02"
                    "\x01\x01u\x02pw"
                    "\x05\x01\x00\x01\x0a\x00\x00\x01\x00\x50"s);
}

TEST_CASE("proxy layer: HTTP reads the head and not a byte more", "[proxy]") {
  const auto out = handshake("tcp:[::1]:443,proxy=http://p:3128",
                             "HTTP/1.1 200 Connection established\r\nVia: x\r\n\r\nhello");
  INFO(out.error);
  REQUIRE(out.error.empty());
  CHECK(out.after == out.before);
  CHECK(out.rest == "hello");
  CHECK(out.sent == "CONNECT [::1]:443 HTTP/1.1\r\nHost: [::1]:443\r\n\r\n");
}

TEST_CASE("proxy layer: SOCKS4a sends the name; a refusal names the proxy", "[proxy]") {
  const auto ok =
      handshake("tcp:db:5432,proxy=socks4a://bob@p:9050", "\x00\x5a\x00\x00\x00\x00\x00\x00"
                                                          "x"s);
  REQUIRE(ok.error.empty());
  CHECK(ok.rest == "x");
  CHECK(ok.sent == "\x04\x01\x15\x38\x00\x00\x00\x01"
                   "bob\x00"
                   "db\x00"s);
  const auto refused = handshake("tcp:127.0.0.1:1,proxy=socks5://p:1080",
                                 "\x05\x00\x05\x05\x00\x01\x00\x00\x00\x00\x00\x00"s);
  CHECK(refused.error == "proxy socks5://p:1080: SOCKS5 reply 0x05: connection refused");
  const auto closed = handshake("tcp:127.0.0.1:1,proxy=http://p", "HTTP/1.1 200 Conn");
  CHECK_THAT(closed.error, Contains("proxy http://p:3128: the proxy closed the connection"));
  const auto junk = handshake("tcp:127.0.0.1:1,proxy=socks4://p", "HTTP/1.1 200 OK\r\n\r\n");
  CHECK_THAT(junk.error, Contains("not a SOCKS4 reply"));
}

TEST_CASE("proxy layer: a chain asks each proxy for the next one", "[proxy]") {
  auto a = ipcat::parse_address("tcp:t:7,proxy=socks5://a:1,proxy=http://b:2");
  REQUIRE(a.ok());
  const auto layers = ipcat::layers_for(*a);
  REQUIRE(layers.size() == 2);
  const auto first = ipcat::connect_target(*a, layers);
  CHECK(first.host == "a");
  CHECK(first.port == "1");
  CHECK_FALSE(layers[1]->redirect(*a));
  // The first hop asks for b:2.
  const auto out = handshake("tcp:t:7,proxy=socks5://a:1,proxy=http://b:2",
                             "\x05\x00\x05\x00\x00\x01\x00\x00\x00\x00\x00\x00"s);
  REQUIRE(out.error.empty());
  CHECK(out.sent == "\x05\x01\x00"
                    "\x05\x01\x00\x03\x01"
                    "b\x00\x02"s);
}
