#include "proxy_codec.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <cerrno>

namespace ipcat {

namespace {

std::string hex_byte(std::uint8_t b) {
  static constexpr char k_hex[] = "0123456789abcdef";
  return std::string("0x") + k_hex[b >> 4] + k_hex[b & 15];
}

void put_port(std::string& out, std::uint16_t port) {
  out += static_cast<char>(port >> 8);
  out += static_cast<char>(port & 0xff);
}

std::uint8_t byte_at(std::string_view s, std::size_t i) {
  return static_cast<std::uint8_t>(s[i]);
}

ProxyFailure junk(const std::string& what) {
  return ProxyFailure{"not a " + what + " (the proxy speaks another protocol?)", EPROTO};
}

} // namespace

std::string socks4_request(const std::array<std::uint8_t, 4>& ipv4, std::uint16_t port,
                           std::string_view userid) {
  std::string out{'\x04', '\x01'};
  put_port(out, port);
  for (const auto b : ipv4) {
    out += static_cast<char>(b);
  }
  out += userid;
  out += '\0';
  return out;
}

std::string socks4a_request(std::string_view host, std::uint16_t port, std::string_view userid) {
  // 4a: the address 0.0.0.x (x non-zero) says that the name follows the user id.
  std::string out = socks4_request({0, 0, 0, 1}, port, userid);
  out += host;
  out += '\0';
  return out;
}

std::optional<ProxyFailure> socks4_reply_failure(std::string_view reply) {
  if (reply.size() != k_socks4_reply_size || (byte_at(reply, 0) != 0 && byte_at(reply, 0) != 4)) {
    return junk("SOCKS4 reply");
  }
  const std::uint8_t cd = byte_at(reply, 1);
  switch (cd) {
  case 0x5a:
    return std::nullopt;
  case 0x5b:
    return ProxyFailure{"SOCKS4 reply 0x5b: request rejected or failed", ECONNREFUSED};
  case 0x5c:
    return ProxyFailure{"SOCKS4 reply 0x5c: the proxy could not reach identd on this host", EACCES};
  case 0x5d:
    return ProxyFailure{"SOCKS4 reply 0x5d: identd reports a different user id", EACCES};
  default:
    return junk("SOCKS4 reply (code " + hex_byte(cd) + ")");
  }
}

std::string socks5_greeting(bool offer_password) {
  return offer_password ? std::string{'\x05', '\x02', '\x00', '\x02'}
                        : std::string{'\x05', '\x01', '\x00'};
}

std::optional<ProxyFailure> socks5_method_failure(std::string_view reply, bool offered_password,
                                                  bool* password_chosen) {
  if (reply.size() != 2 || byte_at(reply, 0) != 5) {
    return junk("SOCKS5 reply");
  }
  const std::uint8_t m = byte_at(reply, 1);
  *password_chosen = m == 0x02;
  if (m == 0x00 || (m == 0x02 && offered_password)) {
    return std::nullopt;
  }
  if (m == 0xff) {
    return ProxyFailure{offered_password ? "SOCKS5: no acceptable authentication method"
                                         : "SOCKS5: the proxy requires authentication "
                                           "(give user:pass)",
                        EACCES};
  }
  return ProxyFailure{"SOCKS5: the proxy chose authentication method " + hex_byte(m) +
                          ", which was not offered",
                      EPROTO};
}

std::optional<std::string> socks5_password_request(std::string_view user, std::string_view pass) {
  if (user.size() > 255 || pass.size() > 255) {
    return std::nullopt;
  }
  std::string out{'\x01', static_cast<char>(user.size())};
  out += user;
  out += static_cast<char>(pass.size());
  out += pass;
  return out;
}

std::optional<ProxyFailure> socks5_password_failure(std::string_view reply) {
  if (reply.size() != 2 || byte_at(reply, 0) != 1) {
    return junk("SOCKS5 authentication reply");
  }
  if (byte_at(reply, 1) != 0) {
    return ProxyFailure{"SOCKS5 authentication failed (status " + hex_byte(byte_at(reply, 1)) +
                            "): wrong user or password",
                        EACCES};
  }
  return std::nullopt;
}

std::optional<std::string> socks5_connect_request(std::string_view host, std::uint16_t port) {
  std::string out{'\x05', '\x01', '\x00'};
  const std::string h(host);
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1) {
    out += '\x01';
    out.append(reinterpret_cast<const char*>(&v4), 4);
  } else if (inet_pton(AF_INET6, h.c_str(), &v6) == 1) {
    out += '\x04';
    out.append(reinterpret_cast<const char*>(&v6), 16);
  } else {
    if (h.empty() || h.size() > 255) {
      return std::nullopt;
    }
    out += '\x03';
    out += static_cast<char>(h.size());
    out += h;
  }
  put_port(out, port);
  return out;
}

std::string_view socks5_reply_text(std::uint8_t code) {
  switch (code) {
  case 0x00:
    return "succeeded";
  case 0x01:
    return "general SOCKS server failure";
  case 0x02:
    return "connection not allowed by ruleset";
  case 0x03:
    return "network unreachable";
  case 0x04:
    return "host unreachable";
  case 0x05:
    return "connection refused";
  case 0x06:
    return "TTL expired";
  case 0x07:
    return "command not supported";
  case 0x08:
    return "address type not supported";
  default:
    return "unknown reply code";
  }
}

std::optional<ProxyFailure> socks5_reply_failure(std::string_view head, std::size_t* rest) {
  if (head.size() != k_socks5_reply_head || byte_at(head, 0) != 5) {
    return junk("SOCKS5 reply");
  }
  const std::uint8_t rep = byte_at(head, 1);
  if (rep != 0) {
    int err = EPROTO;
    switch (rep) {
    case 0x01:
    case 0x05:
      err = ECONNREFUSED;
      break;
    case 0x03:
      err = ENETUNREACH;
      break;
    case 0x04:
      err = EHOSTUNREACH;
      break;
    case 0x06:
      err = ETIMEDOUT;
      break;
    case 0x02:
      err = EACCES;
      break;
    default:
      break;
    }
    return ProxyFailure{
        "SOCKS5 reply " + hex_byte(rep) + ": " + std::string(socks5_reply_text(rep)), err};
  }
  switch (byte_at(head, 3)) {
  case 0x01:
    *rest = 4 + 2;
    return std::nullopt;
  case 0x04:
    *rest = 16 + 2;
    return std::nullopt;
  case 0x03:
    *rest = 1; // the name's length; then socks5_name_rest
    return std::nullopt;
  default:
    return junk("SOCKS5 reply (address type " + hex_byte(byte_at(head, 3)) + ")");
  }
}

std::string http_connect_request(std::string_view host, std::uint16_t port,
                                 const std::optional<std::string>& user,
                                 const std::optional<std::string>& pass) {
  const std::string h(host);
  const std::string authority =
      (h.find(':') != std::string::npos ? "[" + h + "]" : h) + ":" + std::to_string(port);
  std::string out = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n";
  if (user) {
    out += "Proxy-Authorization: Basic " + base64(*user + ":" + pass.value_or("")) + "\r\n";
  }
  out += "\r\n";
  return out;
}

std::size_t http_head_end(std::string_view data) {
  const auto p = data.find("\r\n\r\n");
  return p == std::string_view::npos ? std::string_view::npos : p + 4;
}

bool http_plausible(std::string_view data) {
  constexpr std::string_view k_start = "HTTP/1.";
  const std::size_t n = std::min(data.size(), k_start.size());
  if (data.substr(0, n) != k_start.substr(0, n)) {
    return false;
  }
  const auto eol = data.find('\n');
  if (eol == std::string_view::npos) {
    // A status line is short; one that goes on and on is no status line.
    return data.size() <= 8192;
  }
  // "HTTP/1.x NNN": a digit version, a space, three digits.
  return eol >= 12 && data[8] == ' ' && std::isdigit(static_cast<unsigned char>(data[9])) &&
         std::isdigit(static_cast<unsigned char>(data[10])) &&
         std::isdigit(static_cast<unsigned char>(data[11]));
}

std::optional<ProxyFailure> http_connect_failure(std::string_view head) {
  if (!http_plausible(head) || head.find('\n') == std::string_view::npos) {
    return junk("HTTP response");
  }
  std::string_view line = head.substr(0, head.find('\n'));
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  const std::string_view code = line.substr(9, 3);
  if (code.front() == '2') {
    return std::nullopt;
  }
  std::string_view reason = line.size() > 13 ? line.substr(13) : std::string_view();
  std::string why = "HTTP " + std::string(code);
  if (!reason.empty()) {
    why += " " + std::string(reason);
  }
  // A gateway error is the proxy failing to reach the target (tinyproxy answers 500 to a
  // refused connection): worth a retry. A 4xx is a refusal that a retry will not change.
  return ProxyFailure{why, code.front() == '5' ? ECONNREFUSED : EACCES};
}

std::string base64(std::string_view data) {
  static constexpr char k_alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const unsigned v =
        (byte_at(data, i) << 16) | (byte_at(data, i + 1) << 8) | byte_at(data, i + 2);
    out += k_alphabet[(v >> 18) & 63];
    out += k_alphabet[(v >> 12) & 63];
    out += k_alphabet[(v >> 6) & 63];
    out += k_alphabet[v & 63];
  }
  if (const std::size_t left = data.size() - i; left > 0) {
    const unsigned v = (byte_at(data, i) << 16) | (left == 2 ? byte_at(data, i + 1) << 8 : 0);
    out += k_alphabet[(v >> 18) & 63];
    out += k_alphabet[(v >> 12) & 63];
    out += left == 2 ? k_alphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

} // namespace ipcat
