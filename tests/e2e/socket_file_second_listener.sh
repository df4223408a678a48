#!/usr/bin/env bash
# A one-client Unix listener whose stdin is /dev/null keeps its socket and its one session
# while (a) a second ipcat listener on the same path is refused ("Address already in use"; the
# check is made without connecting, so the first never even sees it) and (b) `ipcat -z`
# probes it (a connection that closes without data is not a client); a real client then gets
# through. A Unix datagram listener likewise stays undisturbed by a second one.
source "$(dirname "$0")/common.sh"
need python3

sock=$T/s.sock
"$IPCAT" -v -lU "$sock" </dev/null >l.out 2>l.err &
lst=$!
wait_listening l.err
inode=$(stat -c %i "$sock")

# (a) A second listener on the live path, without and with -k.
expect_status 1 "$IPCAT" -lU "$sock" </dev/null >l2.out 2>l2.err
assert_eq "ipcat: listen unix:$sock: Address already in use" "$(cat l2.err)" "second listener's error"
expect_status 1 "$IPCAT" -v -k -lU "$sock" </dev/null >l3.out 2>l3.err
assert_error l3.err 'Address already in use'
sleep 0.3
still_running "$lst"
[[ -S $sock ]] || fail "the first listener's socket file is gone"
assert_eq "$inode" "$(stat -c %i "$sock")" "inode of the first listener's socket"
assert_eq "Listening on unix:$sock" "$(cat l.err)" "first listener's events (it saw no connection)"

# (b) A port-scan probe: connects and closes without data.
expect_status 0 "$IPCAT" -z -U "$sock" </dev/null >z.out 2>z.err
assert_empty z.err "stderr of -z"
sleep 0.3
still_running "$lst"
[[ -S $sock ]] || fail "the socket file is gone after the -z probe"

# The real client: its data reaches the listener, which then ends normally.
echo "real client" | timeout 10 "$IPCAT" -U "$sock" >c.out 2>c.err || fail "real client: status $?"
assert_empty c.err "real client's stderr"
wait_exit "$lst" 5
assert_eq 0 "$status" "first listener's status"
assert_eq "real client" "$(cat l.out)" "what the first listener received"
[[ ! -e $sock ]] || fail "the socket file is still there after the session"

# A Unix datagram listener: a second one on its path is refused, the first still receives.
dsock=$T/d.sock
"$IPCAT" -v -luU "$dsock" </dev/null >d.out 2>d.err &
dl=$!
wait_listening d.err
expect_status 1 "$IPCAT" -luU "$dsock" </dev/null >d2.out 2>d2.err
assert_eq "ipcat: listen unix-dgram:$dsock: Address already in use" "$(cat d2.err)" "second datagram listener's error"
still_running "$dl"
[[ -S $dsock ]] || fail "the datagram listener's socket file is gone"
python3 - "$dsock" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(b"datagram\n", sys.argv[1])
PY
wait_for 5 grep -qx datagram d.out
kill -TERM "$dl"
wait_exit "$dl" 5
assert_eq 143 "$status" "datagram listener's status after SIGTERM"
[[ ! -e $dsock ]] || fail "the datagram socket file is still there"
