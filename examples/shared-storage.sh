#!/usr/bin/env bash
# Shared storage: four producers append UUIDs to one file at the same time while a consumer
# follows it. ipcat appends whole lines under flock(1)'s exclusive lock and reads under the
# shared lock, so no line is lost or torn, and the follower prints each line exactly once.
source "$(dirname "$0")/common.sh"

# wait_lines FILE N: wait (5 s at most) until FILE has N lines.
wait_lines() {
  local i
  for ((i = 0; i < 100; i++)); do
    (($(wc -l <"$1") >= $2)) && return 0
    sleep 0.05
  done
  echo "timed out: $1 has $(wc -l <"$1") lines, expected $2" >&2
  return 1
}

# The follower needs the file to exist when it starts.
: >storage
"$ipcat" file:storage,follow - >seen &
consumer=$!

echo "== 4 producers, 3 UUIDs each, 100 ms apart, appended to the same file"
pids=()
for i in 1 2 3 4; do
  # --echo shows on stderr what each producer appends.
  "$ipcat" --uuid --count 3 --interval 100ms --echo file:storage 2>&1 | label "producer $i" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
wait_lines seen 12
label consumer <seen

echo "== the same 4 producers, 25000 UUIDs each, as fast as they go"
pids=()
for i in 1 2 3 4; do
  "$ipcat" --uuid --count 25000 file:storage &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
total=$((4 * 3 + 4 * 25000))
wait_lines seen "$total"
kill "$consumer"
wait "$consumer" || true # 143: stopped by SIGTERM, as intended

uuid_re='^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
echo "storage: $(wc -l <storage) lines in the file (expected $total), torn $(grep -cvE "$uuid_re" storage || true)"
echo "consumer: $(wc -l <seen) lines seen, $(sort -u seen | wc -l) distinct," \
  "duplicates $(sort seen | uniq -d | wc -l), torn $(grep -cvE "$uuid_re" seen || true)"
if cmp -s storage seen; then same=yes; else same=no; fi
echo "consumer: saw exactly the file, in its order: $same"
