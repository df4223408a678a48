#include "tls_options.hpp"

#include <algorithm>
#include <cctype>

namespace ipcat {

namespace {

constexpr std::string_view k_pin_prefix = "sha256:";

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  const int l = std::tolower(static_cast<unsigned char>(c));
  if (l >= 'a' && l <= 'f') {
    return l - 'a' + 10;
  }
  return -1;
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') {
    return c - 'A';
  }
  if (c >= 'a' && c <= 'z') {
    return c - 'a' + 26;
  }
  if (c >= '0' && c <= '9') {
    return c - '0' + 52;
  }
  if (c == '+' || c == '-') {
    return 62;
  }
  if (c == '/' || c == '_') {
    return 63;
  }
  return -1;
}

std::optional<CertDigest> from_hex(std::string_view s) {
  std::string digits;
  for (char c : s) {
    if (c != ':') {
      digits += c;
    }
  }
  if (digits.size() != 64) {
    return std::nullopt;
  }
  CertDigest d{};
  for (std::size_t i = 0; i < d.size(); ++i) {
    const int hi = hex_value(digits[2 * i]);
    const int lo = hex_value(digits[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return std::nullopt;
    }
    d[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return d;
}

std::optional<CertDigest> from_base64(std::string_view s) {
  while (!s.empty() && s.back() == '=') {
    s.remove_suffix(1);
  }
  // 32 bytes are 43 base64 digits (the last one carrying 2 bits).
  if (s.size() != 43) {
    return std::nullopt;
  }
  CertDigest d{};
  std::size_t out = 0;
  unsigned acc = 0;
  int bits = 0;
  for (char c : s) {
    const int v = base64_value(c);
    if (v < 0) {
      return std::nullopt;
    }
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (out < d.size()) {
        d[out++] = static_cast<std::uint8_t>((acc >> bits) & 0xff);
      }
    }
  }
  return out == d.size() ? std::optional(d) : std::nullopt;
}

} // namespace

bool TlsSettings::any_setting() const {
  return !cert.empty() || !key.empty() || !cafile.empty() || verify.has_value() ||
         !servername.empty() || !alpn.empty() || !ciphers.empty() || pin.has_value();
}

bool is_tls_option(std::string_view name) {
  static constexpr std::string_view k_names[] = {"tls",        "cert", "key", "cafile", "verify",
                                                 "servername", "alpn", "pin", "ciphers"};
  return std::find(std::begin(k_names), std::end(k_names), name) != std::end(k_names);
}

std::optional<UsageError> apply_tls_option(TlsSettings& s, std::string_view name,
                                           std::string_view value, bool has_value,
                                           const std::string& where) {
  const std::string n(name);
  if (name == "tls") {
    if (has_value) {
      return fail("option 'tls' takes no value in '", where, "'");
    }
    s.on = true;
    return std::nullopt;
  }
  if (!has_value || value.empty()) {
    return fail("option '", n, "' needs a value in '", where, "' (", n, "=...)");
  }
  const std::string v(value);
  if (name == "cert") {
    s.cert = v;
  } else if (name == "key") {
    s.key = v;
  } else if (name == "cafile") {
    s.cafile = v;
  } else if (name == "servername") {
    s.servername = v;
  } else if (name == "ciphers") {
    s.ciphers = v;
  } else if (name == "verify") {
    s.verify = parse_verify(value);
    if (!s.verify) {
      return fail("option 'verify' takes 0 or 1 in '", where, "'");
    }
  } else if (name == "alpn") {
    auto list = parse_alpn(value);
    if (!list) {
      return fail(list.error(), " in '", where, "'");
    }
    s.alpn = *list;
  } else if (name == "pin") {
    auto pin = parse_pin(value);
    if (!pin) {
      return fail(pin.error(), " in '", where, "'");
    }
    s.pin = *pin;
  }
  return std::nullopt;
}

Result<CertDigest> parse_pin(std::string_view text) {
  const std::string shown(text);
  std::string head(text.substr(0, std::min(text.size(), k_pin_prefix.size())));
  std::transform(head.begin(), head.end(), head.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (head != k_pin_prefix) {
    return fail("invalid pin '", shown, "': expected SHA256: and the certificate's digest");
  }
  const std::string_view body = text.substr(k_pin_prefix.size());
  if (auto d = from_hex(body)) {
    return *d;
  }
  if (auto d = from_base64(body)) {
    return *d;
  }
  return fail("invalid pin '", shown, "': SHA256: takes 64 hex digits or 43 base64 digits");
}

std::string format_pin(std::span<const std::uint8_t, 32> d) {
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out = "SHA256:";
  for (const std::uint8_t b : d) {
    out += k_hex[b >> 4];
    out += k_hex[b & 0xf];
  }
  return out;
}

Result<std::vector<std::string>> parse_alpn(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = text.find_first_of(",:", start);
    const std::string_view item =
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (item.empty() || item.size() > 255) {
      return fail("invalid ALPN list '", std::string(text),
                  "': protocol names of 1 to 255 bytes, separated by ',' or ':'");
    }
    out.emplace_back(item);
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 1;
  }
  return out;
}

std::optional<bool> parse_verify(std::string_view text) {
  std::string v(text);
  std::transform(v.begin(), v.end(), v.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (v == "1" || v == "yes" || v == "true" || v == "on") {
    return true;
  }
  if (v == "0" || v == "no" || v == "false" || v == "off") {
    return false;
  }
  return std::nullopt;
}

} // namespace ipcat
