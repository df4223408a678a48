#!/usr/bin/env bash
# `ipcat file:storage,follow -` behaves like tail -F and emits complete lines only:
# - truncation (`: > storage`), then new lines: it prints the new lines, never the old ones again;
# - replacement (`mv storage.new storage`): it prints the new file's lines, and keeps following it;
# - a partial last line is held back until its newline arrives.
source "$(dirname "$0")/common.sh"

printf 'A1\nA2 first lines\nA3\n' >storage
"$IPCAT" file:"$T/storage",follow - </dev/null >follow.out 2>follow.err &
fol=$!
wait_for 5 has_lines follow.out 3
want=$'A1\nA2 first lines\nA3'

# Truncation, then longer lines a little later (the size grows past the old offset).
: >storage
sleep 0.5
still_running "$fol"
assert_eq "$want" "$(cat follow.out)" "output after the truncation alone"
printf 'B1 after truncation, longer than the old content\nB2\n' >>storage
want+=$'\nB1 after truncation, longer than the old content\nB2'
wait_for 5 has_lines follow.out 5
sleep 0.3
assert_eq "$want" "$(cat follow.out)" "output after truncation and new lines"

# Truncation with new, shorter content right behind it.
: >storage
printf 'b3\n' >>storage
want+=$'\nb3'
wait_for 5 has_lines follow.out 6
sleep 0.3
assert_eq "$want" "$(cat follow.out)" "output after truncation and one short line at once"

# Replacement by rename, then appends to the new file.
printf 'C1 in the new file\nC2\n' >storage.new
mv storage.new storage
want+=$'\nC1 in the new file\nC2'
wait_for 5 has_lines follow.out 8
sleep 0.3
assert_eq "$want" "$(cat follow.out)" "output after the replacement"
printf 'D1 appended to the new file\n' >>storage
want+=$'\nD1 appended to the new file'
wait_for 5 has_lines follow.out 9
assert_eq "$want" "$(cat follow.out)" "output after appending to the replaced file"

# Replacement by a file with the same size and by delete-and-recreate.
printf 'E1\n' >storage.new
mv storage.new storage
want+=$'\nE1'
wait_for 5 has_lines follow.out 10
rm storage
sleep 0.3
still_running "$fol"
printf 'F1 recreated\n' >storage
want+=$'\nF1 recreated'
wait_for 5 has_lines follow.out 11
sleep 0.3
assert_eq "$want" "$(cat follow.out)" "output after delete and re-create"

# A partial last line: only "x" until the newline of "y" comes.
printf 'x\ny' >>storage
want+=$'\nx'
wait_for 5 has_lines follow.out 12
sleep 0.5
assert_eq "$want"$'\n.' "$(cat follow.out; echo .)" "output with a partial last line"
printf 'z' >>storage
sleep 0.3
assert_eq "$want"$'\n.' "$(cat follow.out; echo .)" "output with a longer partial last line"
printf '\n' >>storage
want+=$'\nyz'
wait_for 5 has_lines follow.out 13
sleep 0.3
assert_eq "$want"$'\n.' "$(cat follow.out; echo .)" "output once the partial line is complete"

still_running "$fol"
assert_empty follow.err "follower's stderr"
kill -TERM "$fol"
wait_exit "$fol" 5
assert_eq 143 "$status" "follower's status after SIGTERM"
