#include "tls_flags.hpp"

#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace ipcat {

namespace {

// A stream socket of either role: TLS applies to it.
bool stream_socket(const Address& a) {
  return a.type().caps.socket && !a.type().caps.datagram;
}

bool any_flag(const TlsFlags& f) {
  return !f.cert.empty() || !f.key.empty() || !f.trustfile.empty() || !f.verify.empty() ||
         !f.servername.empty() || !f.alpn.empty() || !f.ciphers.empty() || !f.pin.empty();
}

std::optional<UsageError> carry(const TlsFlags& f, TlsSettings& s) {
  auto set_text = [](std::string& field, const std::string& flag) {
    if (field.empty()) {
      field = flag;
    }
  };
  set_text(s.cert, f.cert);
  set_text(s.key, f.key);
  set_text(s.cafile, f.trustfile);
  set_text(s.servername, f.servername);
  set_text(s.ciphers, f.ciphers);
  if (!f.verify.empty() && !s.verify) {
    s.verify = parse_verify(f.verify);
    if (!s.verify) {
      return fail("--ssl-verify takes yes or no, not '", f.verify, "'");
    }
  }
  if (!f.alpn.empty() && s.alpn.empty()) {
    auto list = parse_alpn(f.alpn);
    if (!list) {
      return fail("--ssl-alpn: ", list.error());
    }
    s.alpn = *list;
  }
  if (!f.pin.empty() && !s.pin) {
    auto pin = parse_pin(f.pin);
    if (!pin) {
      return fail("--ssl-pin: ", pin.error());
    }
    s.pin = *pin;
  }
  return std::nullopt;
}

} // namespace

std::optional<UsageError> apply_tls_flags(const TlsFlags& f, Address& left, Address& right) {
  if (f.ssl) {
    Address* target = stream_socket(right) ? &right : stream_socket(left) ? &left : nullptr;
    if (target == nullptr) {
      return fail("--ssl needs a TCP or Unix stream socket (not UDP or a datagram socket)");
    }
    if (!target->options.tls.on) {
      target->options.tls.on = true;
      target->written_options.emplace_back("tls", "");
    }
  }
  if (!any_flag(f)) {
    return std::nullopt;
  }
  bool used = false;
  for (Address* a : {&left, &right}) {
    if (a->options.tls.on) {
      if (auto err = carry(f, a->options.tls)) {
        return err;
      }
      used = true;
    }
  }
  if (!used) {
    return fail("the --ssl-* flags need TLS: add --ssl (or use a tls: address)");
  }
  return std::nullopt;
}

std::optional<UsageError> check_tls_files(const Address& a) {
  const TlsSettings& s = a.options.tls;
  if (!s.on) {
    return std::nullopt;
  }
  for (const auto& [file, what] : {std::pair{&s.cert, "certificate"}, std::pair{&s.key, "key"},
                                   std::pair{&s.cafile, "trust file"}}) {
    if (file->empty()) {
      continue;
    }
    struct stat st {};
    if (::stat(file->c_str(), &st) != 0 || ::access(file->c_str(), R_OK) != 0) {
      return fail("TLS ", what, " '", *file, "': ", std::strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) {
      return fail("TLS ", what, " '", *file, "': is a directory");
    }
  }
  if (!s.key.empty() && s.cert.empty()) {
    return fail("a TLS key (--ssl-key, key=) needs its certificate (--ssl-cert, cert=)");
  }
  return std::nullopt;
}

} // namespace ipcat
