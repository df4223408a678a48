#!/usr/bin/env bash
# Shared storage with its race solved: four `ipcat --uuid --count 25000 file:storage`
# at once while `ipcat file:storage,follow -` runs. The file ends with exactly 100,000 UUID
# lines (none torn, none lost, none doubled) and the follower printed each exactly once.
source "$(dirname "$0")/common.sh"

: >storage
"$IPCAT" file:"$T/storage",follow - </dev/null >follow.out 2>follow.err &
fol=$!
sleep 0.2
still_running "$fol"

start=$(now_ms)
pids=()
for p in 1 2 3 4; do
  "$IPCAT" --uuid --count 25000 file:"$T/storage" >"p$p.out" 2>"p$p.err" &
  pids+=($!)
done
for p in 1 2 3 4; do
  wait_exit "${pids[p - 1]}" 30
  assert_eq 0 "$status" "producer $p's status"
  assert_empty "p$p.out" "producer $p's stdout"
  assert_empty "p$p.err" "producer $p's stderr"
done
produced_ms=$(($(now_ms) - start))
wait_for 20 has_lines follow.out 100000
followed_ms=$(($(now_ms) - start))
sleep 0.3
echo "4 x 25,000 UUIDs appended in $produced_ms ms, followed in $followed_ms ms" >&2

assert_eq 100000 "$(line_count storage)" "lines in the file"
is_uuid_lines storage || fail "the file holds lines that are not UUIDs (torn?): $(grep -vE "$uuid_re" storage | head -n 3)"
assert_eq 100000 "$(sort -u storage | wc -l)" "distinct UUIDs in the file"
[[ -z $(tail -c 1 storage | tr -d '\n') ]] || fail "the file does not end with a newline"

assert_eq 100000 "$(line_count follow.out)" "lines the follower printed"
assert_empty "$(sort follow.out | uniq -d | head -n 3)" "lines the follower printed twice"
cmp -s <(sort storage) <(sort follow.out) || fail "the follower's lines are not the file's lines"
# The follower reads the file in order.
cmp -s storage follow.out || fail "the follower's lines are not in the file's order"
still_running "$fol"
assert_empty follow.err "follower's stderr"
kill -TERM "$fol"
wait_exit "$fol" 5
assert_eq 143 "$status" "follower's status after SIGTERM"
