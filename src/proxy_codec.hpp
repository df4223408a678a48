// The messages of the proxy handshakes, as pure functions: SOCKS4/4a requests and replies
// (no RFC; the 1992 protocol note and its 4a extension), SOCKS5 (RFC 1928) with
// username/password authentication (RFC 1929), and HTTP CONNECT (RFC 9110 9.3.6) with Basic
// authentication. The I/O that sends and reads them is in proxy.cpp.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ipcat {

/// Why a proxy said no (or spoke nonsense): the text for the message and an errno value that
/// says whether a retry may help (ECONNREFUSED, EHOSTUNREACH, ...) or not (EACCES, EPROTO).
struct ProxyFailure {
  std::string why;
  int err = 0;
};

/// SOCKS4 CONNECT to an IPv4 address (4 bytes, network order) and port; userid may be empty.
std::string socks4_request(const std::array<std::uint8_t, 4>& ipv4, std::uint16_t port,
                           std::string_view userid);
/// SOCKS4a CONNECT to a name the proxy resolves.
std::string socks4a_request(std::string_view host, std::uint16_t port, std::string_view userid);
/// Length of a SOCKS4 reply.
inline constexpr std::size_t k_socks4_reply_size = 8;
/// Reads a SOCKS4 reply (8 bytes): nullopt when the request was granted.
std::optional<ProxyFailure> socks4_reply_failure(std::string_view reply);

/// SOCKS5 greeting: "no authentication", and also username/password when offer_password.
std::string socks5_greeting(bool offer_password);
/// Reads the method choice (2 bytes); nullopt with *password_chosen set when it is acceptable.
std::optional<ProxyFailure> socks5_method_failure(std::string_view reply, bool offered_password,
                                                  bool* password_chosen);
/// RFC 1929 username/password request; nullopt when a part is longer than 255 bytes.
std::optional<std::string> socks5_password_request(std::string_view user, std::string_view pass);
/// Reads the RFC 1929 answer (2 bytes): nullopt when the credentials were accepted.
std::optional<ProxyFailure> socks5_password_failure(std::string_view reply);
/// SOCKS5 CONNECT to host (an IPv4 or IPv6 literal, else a name the proxy resolves) and port;
/// nullopt when a name is longer than 255 bytes.
std::optional<std::string> socks5_connect_request(std::string_view host, std::uint16_t port);
/// Size of the head of a SOCKS5 reply (VER REP RSV ATYP).
inline constexpr std::size_t k_socks5_reply_head = 4;
/// Reads the head of a SOCKS5 reply: a failure, or (in *rest) how many bytes of bound address
/// and port follow. For ATYP 3 (a name), rest counts only its length byte; call
/// socks5_name_rest with that byte for the remainder.
std::optional<ProxyFailure> socks5_reply_failure(std::string_view head, std::size_t* rest);
/// After ATYP 3's length byte: the bytes still to read (the name and the port).
inline std::size_t socks5_name_rest(std::uint8_t len) {
  return static_cast<std::size_t>(len) + 2;
}
/// The text of a SOCKS5 reply code ("connection refused" for 0x05).
std::string_view socks5_reply_text(std::uint8_t code);

/// "CONNECT host:port HTTP/1.1" with Host and, given user, Proxy-Authorization: Basic.
std::string http_connect_request(std::string_view host, std::uint16_t port,
                                 const std::optional<std::string>& user,
                                 const std::optional<std::string>& pass);
/// Where the head of an HTTP response ends (just past "\r\n\r\n"), or npos.
std::size_t http_head_end(std::string_view data);
/// True while data may still become an HTTP response (it starts "HTTP/1." so far and the first
/// line, once complete, is a status line): junk is told apart before the head is complete.
bool http_plausible(std::string_view data);
/// Reads the head of the response to CONNECT: nullopt for a 2xx; else "HTTP 407 Proxy
/// Authentication Required" (the status line's code and reason).
std::optional<ProxyFailure> http_connect_failure(std::string_view head);

/// Base64 (RFC 4648, with padding).
std::string base64(std::string_view data);

} // namespace ipcat
