#!/usr/bin/env bash
# A consumer whose stdin is a terminal (that stays open and silent) exits at once, with
# status 0, when the producer is killed and when the producer's input ends; over Unix and TCP.
source "$(dirname "$0")/common.sh"
need python3
pty=$(pty_runner)

for mode in unix tcp4; do
  # 1. The producer is killed.
  listen_args "$mode" "kill-$mode"
  "$IPCAT" --uuid --interval 100ms -v "${L[@]}" >"kill-$mode.prod.out" 2>"kill-$mode.prod.err" &
  prod=$!
  connect_args "$mode" "kill-$mode" "kill-$mode.prod.err"
  python3 "$pty" "$IPCAT" "${C[@]}" >"kill-$mode.cons.out" 2>"kill-$mode.cons.err" &
  cons=$!
  wait_for 10 has_lines "kill-$mode.cons.out" 3
  kill -TERM "$prod"
  wait_exit_within "$cons" 1500
  assert_eq 0 "$status" "$mode: terminal consumer's status after the producer was killed"
  is_uuid_lines "kill-$mode.cons.out" || fail "$mode: not UUID lines"
  assert_empty "kill-$mode.cons.err" "$mode: consumer's stderr"
  wait_exit "$prod" 5

  # 2. The producer's input ends (a file): the consumer gets it all and exits.
  seq 1 5000 >data.txt
  listen_args "$mode" "eof-$mode"
  "$IPCAT" -v "${L[@]}" <data.txt >"eof-$mode.prod.out" 2>"eof-$mode.prod.err" &
  prod=$!
  connect_args "$mode" "eof-$mode" "eof-$mode.prod.err"
  python3 "$pty" "$IPCAT" "${C[@]}" >"eof-$mode.cons.out" 2>"eof-$mode.cons.err" &
  cons=$!
  wait_exit_within "$cons" 2000
  assert_eq 0 "$status" "$mode: terminal consumer's status after the producer's input ended"
  assert_same_file data.txt "eof-$mode.cons.out"
  assert_empty "eof-$mode.cons.err" "$mode: consumer's stderr"
  wait_exit "$prod" 5
  assert_eq 0 "$status" "$mode: producer's status"
done
