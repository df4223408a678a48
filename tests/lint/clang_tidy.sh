#!/usr/bin/env bash
# clang-tidy with the short list of checks in .clang-tidy (all treated as errors) over the
# sources it can parse. clang-tidy 14 cannot parse C++20 coroutines against libstdc++ 12 (it
# does not define __cpp_impl_coroutine), so the files built on asio::awaitable are left to
# g++'s warnings (-Werror in CI) and the sanitizers; the rest (parsers, UUIDs, descriptors,
# access rules, zero-copy syscalls) are checked here.
source "$(dirname "$0")/../e2e/common.sh"
need clang-tidy
: "${IPCAT_BUILD_DIR:?}"
[[ -f $IPCAT_BUILD_DIR/compile_commands.json ]] || fail "no compile_commands.json in $IPCAT_BUILD_DIR"
cd "$IPCAT_SOURCE_DIR"
files=(src/access.cpp src/address.cpp src/duration.cpp src/endpoint_types.cpp src/fd.cpp
  src/fd_limit.cpp src/line_framer.cpp src/log.cpp src/netcat_form.cpp src/options.cpp
  src/resolve.cpp src/usage.cpp src/uuid.cpp src/zero_copy.cpp)
clang-tidy --quiet -p "$IPCAT_BUILD_DIR" "${files[@]}" >"$T/tidy.out" 2>&1 || {
  grep -E 'error:|warning:' "$T/tidy.out" >&2 || cat "$T/tidy.out" >&2
  fail "clang-tidy found problems"
}
