#!/usr/bin/env bash
# -d (--recv-only) never reads stdin; --send-only never writes to stdout.
source "$(dirname "$0")/common.sh"

seq 1 1000 >mine.txt
seq 5000 6000 >theirs.txt

for flag in -d --recv-only; do
  "$IPCAT" -v -lU "$T/d.sock" <theirs.txt >l.out 2>l.err &
  lst=$!
  wait_listening l.err
  # Stdin is a regular file: if ipcat never reads it, the offset stays 0 and cat reads it all.
  {
    rc=0
    timeout 10 "$IPCAT" "$flag" -U "$T/d.sock" >c.out 2>c.err || rc=$?
    cat >rest.txt
  } <mine.txt
  assert_eq 0 "$rc" "$flag: client's status"
  assert_same_file mine.txt rest.txt
  assert_same_file theirs.txt c.out
  assert_empty c.err
  wait_exit "$lst" 5
  assert_eq 0 "$status" "$flag: listener's status"
  assert_empty l.out "$flag: what the listener received"
done

"$IPCAT" -v -lU "$T/s.sock" <<<"reply" >l.out 2>l.err &
lst=$!
wait_listening l.err
timeout 10 "$IPCAT" --send-only -U "$T/s.sock" <mine.txt >c.out 2>c.err || fail "--send-only: client's status $?"
assert_empty c.out "--send-only: client's stdout"
assert_empty c.err
wait_exit "$lst" 5
assert_eq 0 "$status" "--send-only: listener's status"
assert_same_file mine.txt l.out
