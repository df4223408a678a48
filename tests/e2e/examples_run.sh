#!/usr/bin/env bash
# The scripts in examples/ run against the ipcat under test, each within 30 s, exit 0 with an
# empty stderr, and print the facts they exist to show.
here=$(cd "$(dirname "$0")" && pwd)
examples=${IPCAT_SOURCE_DIR:-$here/../..}/examples
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$here/common.sh"

# run_example NAME: run examples/NAME.sh; its stdout goes to NAME.log, its stderr to NAME.err.
run_example() {
  local rc=0
  TMPDIR=$T IPCAT=$IPCAT timeout 30 bash "$examples/$1.sh" >"$1.log" 2>"$1.err" || rc=$?
  ((rc == 0)) || fail "examples/$1.sh exited with status $rc"
  assert_empty "$1.err" "examples/$1.sh's stderr"
}

# section LOG FROM TO: the lines of LOG after the line starting FROM, up to the one starting TO.
section() { awk -v from="$2" -v to="$3" 'index($0, to) == 1 { on = 0 } on { print } index($0, from) == 1 { on = 1 }' "$1"; }

# count_re ERE: number of stdin lines matching ERE.
count_re() { grep -cE "$1" || true; }

uuid=${uuid_re#^}
uuid=${uuid%$}

# Shared storage: every appended line is in the file once, whole, and seen once by the follower.
run_example shared-storage
log=shared-storage.log
line=$(grep '^storage: ' "$log") || fail "no storage line: $(show "$log")"
[[ $line =~ ^storage:\ ([0-9]+)\ lines\ in\ the\ file\ \(expected\ ([0-9]+)\),\ torn\ 0$ ]] ||
  fail "storage line: $line"
assert_eq "${BASH_REMATCH[2]}" "${BASH_REMATCH[1]}" "lines in the shared file"
total=${BASH_REMATCH[1]}
grep -qx "consumer: $total lines seen, $total distinct, duplicates 0, torn 0" "$log" ||
  fail "consumer's count line: $(grep '^consumer: [0-9]' "$log" || true)"
grep -qx 'consumer: saw exactly the file, in its order: yes' "$log" || fail "the follower's copy differs from the file"
grep -E "^producer [1-4]: $uuid\$" "$log" | cut -d' ' -f3 | sort >shown.produced
grep -E "^consumer: $uuid\$" "$log" | cut -d' ' -f2 | sort >shown.consumed
assert_eq 12 "$(line_count shown.produced)" "UUIDs the four producers showed"
cmp -s shown.produced shown.consumed || fail "the consumer did not print the 12 UUIDs the producers showed"

# Unnamed pipe: the header, then ten UUIDs.
run_example unnamed-pipe
log=unnamed-pipe.log
assert_eq 12 "$(line_count "$log")" "lines printed"
head -n 1 "$log" | grep -q '^consumer: data from the pipe$' || fail "header: $(show "$log")"
assert_eq 10 "$(tail -n +3 "$log" | count_re "^consumer: $uuid\$")" "UUID lines after the header"

# Named pipe: data flows after each restart; the producer pauses while no one reads; the
# consumer idles while no one writes; nothing arrives twice.
run_example named-pipe
log=named-pipe.log
for step in '== 1.' '== 3.' '== 5.'; do
  n=$(section "$log" "$step" '== ' | count_re "^consumer: $uuid\$")
  ((n >= 1)) || fail "no data after step '$step': $(show "$log")"
done
grep -qE '^producer: ([0-9]+) lines sent, \1 one second later: paused, waiting for a reader$' "$log" ||
  fail "step 2, producer: $(grep '^producer: ' "$log" || true)"
grep -qx 'consumer: received 0 lines in 1 s, still running, waiting for a writer' "$log" ||
  fail "step 4, consumer: $(section "$log" '== 4.' '== 5.' | tail -n 1)"
line=$(grep '^== in all: ' "$log") || fail "no summary line"
[[ $line =~ producer\ sent\ ([0-9]+)\ lines,\ consumer\ received\ ([0-9]+),\ duplicates\ 0,\ never\ received\ ([0-9]+)$ ]] ||
  fail "summary: $line"
# A producer stopped by SIGTERM may have shown a line it had not written yet: one per stop.
((BASH_REMATCH[3] <= 2)) || fail "lines never received: $line"

# Unix socket: the consumer, started first, gets the 5 UUIDs the producer sent, in order.
run_example unix-socket
log=unix-socket.log
grep -qx '== producer sent 5 UUIDs, consumer received 5, the same in the same order: yes' "$log" ||
  fail "summary: $(grep '^== producer sent' "$log" || show "$log")"
grep -qx '== socket file ipc.sock: removed' "$log" || fail "the producer left its socket file"
grep -q '^consumer: ipcat: connect unix:ipc.sock: .*; retrying' "$log" ||
  fail "the consumer did not start before the producer: $(show "$log")"

# Bridge: Unix client -> bridge -> TCP service and back, for two clients in a row.
run_example bridge
log=bridge.log
grep -qx 'client: HELLO' "$log" || fail "no HELLO: $(show "$log")"
grep -qx 'client: HELLO AGAIN' "$log" || fail "no HELLO AGAIN for the second client: $(show "$log")"
grep -qx 'bridge: socket file bridge.sock removed on exit' "$log" || fail "the bridge left its socket file"
