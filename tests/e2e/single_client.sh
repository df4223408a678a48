#!/usr/bin/env bash
# Without -k a listener serves one client: it stops listening once it has accepted (a second
# client is refused, status 1, one line), and exits 0 when that session ends. Unix and TCP.
source "$(dirname "$0")/common.sh"

open_input cin
for mode in unix tcp4; do
  listen_args "$mode" "$mode"
  "$IPCAT" -v "${L[@]}" <<<"served" >"$mode.l.out" 2>"$mode.l.err" &
  lst=$!
  connect_args "$mode" "$mode" "$mode.l.err"
  "$IPCAT" "${C[@]}" <cin >"$mode.c1.out" 2>"$mode.c1.err" &
  first=$!
  wait_for 10 grep -qx served "$mode.c1.out"
  expect_status 1 "$IPCAT" "${C[@]}" </dev/null >"$mode.c2.out" 2>"$mode.c2.err"
  assert_error "$mode.c2.err" 'Connection refused'
  still_running "$first"
  printf 'first client\n' | send_input cin
  wait_for 5 grep -qx 'first client' "$mode.l.out"
  kill -TERM "$first"
  wait_exit "$lst" 5
  assert_eq 0 "$status" "$mode: listener's status after its one session"
  wait_exit "$first" 5
  assert_eq 'first client' "$(cat "$mode.l.out")" "$mode: listener received"
done
[[ ! -e $T/unix.sock ]] || fail "the Unix socket file is still there"
