#!/usr/bin/env bash
# bench/proxy end to end at toy size against the built ipcat: 16 MiB through danted, one run
# per client. What is tested is that the one command works, reports every client and both
# ratios, and replaces its own block of the report file without touching the rest.
source "$(dirname "$0")/../e2e/common.sh"
need danted ncat socat python3 /usr/bin/time

out=$T/benchmarks.md
printf '# before\n\n<!-- BEGIN proxy -->\nold\n<!-- END proxy -->\n\n# after\n' >"$out"
BENCH_PROXY_SIZE=16M BENCH_RUNS=1 BENCH_TIMEOUT=30 BENCH_OUT=$out IPCAT=$IPCAT \
  timeout 120 "$IPCAT_SOURCE_DIR/bench/proxy" >proxy.log 2>proxy.err ||
  fail "bench/proxy exited with status $?: $(tail -n 5 proxy.err)"
grep -q '^## Proxies: 16M through danted' "$out" || fail "no section: $(cat "$out")"
for c in '\*\*`ipcat --send-only -X 5' '`ncat --send-only --proxy' '`socat -u - SOCKS4:' '`socat -b 1048576'; do
  grep -qE "^\| $c" "$out" || fail "no row for $c: $(cat "$out")"
done
grep -qE '^- Throughput ipcat / best peer \([a-z-]+\): [0-9.]+×' "$out" || fail "no throughput ratio"
grep -qE '^- CPU ipcat / ncat: [0-9.]+' "$out" || fail "no CPU ratio"
grep -q '^old$' "$out" && fail "the old block is still there"
[[ $(head -1 "$out") == '# before' && $(tail -1 "$out") == '# after' ]] || fail "the rest of the file changed"
(($(grep -c 'BEGIN proxy' "$out") == 1)) || fail "more than one block"
