#!/usr/bin/env bash
# A stale socket file (no listener: connect is refused) is taken over silently by a listener,
# which then works and removes the file at the end.
source "$(dirname "$0")/common.sh"
need python3

sock=$T/stale.sock
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$sock"
[[ -S $sock ]] || fail "could not make a stale socket"

"$IPCAT" -v -lU "$sock" <<<"from listener" >l.out 2>l.err &
lst=$!
wait_listening l.err
assert_eq "Listening on unix:$sock" "$(head -n 1 l.err)" "-v line"
got=$(echo "from client" | timeout 10 "$IPCAT" -U "$sock" 2>c.err) || fail "client exited with status $?"
assert_eq "from listener" "$got" "client received"
wait_exit "$lst" 5
assert_eq 0 "$status" "listener's status"
assert_eq "from client" "$(cat l.out)" "listener received"
# Silently: no warning or error, only -v events.
assert_no_error_line l.err "listener's stderr"
[[ ! -e $sock ]] || fail "the socket file is still there"
