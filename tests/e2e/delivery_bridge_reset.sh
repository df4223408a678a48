#!/usr/bin/env bash
# Delivery through a bridge: `ipcat -k unix-listen:b.sock tcp:127.0.0.1:PORT` in front of a
# TCP backend that resets its first 4 connections without reading anything. Each Unix client
# (`ipcat -U b.sock < 1 MiB`, from a file and from a pipe) has its data thrown away behind the
# bridge: its session fails, and the client must see it: status 1 and one line
# "ipcat: ... not delivered". The bridge keeps serving: it is still running after each of them,
# and the 5th client, which the backend reads in full, ends with status 0 and its 1 MiB
# delivered. SIGTERM then stops the bridge (143, socket file removed).
E2E=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/common.sh
source "$E2E/common.sh"
# shellcheck source=tests/e2e/delivery.bash
source "$E2E/delivery.bash"
need python3

head -c "$MiB" /dev/urandom >one.bin
start_sink backend tcp reset 4
backend=${A[0]}
"$IPCAT" -k "unix-listen:$T/b.sock" "$backend" </dev/null >bridge.out 2>bridge.err &
bridge=$!
wait_socket "$T/b.sock"

# client NAME SOURCE: one client of the bridge, its 1 MiB from a file or a pipe; sets status.
client() {
  status=0
  if [[ $2 == file ]]; then
    timeout -k 1 10 "$IPCAT" -U "$T/b.sock" <one.bin >"$1.out" 2>"$1.err" || status=$?
  else
    timeout -k 1 10 "$IPCAT" -U "$T/b.sock" < <(cat one.bin) >"$1.out" 2>"$1.err" || status=$?
  fi
}

i=0
for source in file pipe file pipe; do
  i=$((i + 1))
  client "c$i" "$source"
  expect_not_delivered "c$i" "client $i (data from a $source), the backend resets"
  kill -0 "$bridge" 2>/dev/null || fail "the bridge ended after client $i (status: $(wait "$bridge"; echo $?), stderr $(show bridge.err))"
done
wait_for 5 has_lines "$T/backend.conns" 4

client c5 file
expect_normal_end c5 "client 5, the backend reads everything"
wait_for 5 has_lines "$T/backend.conns" 5
got=$(sed -n 5p "$T/backend.conns")
[[ $got == "$MiB" ]] || case_failed "client 5: the backend got $got bytes of $MiB"
assert_eq "reset reset reset reset" "$(head -n 4 "$T/backend.conns" | tr '\n' ' ' | sed 's/ $//')" "what the backend did with connections 1-4"

kill -TERM "$bridge"
wait_exit "$bridge" 5
assert_eq 143 "$status" "the bridge's status after SIGTERM"
[[ ! -e $T/b.sock ]] || fail "the bridge left its socket file"
finish
