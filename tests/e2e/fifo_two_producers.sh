#!/usr/bin/env bash
# Two producers write 10,000 lines each into one FIFO at once; the reader gets exactly 20,000
# whole lines, none torn, each producer's lines complete and in order.
source "$(dirname "$0")/common.sh"

# Producer b's lines are longer, so the two streams do not fall on the same boundaries.
xs=$(printf '%24s' '' | tr ' ' x)
ys=$(printf '%60s' '' | tr ' ' y)
seq -f "a-%g-$xs" 1 10000 >a.lines
seq -f "b-%g-$ys" 1 10000 >b.lines

"$IPCAT" fifo:"$T/p" - </dev/null >out 2>r.err &
r=$!
wait_for 5 test -p "$T/p"

start=$(now_ms)
# shellcheck disable=SC2002 # the producers' input is a pipe, as in the brief
cat a.lines | "$IPCAT" - fifo:"$T/p" 2>wa.err &
wa=$!
# shellcheck disable=SC2002
cat b.lines | "$IPCAT" - fifo:"$T/p" 2>wb.err &
wb=$!
wait_exit "$wa" 20
assert_eq 0 "$status" "producer a's status"
wait_exit "$wb" 20
assert_eq 0 "$status" "producer b's status"
wait_for 20 has_lines out 20000
echo "20,000 lines through the FIFO in $(($(now_ms) - start)) ms" >&2
sleep 0.3
still_running "$r"

assert_eq 20000 "$(line_count out)" "lines the reader printed"
assert_eq 20000 "$(grep -cE '^(a-[0-9]+-x{24}|b-[0-9]+-y{60})$' out)" "whole lines among them"
assert_eq 10000 "$(grep -c '^a-' out)" "lines from producer a"
assert_eq 10000 "$(grep -c '^b-' out)" "lines from producer b"
grep '^a-' out | cmp -s - a.lines || fail "producer a's lines are not complete and in order"
grep '^b-' out | cmp -s - b.lines || fail "producer b's lines are not complete and in order"
assert_empty r.err "reader's stderr"
assert_empty wa.err "producer a's stderr"
assert_empty wb.err "producer b's stderr"
kill -TERM "$r"
wait_exit "$r" 5
assert_eq 143 "$status" "reader's status after SIGTERM"
