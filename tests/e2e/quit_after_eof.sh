#!/usr/bin/env bash
# -q SECS: the client quits SECS after its input ends, though the listener's side stays open;
# -q 0 at once. Without -q it waits for the listener's side to end.
source "$(dirname "$0")/common.sh"

open_input srv_in

# session NAME ARGS...: a listener whose input stays open, and `echo NAME | ipcat ARGS -U sock`;
# sets $took (ms from the client's start to its end) and $lst.
session() {
  local name=$1 start rc=0
  shift
  "$IPCAT" -v -lU "$T/$name.sock" <srv_in >"$name.l.out" 2>"$name.l.err" &
  lst=$!
  wait_listening "$name.l.err"
  start=$(now_ms)
  echo "$name" | timeout 10 "$IPCAT" "$@" -U "$T/$name.sock" >"$name.c.out" 2>"$name.c.err" || rc=$?
  took=$(($(now_ms) - start))
  assert_eq 0 "$rc" "$name: client's status"
  assert_empty "$name.c.err" "$name: client's stderr"
  # The client has closed: the listener ends too.
  wait_exit "$lst" 5
  assert_eq 0 "$status" "$name: listener's status"
  assert_eq "$name" "$(cat "$name.l.out")" "$name: listener received"
}

session q1 -q 1
((took >= 900 && took < 2500)) || fail "-q 1: the client ended after $took ms"
session q0 -q 0
((took < 800)) || fail "-q 0: the client ended after $took ms"

# Without -q, the client stays until the listener's side ends.
close_input srv_in
open_input srv_in2
"$IPCAT" -v -lU "$T/noq.sock" <srv_in2 >noq.l.out 2>noq.l.err &
lst=$!
wait_listening noq.l.err
echo noq | "$IPCAT" -U "$T/noq.sock" >noq.c.out 2>noq.c.err &
cli=$!
wait_for 5 grep -qx noq noq.l.out
sleep 1.5
still_running "$cli"
printf 'bye\n' | send_input srv_in2
close_input srv_in2
wait_exit "$cli" 5
assert_eq 0 "$status" "client's status without -q"
assert_eq bye "$(cat noq.c.out)" "client received"
wait_exit "$lst" 5
assert_eq 0 "$status" "listener's status"
