#!/usr/bin/env bash
# Usage errors of the reworked command line, each status 2 and one line that ends with the
# --help hint exactly once:
# - --mode where no file is created: an abstract Unix socket (-lU @name, unix-listen:@n,mode=);
# - the first unknown option is named alone (`-J -b` names -J, not "-b -J");
# - an unknown address type gives the hint once, not twice.
source "$(dirname "$0")/common.sh"

n=0
# usage WORD ARGS...: `ipcat ARGS` ends at once with status 2, one line naming WORD, the hint
# once, nothing on stdout. A short bound: the old behaviour here was to go on listening.
usage() {
  local word=$1
  shift
  n=$((n + 1))
  local rc=0
  timeout 3 "$IPCAT" "$@" </dev/null >"u$n.out" 2>"u$n.err" || rc=$?
  ((rc == 2)) || fail "ipcat $*: status $rc, expected 2; stderr: $(show "u$n.err")"
  assert_usage_error "u$n.err"
  grep -qF -- "$word" "u$n.err" || fail "ipcat $*: the message does not name '$word': $(show "u$n.err")"
  local hints
  hints=$(grep -o "ipcat --help" "u$n.err" | wc -l)
  assert_eq 1 "$hints" "hints to --help in the message of ipcat $*"
  assert_empty "u$n.out" "stdout of ipcat $*"
}

# --mode and an abstract socket: no file, so no mode.
usage abstract -lU @ipcat-opts-$$ --mode 600
usage abstract -luU @ipcat-opts-$$ --mode 600
usage abstract unix-listen:@ipcat-opts-$$,mode=600
usage abstract --mode 600 unix-dgram-listen:@ipcat-opts-$$

# The first unknown option, alone.
usage "unknown option '-J'" -J -b
usage "unknown option '--bogus'" 127.0.0.1 --bogus 9 --worse
assert_eq "ipcat: unknown option '-J' (try 'ipcat --help')" "$(cat u5.err)" "message for -J -b"
assert_eq "ipcat: unknown option '--bogus' (try 'ipcat --help')" "$(cat u6.err)" "message for --bogus"

# An unknown address type: the hint once.
usage "unknown address type 'foo'" foo:bar -
usage "unknown address type 'bogus'" bogus:thing 80
