#!/usr/bin/env bash
# bench/run end to end at toy sizes against the built ipcat: every part runs, every tool's
# transfer is checked for its byte count, and the report has all its sections. The numbers
# mean nothing at these sizes; what is tested is that the one command works.
source "$(dirname "$0")/../e2e/common.sh"

out=$T/bench.md
BENCH_SIZE=16M BENCH_RUNS=1 BENCH_SLOW_SIZE=2M BENCH_UUIDS=200000 BENCH_LIBUUID_COUNT=2000 \
  BENCH_UUIDGEN_COUNT=20 BENCH_TIMEOUT=60 BENCH_OUT=$out IPCAT=$IPCAT \
  timeout 300 "$IPCAT_SOURCE_DIR/bench/run" >bench.log 2>bench.err ||
  fail "bench/run exited with status $?: $(tail -n 5 bench.err)"
[[ -s $out ]] || fail "bench/run wrote no report"
grep -qx 'All checks and runs passed.' "$out" || fail "the report lists failed checks: $(grep -A5 '^## Checks' "$out")"
for section in '## Targets' '## 1. Unix stream socket → /dev/null' '## 2. TCP loopback' \
  '## 3. Unix stream socket → pipe' '## 4. UUIDs per second' '## 5. Peak RSS' \
  '## 6. Slow consumer'; do
  grep -q "^$section" "$out" || fail "the report has no section '$section'"
done
for tool in '\*\*ipcat\*\*' 'nc.openbsd' 'socat (default' 'socat -b 1048576' 'ncat' 'splice limit'; do
  grep -q "^| $tool" "$out" || fail "the report has no row for $tool"
done
grep -q "^Command: \`BENCH_SIZE=16M .*bench/run\`$" "$out" || fail "the report does not give the command: $(grep '^Command' "$out")"
grep -q '2,097,152 of 2,097,152 bytes arrived' "$out" || fail "the slow consumer did not get every byte"
grep -q '^## Targets' bench.log || fail "bench/run did not print the report"
