#!/usr/bin/env bash
# bench/scan end to end at toy size against the built ipcat: one run of 100 loopback ports and 2
# ports that drop the SYN. What is tested is that the one command works, that ipcat and
# nc.openbsd report the same open ports, and that the report has its rows and markers.
source "$(dirname "$0")/../e2e/common.sh"
need nc.openbsd python3

out=$T/scan.md
BENCH_SCAN_PORTS=100 BENCH_SCAN_SLOW=2 BENCH_RUNS=1 BENCH_OUT=$out BENCH_DOC= IPCAT=$IPCAT \
  timeout 120 "$IPCAT_SOURCE_DIR/bench/scan" >scan.log 2>scan.err ||
  fail "bench/scan exited with status $?: $(tail -n 5 scan.err)"
[[ -s $out ]] || fail "bench/scan wrote no report"
assert_eq '<!-- BEGIN scan -->' "$(head -1 "$out")" "the report's first line"
assert_eq '<!-- END scan -->' "$(tail -1 "$out")" "the report's last line"
grep -qE '^\| 100 loopback ports, 5 open \| [0-9.]+ s \| [0-9.]+ s \| [0-9.]+× \|$' "$out" ||
  fail "no row for the loopback ports: $(cat "$out")"
grep -qE '^\| 2 ports that drop the SYN .*\| [0-9.]+ s \| [0-9.]+ s \| [0-9.]+× \|$' "$out" ||
  fail "no row for the ports that drop the SYN: $(cat "$out")"
grep -q '^Both reported the same open ports: yes\.' "$out" || fail "the tools disagree: $(cat scan.err)"
cmp -s "$out" scan.log || fail "bench/scan printed something else than the report it wrote"
