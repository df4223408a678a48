#!/usr/bin/env bash
# -ulk -i: an idle peer's session ends (its child's input is closed, the child says goodbye to
# that peer, exits and is reaped), and the peer's next datagram starts a new child.
source "$(dirname "$0")/common.sh"
need python3
peer="$IPCAT_SOURCE_DIR/tests/e2e/svc_udp_peer.py"

"$IPCAT" -v -ulk -i 0.4 127.0.0.1 0 -c 'echo "start $$"; cat; echo "end $$"' 2>l.err &
lst=$!
port=$(listen_port l.err)

# One datagram, then silence until the idle end makes the child say goodbye, then another one.
python3 "$peer" 127.0.0.2 "$port" p.log 0.3 one '?end ' @0.3 two '?two' &
p=$!
wait_exit "$p" 10
first=$(grep -m1 '^start ' p.log | cut -d' ' -f2)
second=$(grep '^start ' p.log | sed -n 2p | cut -d' ' -f2)
[[ -n $first && -n $second ]] || fail "expected two children, got $(show p.log)"
[[ $first != "$second" ]] || fail "the second datagram went to the first child"
assert_eq "start $first|one|end $first|start $second|two" "$(head -5 p.log | paste -sd'|')" \
  "what the peer received"
grep -q "^Connection from udp:127.0.0.2:[0-9]* ended: idle timeout" l.err ||
  fail "no idle line: $(show l.err)"
# The first child was reaped when its session ended; the second runs until it is idle too.
wait_for 5 grep -q "exited with status 0" l.err
! kill -0 "$first" 2>/dev/null || fail "the idle peer's child $first still runs"
reaped() { (($(grep -c 'exited with status 0' l.err) >= 2)); }
wait_for 5 reaped
still_running "$lst"
kill -TERM "$lst"
wait_exit "$lst" 5
assert_eq 143 "$status" "listener's status after SIGTERM"
