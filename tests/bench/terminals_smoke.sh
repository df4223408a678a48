#!/usr/bin/env bash
# bench/terminals end to end at toy size against the built ipcat: 1 MiB through each tool's
# pty, one round. What is tested is that the one command works, moves every byte and reports
# both rows and the ratio, and that it replaces its block in place and leaves the rest alone.
source "$(dirname "$0")/../e2e/common.sh"
need socat python3 numfmt

out=$T/benchmarks.md
printf '# Benchmarks\n\nbefore\n<!-- BEGIN terminals -->\nold\n<!-- END terminals -->\nafter\n' >"$out"
BENCH_SIZE=1M BENCH_RUNS=1 BENCH_TIMEOUT=30 BENCH_OUT=$out IPCAT=$IPCAT \
  timeout 60 "$IPCAT_SOURCE_DIR/bench/terminals" >report.md 2>bench.err ||
  fail "bench/terminals exited with status $?: $(tail -n 5 bench.err)"
for tool in ipcat socat; do
  grep -qE "^\| $tool \| .* \| [0-9.]+ s \| [0-9]+ MB/s \|$" report.md || fail "no row for $tool: $(cat report.md)"
done
grep -qE '^- time ipcat / socat = [0-9.]+×$' report.md || fail "no ratio line: $(cat report.md)"
grep -q '^old$' "$out" && fail "the old block was not replaced"
assert_eq 1 "$(grep -c '^<!-- BEGIN terminals -->$' "$out")" "blocks in the file"
head -3 "$out" | grep -q '^before$' || fail "the text before the block changed: $(cat "$out")"
[[ $(tail -1 "$out") == after ]] || fail "the text after the block changed: $(cat "$out")"
