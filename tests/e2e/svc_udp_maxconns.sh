#!/usr/bin/env bash
# -ulk -m 1: while one peer's session runs, a second peer's datagrams are dropped, each with a
# -v line; once the first child has exited, the second peer gets a session of its own.
source "$(dirname "$0")/common.sh"
need python3
peer="$IPCAT_SOURCE_DIR/tests/e2e/svc_udp_peer.py"

# A child answers its first line, then holds its session until the test lets it go.
"$IPCAT" -v -ulk -m 1 127.0.0.1 0 \
  -c 'read -r l; echo "got $l"; while [ ! -e "$T/release" ]; do sleep 0.05; done' 2>l.err &
lst=$!
port=$(listen_port l.err)

python3 "$peer" 127.0.0.2 "$port" a.log 0 first '?got first' &
a=$!
wait_for 5 grep -qx 'got first' a.log
# The first child still runs: this peer is refused.
python3 "$peer" 127.0.0.3 "$port" b.log 0.2 early &
b=$!
wait_exit "$b" 5
assert_empty b.log "what the refused peer received"
wait_for 5 grep -q "^Dropped a datagram from udp:127.0.0.3:[0-9]*: 1 sessions already (-m)" l.err
wait_exit "$a" 5
# The first session ends with its child; now the second peer is served.
touch release
wait_for 5 grep -q 'exited with status 0' l.err
python3 "$peer" 127.0.0.3 "$port" b2.log 0.2 later '?got later' &
b=$!
wait_exit "$b" 5
assert_eq 'got later' "$(cat b2.log)" "what the second peer received once there was room"
assert_eq 2 "$(grep -c '^Started ' l.err)" "children started"
kill -TERM "$lst"
wait_exit "$lst" 5
assert_eq 143 "$status" "listener's status after SIGTERM"
