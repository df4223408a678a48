#!/usr/bin/env bash
# --mode OCTAL sets the permissions of the socket file a listener creates.
source "$(dirname "$0")/common.sh"

for mode in 600 660 711; do
  sock=$T/m$mode.sock
  "$IPCAT" -v --mode "$mode" -lU "$sock" </dev/null >"$mode.out" 2>"$mode.err" &
  lst=$!
  wait_listening "$mode.err"
  assert_eq "$mode" "$(stat -c %a "$sock")" "permissions with --mode $mode"
  [[ -S $sock ]] || fail "not a socket"
  timeout 10 "$IPCAT" -U "$sock" </dev/null || fail "client exited with status $?"
  wait_exit "$lst" 5
  assert_eq 0 "$status" "listener's status"
done
assert_eq srw------- "$(
  "$IPCAT" -v --mode 600 -lU "$T/ls.sock" </dev/null >/dev/null 2>ls.err &
  wait_listening ls.err
  stat -c %A "$T/ls.sock"
  timeout 10 "$IPCAT" -U "$T/ls.sock" </dev/null
)" "ls-style permissions with --mode 600"
# --mode is the mode: the caller's umask (077) does not take bits away from it.
(umask 077 && "$IPCAT" -v --mode 660 -lU "$T/u.sock" </dev/null >/dev/null 2>u.err) &
wait_listening u.err
assert_eq 660 "$(stat -c %a "$T/u.sock")" "--mode 660 under umask 077"
timeout 10 "$IPCAT" -U "$T/u.sock" </dev/null || fail "client exited with status $?"
