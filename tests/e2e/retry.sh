#!/usr/bin/env bash
# --retry: a client started before its listener keeps trying, then works. --retry=N gives up
# after N tries with status 1 and one line.
source "$(dirname "$0")/common.sh"

sock=$T/late.sock
echo "request" >req.txt
"$IPCAT" --retry --retry-interval 100ms -U "$sock" <req.txt >c.out 2>c.err &
cli=$!
sleep 0.7
still_running "$cli"
"$IPCAT" -v -lU "$sock" <<<"reply" >l.out 2>l.err &
lst=$!
wait_exit "$cli" 5
assert_eq 0 "$status" "client's status"
assert_eq reply "$(cat c.out)" "client received"
assert_empty c.err "client's stderr"
wait_exit "$lst" 5
assert_eq 0 "$status" "listener's status"
assert_eq request "$(cat l.out)" "listener received"

# A stale socket file is no listener either: refused, and retried.
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/stale.sock"
"$IPCAT" --retry --retry-interval 100ms -U "$T/stale.sock" <req.txt >c2.out 2>c2.err &
cli=$!
sleep 0.5
still_running "$cli"
"$IPCAT" -v -lU "$T/stale.sock" <<<"reply2" >l2.out 2>l2.err &
wait_exit "$cli" 5
assert_eq 0 "$status" "client's status"
assert_eq reply2 "$(cat c2.out)" "client received"

# --retry=N: gives up, with the error of the last try.
start=$(now_ms)
expect_status 1 "$IPCAT" --retry=3 --retry-interval 100ms -U "$T/never.sock" </dev/null >c3.out 2>c3.err
took=$(($(now_ms) - start))
assert_error c3.err 'No such file or directory'
((took >= 150 && took < 3000)) || fail "--retry=3 --retry-interval 100ms gave up after $took ms"

# The default interval is 1 s: --retry=2 waits 1 s once or twice (N tries or N retries).
start=$(now_ms)
expect_status 1 "$IPCAT" --retry=2 -U "$T/never.sock" </dev/null >c4.out 2>c4.err
took=$(($(now_ms) - start))
assert_error c4.err 'No such file or directory'
((took >= 900 && took < 3500)) || fail "--retry=2 gave up after $took ms, expected 1 or 2 s"
