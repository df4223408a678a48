#!/usr/bin/env bash
# -ulk sessions with real UDP clients: nc.openbsd and ncat each get their own child and their
# own answer.
source "$(dirname "$0")/common.sh"
need nc.openbsd ncat stdbuf

"$IPCAT" -v -ulk 127.0.0.1 0 -c 'echo "pid $$"; exec stdbuf -o0 tr a-z A-Z' 2>l.err &
lst=$!
port=$(listen_port l.err)

# Each client sends a line, then waits a moment for the answers before it quits.
(printf 'hello nc\n'; sleep 0.6) | timeout 5 nc.openbsd -u -w 1 127.0.0.1 "$port" >nc.out &
nc=$!
(printf 'hello ncat\n'; sleep 0.6) | timeout 5 ncat -u 127.0.0.1 "$port" >ncat.out &
ncat=$!
wait_exit "$nc" 8
wait_exit "$ncat" 8
assert_eq 'HELLO NC' "$(grep -v '^pid ' nc.out)" "nc.openbsd's answer"
assert_eq 'HELLO NCAT' "$(grep -v '^pid ' ncat.out)" "ncat's answer"
a=$(grep '^pid ' nc.out) b=$(grep '^pid ' ncat.out)
[[ -n $a && -n $b && $a != "$b" ]] || fail "expected a child each, got '$a' and '$b'"
assert_eq 2 "$(grep -c '^Started ' l.err)" "children started"
kill -TERM "$lst"
wait_exit "$lst" 5
assert_eq 143 "$status" "listener's status after SIGTERM"
