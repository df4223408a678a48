#!/usr/bin/env bash
# Bad values of the shaping options are usage errors (one line, status 2), a dump file that
# cannot be opened a runtime error (one line, status 1), all before anything listens.
source "$(dirname "$0")/common.sh"

check() { # WANT-STATUS ARGS...
  local want=$1 rc=0
  shift
  timeout 10 "$IPCAT" "$@" -lU "$T/never.sock" </dev/null >/dev/null 2>err.txt || rc=$?
  assert_eq "$want" "$rc" "status of ipcat $*"
  assert_error err.txt
  [[ ! -e $T/never.sock ]] || fail "ipcat $*: listened anyway"
}
check 2 --rate 0
check 2 --rate 5X
check 2 --rate -1M
check 2 --delay x
check 2 -o a.raw --append-output b.raw
check 1 --hex-dump /nonexistent/dir/f
grep -q 'rate' <(timeout 10 "$IPCAT" --rate 0 -U x 2>&1) || fail "--rate 0: the message does not name --rate"
