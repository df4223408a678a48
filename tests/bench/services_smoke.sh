#!/usr/bin/env bash
# bench/services end to end at toy size against the built ipcat: 3 UDP peers of 10 datagrams,
# a broker with 3 clients and 500 lines, one round. What is tested is that the one command
# works, writes its block into the report file and lists every tool; ipcat loses no echo and
# its broker delivers every byte.
source "$(dirname "$0")/../e2e/common.sh"
need socat ncat python3

out=$T/benchmarks.md
printf '# Benchmarks\n\nkept as it is\n' >"$out"
BENCH_PEERS=3 BENCH_DATAGRAMS=10 BENCH_CLIENTS=3 BENCH_LINES=500 BENCH_ROUNDS=1 BENCH_OUT=$out \
  IPCAT=$IPCAT timeout 120 "$IPCAT_SOURCE_DIR/bench/services" >services.log 2>services.err ||
  fail "bench/services exited with status $?: $(tail -n 5 services.err)"
grep -q '^kept as it is$' "$out" || fail "the rest of the report file was not kept"
assert_eq 1 "$(grep -c '^<!-- BEGIN services -->$' "$out")" "BEGIN lines"
assert_eq 1 "$(grep -c '^<!-- END services -->$' "$out")" "END lines"
for tool in 'ipcat -ulk -c cat' 'socat UDP-LISTEN:P,fork EXEC:cat' 'ncat -u -lk -e /bin/cat' \
  'ipcat --broker -l' 'ncat --broker -l'; do
  grep -qF "| \`$tool\` |" "$out" || fail "no row for $tool: $(cat "$out")"
done
grep -qF '| `ipcat -ulk -c cat` |' "$out" && grep -F '| `ipcat -ulk -c cat` |' "$out" |
  grep -q '| 0 of 30 |' || fail "ipcat lost echoes: $(grep -F 'ipcat -ulk' "$out")"
grep -F '| `ipcat --broker -l` |' "$out" | grep -q '| 64,000 / 64,000 |' ||
  fail "ipcat's broker lost bytes: $(grep -F 'ipcat --broker' "$out")"
# A second run replaces the block in place.
BENCH_PEERS=2 BENCH_DATAGRAMS=5 BENCH_CLIENTS=2 BENCH_LINES=100 BENCH_ROUNDS=1 BENCH_OUT=$out \
  IPCAT=$IPCAT timeout 120 "$IPCAT_SOURCE_DIR/bench/services" >/dev/null 2>>services.err ||
  fail "the second run failed"
assert_eq 1 "$(grep -c '^<!-- BEGIN services -->$' "$out")" "BEGIN lines after a second run"
grep -q 'BENCH_PEERS=2' "$out" || fail "the block was not replaced"
