#!/usr/bin/env bash
# ipcat's locks are flock(1)'s: a shell producer appending under `flock storage -c ...` and three
# ipcat producers at once lose and tear nothing; a follower prints every line exactly once.
source "$(dirname "$0")/common.sh"
need flock

: >storage
"$IPCAT" file:"$T/storage",follow - </dev/null >follow.out 2>follow.err &
fol=$!
sleep 0.2

start=$(now_ms)
(
  cd "$T"
  for i in $(seq 5000); do flock storage -c "echo shell-$i >> storage"; done
) 2>shell.err &
shell=$!
# One ipcat producer in a burst, two paced so that they overlap the shell loop throughout.
pids=()
for p in 1 2 3; do
  pace=()
  ((p == 1)) || pace=(--interval 2ms)
  "$IPCAT" --uuid --count 5000 "${pace[@]}" file:"$T/storage" >"p$p.out" 2>"p$p.err" &
  pids+=($!)
done
for p in 1 2 3; do
  wait_exit "${pids[p - 1]}" 60
  assert_eq 0 "$status" "producer $p's status"
  assert_empty "p$p.err" "producer $p's stderr"
done
wait_exit "$shell" 90
assert_eq 0 "$status" "the shell producer's status"
assert_empty shell.err "the shell producer's stderr"
wait_for 20 has_lines follow.out 20000
echo "5,000 flock(1) lines and 3 x 5,000 UUIDs in $(($(now_ms) - start)) ms" >&2
sleep 0.3

assert_eq 20000 "$(line_count storage)" "lines in the file"
assert_eq 20000 "$(grep -cE "^shell-[0-9]+\$|$uuid_re" storage)" "whole lines in the file"
assert_eq 5000 "$(grep -c '^shell-' storage)" "shell lines in the file"
grep '^shell-' storage | cmp -s - <(seq -f 'shell-%g' 5000) || fail "the shell's lines are not all there, in order"
assert_eq 15000 "$(grep -cE "$uuid_re" storage)" "UUID lines in the file"
assert_eq 15000 "$(grep -E "$uuid_re" storage | sort -u | wc -l)" "distinct UUIDs in the file"

assert_eq 20000 "$(line_count follow.out)" "lines the follower printed"
assert_empty "$(sort follow.out | uniq -d | head -n 3)" "lines the follower printed twice"
cmp -s storage follow.out || fail "the follower's lines are not the file's lines, in order"
still_running "$fol"
assert_empty follow.err "follower's stderr"
