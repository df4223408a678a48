#!/usr/bin/env bash
# -ulk with -c: a session per peer. Three peers (from 127.0.0.2, .3 and .4) each get their own
# child (it says its pid first) and only their own answers; a peer's second datagram goes to
# the same child.
source "$(dirname "$0")/common.sh"
need python3 stdbuf
peer="$IPCAT_SOURCE_DIR/tests/e2e/svc_udp_peer.py"

"$IPCAT" -v -ulk 127.0.0.1 0 -c 'echo "pid $$"; exec stdbuf -o0 tr a-z A-Z' 2>l.err &
lst=$!
port=$(listen_port l.err)

peers=()
for n in 2 3 4; do
  python3 "$peer" "127.0.0.$n" "$port" "p$n.log" 0.3 "hello from $n" "?HELLO FROM $n" "again $n" \
    "?AGAIN $n" &
  peers+=($!)
done
for p in "${peers[@]}"; do
  wait_exit "$p" 10
done
for n in 2 3 4; do
  # Its own answers, in order, and nobody else's: one child, started for it.
  assert_eq "HELLO FROM $n|AGAIN $n" "$(grep -v '^pid ' "p$n.log" | paste -sd'|')" "peer $n's answers"
  assert_eq 1 "$(grep -c '^pid [0-9]*$' "p$n.log")" "children that answered peer $n"
done
pids=$(cat p2.log p3.log p4.log | grep '^pid ' | sort -u | wc -l)
assert_eq 3 "$pids" "distinct children"
assert_eq 3 "$(grep -c '^Started ' l.err)" "children started"
for n in 2 3 4; do
  grep -q "^Connection from udp:127.0.0.$n:" l.err || fail "no session for 127.0.0.$n: $(show l.err)"
done
still_running "$lst"
kill -TERM "$lst"
wait_exit "$lst" 5
assert_eq 143 "$status" "listener's status after SIGTERM"
