#!/usr/bin/env bash
# Unix socket: the consumer starts first and keeps trying (--retry) until the producer listens;
# the producer then sends a UUID a second (--count 5 ends it), shows each on stderr (--echo),
# and removes its socket file when it exits. The consumer exits when the producer is done.
source "$(dirname "$0")/common.sh"

# -v shows the connection attempts and events; its lines go to stderr, the UUIDs to stdout.
echo "== consumer started first: ipcat --retry -U ipc.sock"
"$ipcat" -v --retry -U ipc.sock 2>&1 </dev/null | tee consumer.log | label consumer &
sleep 1.5

echo "== producer started: ipcat --uuid --interval 1s --count 5 --echo -lU ipc.sock"
"$ipcat" -v --uuid --interval 1s --count 5 --echo -lU ipc.sock 2>&1 >/dev/null |
  tee producer.log | label producer &
wait # for both: the producer ends after 5 UUIDs, then the consumer

uuid_re='^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
grep -E "$uuid_re" producer.log >produced || true
grep -E "$uuid_re" consumer.log >consumed || true
if cmp -s produced consumed; then same=yes; else same=no; fi
echo "== producer sent $(wc -l <produced) UUIDs, consumer received $(wc -l <consumed), the same in the same order: $same"
if [[ -e ipc.sock ]]; then state="left behind"; else state="removed"; fi
echo "== socket file ipc.sock: $state"
