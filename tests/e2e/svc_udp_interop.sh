#!/usr/bin/env bash
# -ulk sessions with real UDP clients: nc.openbsd and ncat each get their own child and their
# own answer.
source "$(dirname "$0")/common.sh"
need nc.openbsd ncat stdbuf

"$IPCAT" -v -ulk 127.0.0.1 0 -c 'echo "pid $$"; exec stdbuf -o0 tr a-z A-Z' 2>l.err &
lst=$!
port=$(listen_port l.err)

# Each client sends a line, and keeps its input open until the answer has come (10 s at
# most), so that it waits for it.
answered() {
  for _ in $(seq 200); do
    grep -q HELLO "$1" 2>/dev/null && return 0
    sleep 0.05
  done
}
(printf 'hello nc\n'; answered nc.out) | timeout 15 nc.openbsd -u -q 1 127.0.0.1 "$port" >nc.out &
nc=$!
(printf 'hello ncat\n'; answered ncat.out) | timeout 15 ncat -u 127.0.0.1 "$port" >ncat.out &
ncat=$!
wait_exit "$nc" 15
wait_exit "$ncat" 15
assert_eq 'HELLO NC' "$(grep -v '^pid ' nc.out)" "nc.openbsd's answer"
assert_eq 'HELLO NCAT' "$(grep -v '^pid ' ncat.out)" "ncat's answer"
a=$(grep '^pid ' nc.out) b=$(grep '^pid ' ncat.out)
[[ -n $a && -n $b && $a != "$b" ]] || fail "expected a child each, got '$a' and '$b'"
assert_eq 2 "$(grep -c '^Started ' l.err)" "children started"
kill -TERM "$lst"
wait_exit "$lst" 5
assert_eq 143 "$status" "listener's status after SIGTERM"
