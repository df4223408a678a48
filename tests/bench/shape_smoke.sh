#!/usr/bin/env bash
# bench/shape end to end at toy sizes against the built ipcat: every row is there, the
# report goes between its markers, and a second run replaces it in place (the rest of the file
# is left alone). The numbers mean nothing at these sizes.
source "$(dirname "$0")/../e2e/common.sh"

out=$T/bench.md
printf '# Benchmarks\n\nkept before\n' >"$out"
for round in 1 2; do
  BENCH_SIZE=8M BENCH_RATE_SIZE=2M BENCH_RATE=4M BENCH_RUNS=1 BENCH_TIMEOUT=30 BENCH_OUT=$out \
    IPCAT=$IPCAT timeout 120 "$IPCAT_SOURCE_DIR/bench/shape" >shape.log 2>shape.err ||
    fail "bench/shape exited with status $?: $(tail -n 5 shape.err)"
done
assert_eq 1 "$(grep -c '^<!-- BEGIN shape -->$' "$out")" "BEGIN markers after two runs"
assert_eq 1 "$(grep -c '^<!-- END shape -->$' "$out")" "END markers after two runs"
grep -q '^kept before$' "$out" || fail "the rest of the file was not kept"
grep -q '^## Seeing and shaping$' "$out" || fail "no section title: $(cat "$out")"
grep -qF '| `ipcat -U s.sock < file` |' "$out" || fail "no plain row: $(cat "$out")"
grep -qF '| `ipcat --progress -U s.sock < file` |' "$out" || fail "no --progress row: $(cat "$out")"
grep -qE '^Pacing, .* [0-9.]+ MiB/s$' "$out" || fail "no pacing line: $(cat "$out")"
grep -qE '^- --rate: [+-][0-9.]+ % off' "$out" || fail "no rate ratio: $(cat "$out")"
