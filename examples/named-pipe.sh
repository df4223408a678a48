#!/usr/bin/env bash
# Named pipe (FIFO): a producer writes a UUID every 200 ms into fifo:p, a consumer prints what
# arrives. The script walks the resilience workflow: stop the consumer (the producer pauses),
# restart it (the flow resumes), stop the producer (the consumer idles), restart the producer
# (the flow resumes). Each ipcat opens the FIFO once and reopens it only when the other side
# has gone, so neither process ever has to be restarted because the other one was.
source "$(dirname "$0")/common.sh"

# The producer's --echo (stderr) goes to "produced", the consumer's stdout to "consumed".
: >produced
: >consumed
start_producer() {
  "$ipcat" --uuid --interval 200ms --echo fifo:p 2>>produced &
  producer=$!
}
start_consumer() {
  "$ipcat" fifo:p - >>consumed &
  consumer=$!
}
stop() {
  kill "$1"
  wait "$1" || true # 143: stopped by SIGTERM, as intended
}

# news: print what the consumer received since the last call; set $news to the count.
shown=0
news() {
  local n
  n=$(wc -l <consumed)
  head -n "$n" consumed | tail -n +"$((shown + 1))" | label consumer
  news=$((n - shown))
  shown=$n
}

echo "== 1. start the producer and the consumer"
start_producer
start_consumer
sleep 1
news
echo "consumer: received $news lines"

echo "== 2. stop the consumer: the producer pauses"
stop "$consumer"
news
sleep 0.3
before=$(wc -l <produced)
sleep 1
after=$(wc -l <produced)
if ((after == before)); then state="paused, waiting for a reader"; else state="NOT paused"; fi
echo "producer: $before lines sent, $after one second later: $state"

echo "== 3. restart the consumer: the flow resumes"
start_consumer
sleep 1
news
echo "consumer: received $news lines after the restart"

echo "== 4. stop the producer: the consumer idles"
stop "$producer"
sleep 0.2
news
sleep 1
news
if kill -0 "$consumer" 2>/dev/null; then state="still running, waiting for a writer"; else state="GONE"; fi
echo "consumer: received $news lines in 1 s, $state"

echo "== 5. restart the producer: the flow resumes"
start_producer
sleep 1
news
echo "consumer: received $news lines after the restart"

stop "$producer"
sleep 0.2
stop "$consumer"
news
echo "== in all: producer sent $(wc -l <produced) lines, consumer received $(wc -l <consumed)," \
  "duplicates $(sort consumed | uniq -d | wc -l), never received $(sort produced consumed | uniq -u | wc -l)"
