#!/usr/bin/env bash
# Every C++ source is formatted as .clang-format says.
source "$(dirname "$0")/../e2e/common.sh"
need clang-format
cd "$IPCAT_SOURCE_DIR"
mapfile -t files < <(ls src/*.cpp src/*.hpp tests/unit/*.cpp tests/fuzz/*.cpp 2>/dev/null)
clang-format --dry-run "${files[@]}" >"$T/format.out" 2>&1
if grep -q 'warning:' "$T/format.out"; then
  grep 'warning:' "$T/format.out" | head -20 >&2
  fail "$(grep -c 'warning:' "$T/format.out") place(s) not formatted (run clang-format -i)"
fi
