#!/usr/bin/env bash
# fifo:PATH,once stops at the first EOF (status 0); without ,once the reader waits for the next
# writer. A writer started before any reader waits for one, then delivers and exits 0.
source "$(dirname "$0")/common.sh"

# ,once: no writer yet is not an EOF; the reader waits.
"$IPCAT" fifo:"$T/p1",once - </dev/null >r1.out 2>r1.err &
r1=$!
wait_for 5 test -p "$T/p1"
sleep 0.5
still_running "$r1"
printf 'one\ntwo\n' | timeout 10 "$IPCAT" - fifo:"$T/p1" 2>w1.err || fail "writer exited with status $?"
wait_exit_within "$r1" 2000
assert_eq 0 "$status" "status of the ,once reader after the writer left"
assert_eq $'one\ntwo' "$(cat r1.out)" "what the ,once reader printed"
assert_empty r1.err "the ,once reader's stderr"
assert_empty w1.err "the writer's stderr"
[[ -p $T/p1 ]] || fail "the FIFO did not outlive its users"

# The writer first: it waits for a reader (and stays running), then delivers.
printf 'early\n' | "$IPCAT" - fifo:"$T/p2" 2>w2.err &
w2=$!
wait_for 5 test -p "$T/p2"
sleep 0.5
still_running "$w2"
timeout 10 "$IPCAT" fifo:"$T/p2",once - </dev/null >r2.out 2>r2.err || fail "the ,once reader exited with status $?"
assert_eq "early" "$(cat r2.out)" "what the late ,once reader printed"
wait_exit "$w2" 5
assert_eq 0 "$status" "status of the writer that waited for a reader"
assert_empty w2.err "the waiting writer's stderr"

# Without ,once the reader outlives its writers: two writers one after the other.
"$IPCAT" fifo:"$T/p3" - </dev/null >r3.out 2>r3.err &
r3=$!
wait_for 5 test -p "$T/p3"
printf 'first\n' | timeout 10 "$IPCAT" - fifo:"$T/p3" || fail "first writer exited with status $?"
wait_for 5 grep -qx first r3.out
sleep 0.5
still_running "$r3"
printf 'second\n' | timeout 10 "$IPCAT" - fifo:"$T/p3" || fail "second writer exited with status $?"
wait_for 5 grep -qx second r3.out
sleep 0.2
still_running "$r3"
assert_eq $'first\nsecond' "$(cat r3.out)" "what the reader printed"
kill -TERM "$r3"
wait_exit "$r3" 5
assert_eq 143 "$status" "reader's status after SIGTERM"
assert_empty r3.err "reader's stderr"
