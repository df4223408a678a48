#!/usr/bin/env bash
# Listening on the path of a live socket fails with "Address already in use", status 1, and
# leaves the live socket alone: same file, still served.
source "$(dirname "$0")/common.sh"
need socat

sock=$T/live.sock
# The owner forks a child per connection, so it is not disturbed even where ipcat cannot ask
# the kernel (sock_diag) and has to connect to tell a live socket from a stale one.
socat -d -d -u UNIX-LISTEN:"$sock",fork OPEN:"$T/socat.out",creat,append 2>socat.log &
owner=$!
wait_for 10 grep -q 'listening on' socat.log
inode=$(stat -c %i "$sock")

expect_status 1 "$IPCAT" -lU "$sock" </dev/null >l.out 2>l.err
assert_eq "ipcat: listen unix:$sock: Address already in use" "$(cat l.err)" "error line"
assert_error l.err
assert_empty l.out "stdout"
[[ -S $sock ]] || fail "the live socket file is gone"
assert_eq "$inode" "$(stat -c %i "$sock")" "inode of the live socket"

# The same with -k and -v: still one line, status 1.
expect_status 1 "$IPCAT" -v -k -lU "$sock" </dev/null >l2.out 2>l2.err
assert_error l2.err 'Address already in use'

# The owner still serves its socket.
echo "still here" | timeout 10 socat -u - UNIX-CONNECT:"$sock" || fail "could not connect to the live socket"
wait_for 5 grep -qx "still here" socat.out
still_running "$owner"
