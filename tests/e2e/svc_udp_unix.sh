#!/usr/bin/env bash
# unix-dgram-listen: with -k and a child: a session per peer, as for UDP. Two datagram clients,
# each bound to a path of its own (-Uu -s PATH), get their own child and their own answers;
# the listener removes its socket file at exit.
source "$(dirname "$0")/common.sh"
need stdbuf

"$IPCAT" -v -k "unix-dgram-listen:$T/l.sock" exec:'sh -c "echo pid \$\$; exec stdbuf -o0 tr a-z A-Z"' \
  2>l.err &
lst=$!
wait_socket "$T/l.sock"
answered() {
  for _ in $(seq 200); do
    grep -q HELLO "$1" 2>/dev/null && return 0
    sleep 0.05
  done
}
for n in 1 2; do
  (printf 'hello %s\n' "$n"; answered "c$n.out") |
    timeout 15 "$IPCAT" -Uu -s "$T/c$n.sock" "$T/l.sock" >"c$n.out" 2>"c$n.err" &
  eval "c$n=\$!"
done
wait_exit "$c1" 15
wait_exit "$c2" 15
assert_eq 'HELLO 1' "$(grep -v '^pid ' c1.out)" "first client's answer"
assert_eq 'HELLO 2' "$(grep -v '^pid ' c2.out)" "second client's answer"
a=$(grep '^pid ' c1.out) b=$(grep '^pid ' c2.out)
[[ -n $a && -n $b && $a != "$b" ]] || fail "expected a child each, got '$a' and '$b'"
kill -TERM "$lst"
wait_exit "$lst" 5
assert_eq 143 "$status" "listener's status after SIGTERM"
[[ ! -e $T/l.sock ]] || fail "the listener left its socket file"
