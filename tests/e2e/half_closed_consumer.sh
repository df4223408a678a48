#!/usr/bin/env bash
# A producer keeps sending to a consumer that has only half-closed (its stdin was /dev/null):
# 20 UUIDs, one each 50 ms, all arrive, over Unix and TCP.
source "$(dirname "$0")/common.sh"

for mode in unix tcp4; do
  listen_args "$mode" "$mode"
  "$IPCAT" --uuid --count 20 --interval 50ms -v "${L[@]}" >"$mode.prod.out" 2>"$mode.prod.err" &
  prod=$!
  connect_args "$mode" "$mode" "$mode.prod.err"
  start=$(now_ms)
  timeout 20 "$IPCAT" "${C[@]}" </dev/null >"$mode.cons.out" 2>"$mode.cons.err" || fail "$mode: consumer exited with status $?"
  took=$(($(now_ms) - start))
  assert_eq 20 "$(line_count "$mode.cons.out")" "$mode: UUIDs received"
  is_uuid_lines "$mode.cons.out" || fail "$mode: not UUID lines"
  ((took >= 700)) || fail "$mode: 20 UUIDs 50 ms apart arrived in $took ms"
  assert_empty "$mode.cons.err" "$mode: consumer's stderr"
  wait_exit "$prod" 5
  assert_eq 0 "$status" "$mode: producer's status"
done
