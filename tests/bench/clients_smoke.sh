#!/usr/bin/env bash
# bench/clients end to end at toy size against the built ipcat: 20 clients of 64 KiB through
# each bridge, one run. What is tested is that the one command works and reports every column
# for both bridges; at this size nothing is lost and no client fails, with either bridge.
source "$(dirname "$0")/../e2e/common.sh"
need socat python3

out=$T/clients.md
BENCH_CLIENTS=20 BENCH_CLIENT_SIZE=64K BENCH_RUNS=1 BENCH_TIMEOUT=30 BENCH_OUT=$out IPCAT=$IPCAT \
  timeout 120 "$IPCAT_SOURCE_DIR/bench/clients" >clients.log 2>clients.err ||
  fail "bench/clients exited with status $?: $(tail -n 5 clients.err)"
[[ -s $out ]] || fail "bench/clients wrote no report"
grep -q '^## Concurrent clients through a Unix → TCP bridge' "$out" || fail "the report has no title: $(head -3 "$out")"
# shellcheck disable=SC2016 # backquotes of the Markdown
grep -q '^Command: `BENCH_CLIENTS=20 .*bench/clients`' "$out" || fail "the report does not give the command"
for bridge in 'ipcat -k unix-listen:b.sock' 'socat UNIX-LISTEN:b.sock,fork'; do
  row=$(grep -F "| \`$bridge" "$out") || fail "the report has no row for $bridge: $(cat "$out")"
  [[ $row == *'| 20 |'* ]] || fail "$bridge: not 20 clients: $row"
  [[ $row == *'| 1,310,720 / 1,310,720 (100.0 %) | 0 |'* ]] || fail "$bridge: bytes lost or clients failed: $row"
done
grep -qE '^- 20 clients: time ipcat / socat = [0-9.]+× \(wall\), [0-9.]+× \(drain\)$' "$out" ||
  fail "the report has no ratio line: $(tail -3 "$out")"
cmp -s "$out" clients.log || fail "bench/clients printed something else than the report it wrote"
