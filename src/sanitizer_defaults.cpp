// Built into the executables of a -DIPCAT_SANITIZE=...undefined build only.
//
// UBSan's vptr check is compiled recoverable (-fsanitize-recover=vptr) while every other check
// aborts; these defaults make a vptr report fatal all the same, so nothing changes unless a run
// asks otherwise in UBSAN_OPTIONS. One test does: at the descriptor limit, the sanitizer
// runtime probes the memory of a vtable with pipe(2), which fails with EMFILE, and it then
// reports a correct object as having an "invalid vptr" ("<memory cannot be printed>"). That
// test lets such reports through and fails on any other (see tests/e2e/fault_fd_limit.sh).
//
// The shared libubsan reads its options only when it first reports, and it reads UBSAN_OPTIONS
// from /proc/self/environ: with no descriptor left, that fails and the environment would be
// ignored. So the defaults carry UBSAN_OPTIONS themselves, taken from libc's environment.
#include <cstdio>
#include <cstdlib>

// NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): the runtime's hook
extern "C" const char* __ubsan_default_options() {
  static char options[4096];
  const char* env = std::getenv("UBSAN_OPTIONS");
  std::snprintf(options, sizeof options, "halt_on_error=1:print_stacktrace=1%s%s",
                env != nullptr ? ":" : "", env != nullptr ? env : "");
  return options;
}
