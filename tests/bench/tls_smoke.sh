#!/usr/bin/env bash
# bench/tls end to end at toy size against the built ipcat: every tool's transfer succeeds, and
# the report has its block with a row per tool (MB/s, runs, CPU time, RSS), the ratio lines and
# the floor line; a second run replaces the block in place instead of appending another. The
# numbers mean nothing at this size.
source "$(dirname "$0")/../e2e/common.sh"
need openssl socat ncat python3

out=$T/benchmarks.md
printf '# benchmarks\n\nsomething before\n' >"$out"
for round in 1 2; do
  BENCH_TLS_SIZE=4M BENCH_RUNS=1 BENCH_TIMEOUT=30 BENCH_TLS_SESSIONS=3 BENCH_AES_SECONDS=1 BENCH_OUT=$out IPCAT=$IPCAT \
    timeout 120 "$IPCAT_SOURCE_DIR/bench/tls" >tls.log 2>tls.err ||
    fail "bench/tls (round $round) exited with status $?: $(tail -n 5 tls.err)"
done
assert_eq 1 "$(grep -c '^<!-- BEGIN TLS -->$' "$out")" "TLS blocks in the report"
assert_eq 1 "$(grep -c '^<!-- END TLS -->$' "$out")" "TLS block ends in the report"
grep -q '^something before$' "$out" || fail "the rest of the file was not kept"
for tool in 'ipcat --ssl' 'socat OPENSSL:' 'socat -b 1048576 OPENSSL:' 'ncat --ssl'; do
  grep -qE "^\| \`$tool\` \| [0-9]+ \| [0-9.]+ \| [0-9.]+ s \| [0-9.]+ MiB \|$" "$out" ||
    fail "no row for $tool: $(cat "$out")"
done
grep -qE "^- a TLS session's own memory: .* [0-9-]+ KiB a session" "$out" ||
  fail "no per-session memory line: $(cat "$out")"
for r in 'socat default' 'ncat' 'socat -b 1048576'; do
  grep -qE "^- ipcat / $r = [0-9.]+×" "$out" || fail "no ratio against $r"
done
grep -qE "^- CPU time, both sides: socat default / ipcat = ([0-9.]+|n/a)×, ncat / ipcat = ([0-9.]+|n/a)×" "$out" ||
  fail "no CPU ratio line: $(cat "$out")"
grep -qE "^- the floor of a user-space TLS relay here: [0-9.]+ s of CPU = [0-9.]+ s .* \+ 2 × [0-9.]+ s .* ipcat over TLS takes [0-9.]+ s, ([0-9.]+|n/a)× the floor" "$out" ||
  fail "no floor line: $(cat "$out")"
echo ok
