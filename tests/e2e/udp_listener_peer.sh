#!/usr/bin/env bash
# A UDP listener waits for the first datagram, then answers the peer that spoke last; the end of
# its own input does not end it.
source "$(dirname "$0")/common.sh"
need python3
peer=$(udp_peer_script)

open_input in
"$IPCAT" -v -u -l 127.0.0.1 0 <in >l.out 2>l.err &
lst=$!
port=$(listen_port l.err)

# Peer A speaks first, and gets the answer.
python3 "$peer" a "$port" &
wait_for 5 grep -qx hello l.out
printf 'to-a\n' | send_input in
wait_for 5 grep -qx "$(hex $'to-a\n')" a.log

# Peer B speaks: the next answer goes to B, not to A.
python3 "$peer" b "$port" &
wait_for 5 has_lines l.out 2
printf 'to-b\n' | send_input in
wait_for 5 grep -qx "$(hex $'to-b\n')" b.log
sleep 0.3
assert_eq 1 "$(line_count a.log)" "datagrams A received"

# The listener's input ends; it keeps running and still writes what arrives.
close_input in
sleep 0.5
still_running "$lst"
python3 - "$port" <<'PY'
import socket, sys
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"after eof\n", ("127.0.0.1", int(sys.argv[1])))
PY
wait_for 5 grep -qx 'after eof' l.out
assert_eq $'hello\nhello\nafter eof' "$(cat l.out)" "what the listener wrote"
still_running "$lst"
kill -TERM "$lst"
wait_exit "$lst" 5
assert_eq 143 "$status" "listener's status after SIGTERM"
