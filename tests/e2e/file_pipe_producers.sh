#!/usr/bin/env bash
# Producers whose input is a pipe (`seq ... | ipcat - file:storage`), not a line generator:
# ipcat still appends whole lines only, so three of them at once (10,000 lines each, of
# different lengths, read in chunks that end mid-line) tear nothing.
source "$(dirname "$0")/common.sh"

declare -A width=([a]=20 [b]=33 [c]=47)
for c in a b c; do
  pad=$(printf "%${width[$c]}s" '' | tr ' ' "$c")
  seq -f "$c-%g-$pad" 1 10000 >"$c.lines"
done
: >storage
"$IPCAT" file:"$T/storage",follow - </dev/null >follow.out 2>follow.err &
fol=$!
sleep 0.2
still_running "$fol"
pids=()
for c in a b c; do
  # shellcheck disable=SC2002 # the input is a pipe
  cat "$c.lines" | "$IPCAT" - file:"$T/storage" 2>"$c.err" &
  pids+=($!)
done
for i in 0 1 2; do
  wait_exit "${pids[i]}" 30
  assert_eq 0 "$status" "producer $i's status"
done
wait_for 20 has_lines follow.out 30000
sleep 0.3

assert_eq 30000 "$(line_count storage)" "lines in the file"
for c in a b c; do
  grep "^$c-" storage | cmp -s - "$c.lines" || fail "producer $c's lines are torn, missing or out of order in the file"
  assert_empty "$c.err" "producer $c's stderr"
done
assert_eq 30000 "$(grep -cE '^([abc])-[0-9]+-\1+$' storage)" "whole lines in the file"
cmp -s storage follow.out || fail "the follower's lines are not the file's lines, in order"
assert_empty follow.err "follower's stderr"
kill -TERM "$fol"
wait_exit "$fol" 5
assert_eq 143 "$status" "follower's status after SIGTERM"
