#!/usr/bin/env bash
# -k with stdio: stdin is not read while no client is connected, so nothing is thrown away.
# - stdin is a file of 1,000 lines and the first client arrives late: it gets all 1,000 lines.
# - stdin is held open: a line sent before any client reaches the first client; after that
#   client is killed, a line sent while nobody is connected reaches the next client.
source "$(dirname "$0")/common.sh"

seq 1000 >nums
"$IPCAT" -v -lkU "$T/a.sock" <nums >a.out 2>a.err &
lst=$!
wait_listening a.err
sleep 0.3 # time enough for a hub that reads without clients to have read everything
timeout 10 "$IPCAT" -U "$T/a.sock" </dev/null >cli.out 2>cli.err || fail "the client failed"
assert_eq 1000 "$(line_count cli.out)" "lines the late client received"
cmp -s nums cli.out || fail "the late client did not get stdin exactly"
kill -TERM "$lst"
wait_exit "$lst" 5
assert_eq 143 "$status" "listener's status after SIGTERM"

open_input srv_in
"$IPCAT" -v -lkU "$T/b.sock" <srv_in >b.out 2>b.err &
lst=$!
wait_listening b.err
printf 'before any client\n' | send_input srv_in
sleep 0.3
"$IPCAT" -U "$T/b.sock" </dev/null >cli1.out 2>cli1.err &
cli1=$!
wait_for 5 grep -qx 'before any client' cli1.out
kill -TERM "$cli1"
wait_exit "$cli1" 5
printf 'while nobody listens\n' | send_input srv_in
sleep 0.3
"$IPCAT" -U "$T/b.sock" </dev/null >cli2.out 2>cli2.err &
cli2=$!
wait_for 5 grep -qx 'while nobody listens' cli2.out
close_input srv_in
wait_exit "$cli2" 5
assert_eq 0 "$status" "second client's status"
assert_eq 'while nobody listens' "$(cat cli2.out)" "second client received"
still_running "$lst"
kill -TERM "$lst"
wait_exit "$lst" 5
assert_eq 143 "$status" "listener's status after SIGTERM"
assert_no_error_line b.err "listener's stderr"
