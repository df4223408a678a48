#!/usr/bin/env bash
# --broker with a client that never reads: once its queue is full it is dropped, with one line
# on stderr, and the others go on receiving everything. The loss makes the status 1 when the
# run otherwise ends normally (stdout closed).
source "$(dirname "$0")/common.sh"
need python3
client="$IPCAT_SOURCE_DIR/tests/e2e/svc_broker_client.py"

mkfifo out.fifo
cat out.fifo >l.out &
cat_pid=$!
"$IPCAT" -v --broker -l 127.0.0.1 0 </dev/null >out.fifo 2>l.err &
lst=$!
port=$(listen_port l.err)
connected() { (($(grep -c '^Connection from ' l.err) >= $1)); }

python3 "$client" --never-read "$port" 20 &
slow=$!
wait_for 5 connected 1
python3 "$client" "$port" r.log 3 &
reader=$!
wait_for 5 connected 2
# About 12 MB of lines: far more than the slow client's queue and socket buffers hold.
python3 "$client" "$port" s.log 0.2 '*200000:a line that the slow client will never read, number' &
sender=$!
wait_exit "$sender" 15
wait_exit "$reader" 15
grep -q '^ipcat: broker: dropped tcp:127.0.0.1:[0-9]*: it did not read its data' l.err ||
  fail "no line for the dropped client: $(show l.err)"
assert_eq 1 "$(grep -c 'broker: dropped' l.err)" "lines about dropped clients"
assert_eq 200000 "$(grep -c '^a line that' r.log)" "lines the reading client received"
assert_eq 200000 "$(grep -c '^a line that' l.out)" "lines on stdout"
still_running "$slow" # dropped by the broker, but the client itself is still there
# The run ends normally (its stdout goes away) but reports the lost lines with status 1.
kill "$cat_pid"
wait "$cat_pid" 2>/dev/null || true
python3 "$client" "$port" last.log 0.2 'one more line' &
wait_exit "$lst" 5
assert_eq 1 "$status" "broker's status after a client was dropped"
