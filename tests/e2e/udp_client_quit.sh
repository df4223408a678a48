#!/usr/bin/env bash
# A UDP client (no EOF on the network side) ends 1 s after its input ends, or -q SECS after.
source "$(dirname "$0")/common.sh"
need python3
peer=$(udp_peer_script)
python3 "$peer" sink &
wait_for 10 test -f sink.port
port=$(cat sink.port)

# run_timed EXPECTED_LINE ARGS...: send one line; sets $took (ms) and checks status 0.
run_timed() {
  local line=$1 start rc=0
  shift
  start=$(now_ms)
  printf '%s\n' "$line" | timeout 10 "$IPCAT" "$@" >/dev/null 2>"$line.err" || rc=$?
  took=$(($(now_ms) - start))
  assert_eq 0 "$rc" "status of ipcat $*"
  assert_empty "$line.err" "stderr of ipcat $*"
  wait_for 5 grep -qx "$(hex "$line"$'\n')" sink.log
}

run_timed default -u 127.0.0.1 "$port"
((took >= 900 && took < 2500)) || fail "default: ended $took ms after start, expected about 1 s"
run_timed q0 -q 0 -u 127.0.0.1 "$port"
((took < 800)) || fail "-q 0: ended $took ms after start, expected at once"
run_timed q2 -q 2 -u 127.0.0.1 "$port"
((took >= 1900 && took < 3500)) || fail "-q 2: ended $took ms after start, expected about 2 s"
