#!/usr/bin/env bash
# Usage errors: status 2, exactly one line on stderr, "ipcat: ..." ending with the --help hint,
# nothing on stdout, and nothing done (no socket file created, no connection made).
source "$(dirname "$0")/common.sh"

# A TCP port with nothing listening, in case a bad command line connects anyway.
closed=9

n=0
usage() {
  n=$((n + 1))
  local rc=0
  timeout 10 "$IPCAT" "$@" </dev/null >"u$n.out" 2>"u$n.err" || rc=$?
  ((rc == 2)) || fail "ipcat $*: status $rc, expected 2; stderr: $(show "u$n.err")"
  assert_usage_error "u$n.err"
  assert_empty "u$n.out" "stdout of ipcat $*"
}

usage --bogus
usage --bogus 127.0.0.1 "$closed"
usage -l 70000
usage 127.0.0.1 70000
usage -l -p 70000
usage 127.0.0.1 abc
usage -l
usage -u -l
usage -l 127.0.0.1 "$closed" extra
usage 127.0.0.1 "$closed" extra more
usage -k 127.0.0.1 "$closed"
usage -z -l 127.0.0.1 0
usage -4 -6 127.0.0.1 "$closed"
usage -d --send-only 127.0.0.1 "$closed"
usage -4 -U "$T/x.sock"
usage -6 -lU "$T/x.sock"
usage --count 5 -U "$T/x.sock"
usage --count 5
usage --uuid --interval 5parsecs
usage --uuid --interval 5parsecs -lU "$T/x.sock"
usage --uuid=v9 --count 1
usage --mode 999 -lU "$T/x.sock"
usage --mode rw -lU "$T/x.sock"
usage --mode 600 -lU @ipcat-usage-$$
usage -s "$T/me.sock" -U "$T/x.sock"
usage -p 4000 -Uu "$T/x.sock"
usage -C -b

[[ ! -e $T/x.sock ]] || fail "a usage error created $T/x.sock"
