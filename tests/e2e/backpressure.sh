#!/usr/bin/env bash
# Backpressure: a consumer that stops reading its stdout stalls the producer, and neither side
# buffers without bound (300 MiB offered, resident memory stays under 150 MiB).
source "$(dirname "$0")/common.sh"

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# The consumer's stdout is a FIFO whose reader never reads.
mkfifo stalled
# shellcheck disable=SC2217 # the reader that holds the FIFO open and never reads
sleep 600 <stalled &
head -c 300M /dev/zero | "$IPCAT" -v -lU "$T/b.sock" >/dev/null 2>l.err &
lst=$!
wait_listening l.err
"$IPCAT" -U "$T/b.sock" </dev/null >stalled 2>c.err &
cli=$!
sleep 2
still_running "$lst"
still_running "$cli"
for pid in "$lst" "$cli"; do
  rss=$(rss_kib "$pid")
  ((rss < 150 * 1024)) || fail "process $pid holds $rss KiB resident with its reader stalled"
done
# Nothing was lost: let the data flow now and count it all.
got=$(timeout 60 cat stalled | wc -c)
assert_eq $((300 * 1024 * 1024)) "$got" "bytes the consumer delivered in the end"
wait_exit "$cli" 10
assert_eq 0 "$status" "consumer's status"
wait_exit "$lst" 10
assert_eq 0 "$status" "producer's status"
