#!/usr/bin/env bash
# Interactive use: a line written to stdin (a pipe that stays open) arrives on the other side
# within 2 s, both ways, over Unix and TCP: nothing waits for a buffer to fill.
source "$(dirname "$0")/common.sh"

for mode in unix tcp4; do
  open_input "$mode.l_in"
  open_input "$mode.c_in"
  listen_args "$mode" "$mode"
  "$IPCAT" -v "${L[@]}" <"$mode.l_in" >"$mode.l.out" 2>"$mode.l.err" &
  lst=$!
  connect_args "$mode" "$mode" "$mode.l.err"
  "$IPCAT" "${C[@]}" <"$mode.c_in" >"$mode.c.out" 2>"$mode.c.err" &
  cli=$!
  for i in 1 2 3; do
    printf 'client line %s\n' "$i" | send_input "$mode.c_in"
    wait_for 2 grep -qx "client line $i" "$mode.l.out"
    printf 'listener line %s\n' "$i" | send_input "$mode.l_in"
    wait_for 2 grep -qx "listener line $i" "$mode.c.out"
  done
  # A partial line (no newline) is not held back either.
  printf 'no newline' | send_input "$mode.c_in"
  wait_for 2 grep -q 'no newline' "$mode.l.out"
  close_input "$mode.c_in"
  close_input "$mode.l_in"
  wait_exit "$cli" 5
  assert_eq 0 "$status" "$mode: client's status"
  wait_exit "$lst" 5
  assert_eq 0 "$status" "$mode: listener's status"
done
