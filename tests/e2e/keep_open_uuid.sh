#!/usr/bin/env bash
# -k with --uuid: each client gets its own generator stream (--count 5 each), clients at the
# same time or later; the listener goes on until stopped.
source "$(dirname "$0")/common.sh"

"$IPCAT" -v --uuid=v7 --count 5 --interval 100ms -k -lU "$T/k.sock" </dev/null >l.out 2>l.err &
lst=$!
wait_listening l.err

"$IPCAT" -U "$T/k.sock" >a.out 2>a.err &
a=$!
"$IPCAT" -U "$T/k.sock" >b.out 2>b.err &
b=$!
wait_exit "$a" 5
assert_eq 0 "$status" "client A's status"
wait_exit "$b" 5
assert_eq 0 "$status" "client B's status"
still_running "$lst"
timeout 10 "$IPCAT" -U "$T/k.sock" >c.out 2>c.err || fail "client C exited with status $?"

for c in a b c; do
  assert_eq 5 "$(line_count "$c.out")" "UUIDs client $c received"
  is_uuid_lines "$c.out" || fail "client $c: not UUID lines"
  grep -qvE '^.{14}7' "$c.out" && fail "client $c: not version 7 UUIDs"
  LC_ALL=C sort -c -u "$c.out" 2>/dev/null || fail "client $c: v7 UUIDs not strictly increasing"
  assert_empty "$c.err" "client $c's stderr"
done
assert_eq 15 "$(cat a.out b.out c.out | sort -u | wc -l)" "distinct UUIDs over the three clients"
assert_empty l.out "listener's stdout"
still_running "$lst"
kill -TERM "$lst"
wait_exit "$lst" 5
assert_eq 143 "$status" "listener's status after SIGTERM"
