#!/usr/bin/env bash
# A child as the local side: -c (via /bin/sh -c), -e (words, no shell) and exec:COMMAND. The
# client's data goes through the child and the child's output comes back; -v reports the child's
# exit status; a child that does not read its input still gets its output delivered.
source "$(dirname "$0")/common.sh"

# -c 'tr a-z A-Z'
"$IPCAT" -lU "$T/c.sock" -c 'tr a-z A-Z' >c.srv.out 2>c.srv.err &
srv=$!
wait_socket "$T/c.sock"
got=$(printf 'abc\n' | timeout 10 "$IPCAT" -U "$T/c.sock" 2>c.cli.err) || fail "client of -c exited with status $?"
assert_eq ABC "$got" "reply through -c 'tr a-z A-Z'"
assert_empty c.cli.err "client's stderr (-c)"
wait_exit "$srv" 5
assert_eq 0 "$status" "listener's status (-c)"
assert_empty c.srv.out "listener's stdout (-c)"
assert_empty c.srv.err "listener's stderr (-c)"
[[ ! -e $T/c.sock ]] || fail "the -c listener left its socket"

# -e 'tr a-z A-Z': no shell; quotes group words.
"$IPCAT" -lU "$T/e.sock" -e 'tr a-z A-Z' 2>e.srv.err &
srv=$!
wait_socket "$T/e.sock"
got=$(printf 'abc\n' | timeout 10 "$IPCAT" -U "$T/e.sock" 2>e.cli.err) || fail "client of -e exited with status $?"
assert_eq ABC "$got" "reply through -e 'tr a-z A-Z'"
wait_exit "$srv" 5
assert_eq 0 "$status" "listener's status (-e)"
assert_empty e.srv.err "listener's stderr (-e)"
"$IPCAT" -lU "$T/e2.sock" -e "printf '%s|%s' 'a b' \$HOME;x" 2>e2.srv.err &
srv=$!
wait_socket "$T/e2.sock"
got=$(timeout 10 "$IPCAT" -U "$T/e2.sock" </dev/null) || fail "client of -e with quotes exited with status $?"
# shellcheck disable=SC2016 # a literal $HOME: no shell may expand it
assert_eq 'a b|$HOME;x' "$got" "-e passes words as they are: no shell expansion, quotes group"
wait_exit "$srv" 5
assert_eq 0 "$status" "listener's status (-e with quotes)"

# exec:COMMAND in the address form, and the socat spelling system:.
got=$(timeout 10 "$IPCAT" 'exec:echo hello' - </dev/null 2>x.err) || fail "'exec:echo hello' - exited with status $?"
assert_eq hello "$got" "output of 'exec:echo hello' -"
assert_empty x.err "stderr of 'exec:echo hello' -"
got=$(printf 'a,b\n' | timeout 10 "$IPCAT" - 'exec:tr , ";"' 2>x2.err) || fail "- exec:tr exited with status $?"
assert_eq 'a;b' "$got" "stdin through 'exec:tr , \";\"' (commas belong to the command)"
got=$(timeout 10 "$IPCAT" 'system:echo sys' - </dev/null) || fail "'system:echo sys' - exited with status $?"
assert_eq sys "$got" "output of 'system:echo sys' -"

# -v reports the child's exit status.
"$IPCAT" -v -lU "$T/v.sock" -c 'cat; exit 3' >v.srv.out 2>v.srv.err &
srv=$!
wait_socket "$T/v.sock"
got=$(printf 'data\n' | timeout 10 "$IPCAT" -U "$T/v.sock" 2>v.cli.err) || fail "client exited with status $?"
assert_eq data "$got" "reply through 'cat; exit 3'"
wait_exit "$srv" 5
assert_eq 0 "$status" "listener's status when its child exits 3"
grep -qxF "Command 'cat; exit 3' exited with status 3" v.srv.err ||
  fail "no \"Command 'cat; exit 3' exited with status 3\" line in: $(show v.srv.err)"
assert_eq 1 "$(grep -c '^Command ' v.srv.err)" "Command lines in the -v output"
# The same for exec: in the address form.
timeout 10 "$IPCAT" -v 'exec:exit 5' - </dev/null >/dev/null 2>v2.err || true
grep -qxF "Command 'exit 5' exited with status 5" v2.err ||
  fail "no \"Command 'exit 5' exited with status 5\" line in: $(show v2.err)"

# A child that does not read its input (1 MiB of it) still gets its output delivered; the
# client, whose bytes were not taken, says so (status 1, one line).
head -c 768K /dev/urandom | base64 >big
"$IPCAT" -lU "$T/n.sock" -c 'echo hi' 2>n.srv.err &
srv=$!
wait_socket "$T/n.sock"
rc=0
got=$(timeout 10 "$IPCAT" -U "$T/n.sock" <big 2>n.cli.err) || rc=$?
assert_eq hi "$got" "output of a child that does not read its input"
assert_eq 1 "$rc" "client's status"
assert_error n.cli.err 'not delivered$'
wait_exit "$srv" 5
echo "listener with a child that ignores 1 MiB of input: status $status, stderr $(show n.srv.err)" >&2
((status == 0 || status == 1)) || fail "listener's status $status with a child that ignores its input"
((status == 0)) || assert_error n.srv.err
((status != 0)) || assert_empty n.srv.err "listener's stderr"
# And with no input at all.
"$IPCAT" -lU "$T/n2.sock" -c 'echo hi' 2>n2.srv.err &
srv=$!
wait_socket "$T/n2.sock"
got=$(timeout 10 "$IPCAT" -U "$T/n2.sock" </dev/null) || fail "client exited with status $?"
assert_eq hi "$got" "output of 'echo hi' to a client with no input"
wait_exit "$srv" 5
assert_eq 0 "$status" "listener's status"
