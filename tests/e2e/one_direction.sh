#!/usr/bin/env bash
# -d (--recv-only) never reads stdin; --send-only never writes to stdout.
source "$(dirname "$0")/common.sh"

seq 1 1000 >mine.txt
seq 5000 6000 >theirs.txt

for flag in -d --recv-only; do
  n=${flag##*-}
  "$IPCAT" -v -lU "$T/$n.sock" <theirs.txt >"$n.l.out" 2>"$n.l.err" &
  lst=$!
  wait_listening "$n.l.err"
  # Stdin is a regular file: if ipcat never reads it, the offset stays 0 and cat reads it all.
  {
    rc=0
    timeout 10 "$IPCAT" "$flag" -U "$T/$n.sock" >"$n.c.out" 2>"$n.c.err" || rc=$?
    cat >"$n.rest.txt"
  } <mine.txt
  assert_eq 0 "$rc" "$flag: client's status"
  assert_same_file mine.txt "$n.rest.txt"
  assert_same_file theirs.txt "$n.c.out"
  assert_empty "$n.c.err"
  wait_exit "$lst" 5
  assert_eq 0 "$status" "$flag: listener's status"
  assert_empty "$n.l.out" "$flag: what the listener received"
done

# The listener's reply reaches the client before the client's input ends (it is read and
# dropped there, so it is delivered and the listener ends with status 0).
"$IPCAT" -v -lU "$T/s.sock" <<<"reply" >s.l.out 2>s.l.err &
lst=$!
wait_listening s.l.err
{ sleep 0.5; cat mine.txt; } | timeout 10 "$IPCAT" --send-only -U "$T/s.sock" >s.c.out 2>s.c.err ||
  fail "--send-only: client's status $?"
assert_empty s.c.out "--send-only: client's stdout"
assert_empty s.c.err
wait_exit "$lst" 5
assert_eq 0 "$status" "--send-only: listener's status"
assert_same_file mine.txt s.l.out
