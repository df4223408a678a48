// Invariant checks for the libFuzzer targets: a failed check prints what failed, with the
// values involved, and aborts, so libFuzzer records the input as a crash (see README.md).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace ipcat_fuzz {

/// Shows bytes as a C string literal: printable ASCII as is, everything else escaped.
inline std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (const unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out + "\"";
}

[[noreturn]] inline void fail(const char* cond, const char* file, int line,
                              const std::string& context) {
  std::fprintf(stderr, "\n==== invariant failed: %s\n     at %s:%d\n     %s\n", cond, file, line,
               context.c_str());
  std::fflush(stderr);
  std::abort();
}

} // namespace ipcat_fuzz

/// FUZZ_CHECK(condition, context): context is a std::string built only when the check fails.
#define FUZZ_CHECK(cond, context)                                                                  \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      ::ipcat_fuzz::fail(#cond, __FILE__, __LINE__, (context));                                    \
    }                                                                                              \
  } while (false)
