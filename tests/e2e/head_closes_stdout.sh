#!/usr/bin/env bash
# A closed stdout (`ipcat ... | head -1`) ends ipcat quietly with status 0; and a producer whose
# consumer went away that way ends with status 0 too.
source "$(dirname "$0")/common.sh"

# pipe_head NAME ARGS...: `ipcat ARGS | head -n 1`; sets $rc (ipcat's status), NAME.line.
pipe_head() {
  local name=$1
  shift
  set +e +o pipefail
  timeout 10 "$IPCAT" "$@" </dev/null 2>"$name.err" | head -n 1 >"$name.line"
  rc=${PIPESTATUS[0]}
  set -e -o pipefail
}

pipe_head gen --uuid
assert_eq 0 "$rc" "status of ipcat --uuid | head -1"
assert_empty gen.err "stderr of ipcat --uuid | head -1"
has_lines gen.line 1 || fail "no line from ipcat --uuid | head -1"
is_uuid_lines gen.line || fail "not a UUID: $(show gen.line)"

pipe_head gen2 --uuid --count 10000000
assert_eq 0 "$rc" "status of ipcat --uuid --count 10000000 | head -1"
assert_empty gen2.err

# A consumer piped into head, from a producer that never stops.
"$IPCAT" -v --uuid --interval 10ms -lU "$T/p.sock" >p.out 2>p.err &
prod=$!
wait_listening p.err
pipe_head cons -U "$T/p.sock"
assert_eq 0 "$rc" "status of ipcat -U sock | head -1"
assert_empty cons.err "stderr of the consumer"
is_uuid_lines cons.line || fail "not a UUID: $(show cons.line)"
wait_exit "$prod" 5
assert_eq 0 "$status" "producer's status once its consumer went away"
assert_no_error_line p.err "producer's stderr"
[[ ! -e $T/p.sock ]] || fail "socket file left"

# Bulk data into a closed stdout.
head -c 8M /dev/urandom >big.bin
"$IPCAT" -v -l 127.0.0.1 0 <big.bin >/dev/null 2>b.err &
prod=$!
port=$(listen_port b.err)
pipe_head bulk 127.0.0.1 "$port"
assert_eq 0 "$rc" "status of ipcat host port | head -1 with 8 MiB coming"
assert_empty bulk.err
wait_exit "$prod" 5
