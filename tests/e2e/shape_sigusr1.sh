#!/usr/bin/env bash
# SIGUSR1 prints the --stats line at once and the session goes on: the transfer completes
# intact, and no other line is printed.
source "$(dirname "$0")/common.sh"
need python3

head -c 4M /dev/urandom >data.bin
"$IPCAT" -v -lU "$T/s.sock" >out.bin 2>l.err &
lst=$!
wait_listening l.err
# The input comes in over about 1.5 s, so the signal arrives mid-transfer.
python3 -c '
import sys, time
data = open(sys.argv[1], "rb").read()
step = len(data) // 6
for i in range(0, len(data), step):
    sys.stdout.buffer.write(data[i:i + step])
    sys.stdout.buffer.flush()
    time.sleep(0.25)
' data.bin | "$IPCAT" -U "$T/s.sock" 2>c.err &
cli=$!
wait_for 10 grep -q '^Connection from' l.err
wait_for 10 size_at_least out.bin 1 # bytes have gone through; the rest is still to come
kill -USR1 "$cli"
wait_for 5 has_lines c.err 1
wait_exit "$cli" 10
assert_eq 0 "$status" "client's status after SIGUSR1"
wait_exit "$lst" 10
assert_same_file data.bin out.bin
assert_eq 1 "$(line_count c.err)" "lines on stderr"
grep -qE '^ipcat: sent [0-9]+ bytes, received 0 bytes in [0-9.]+ s \([0-9.]+ MB/s\)$' c.err ||
  fail "not a stats line: $(show c.err)"
sent=$(awk '{ print $3 }' c.err)
((sent > 0 && sent < 4194304)) || fail "the stats line says $sent bytes sent: not mid-transfer"

# Also on the listener (the receiving side, zero-copy where it can).
"$IPCAT" -v -lU "$T/r.sock" >r.out 2>r.err &
lst=$!
wait_listening r.err
python3 -c '
import sys, time
for i in range(6):
    sys.stdout.buffer.write(b"x" * 100000)
    sys.stdout.buffer.flush()
    time.sleep(0.2)
' | "$IPCAT" -U "$T/r.sock" 2>/dev/null &
wait_for 10 grep -q '^Connection from' r.err
wait_for 10 size_at_least r.out 1
kill -USR1 "$lst"
wait_exit "$lst" 10
assert_eq 0 "$status" "listener's status after SIGUSR1"
assert_eq 600000 "$(stat -c %s r.out)" "bytes received by the listener"
grep -qE '^ipcat: sent 0 bytes, received [1-9][0-9]* bytes' r.err || fail "no stats line on the listener: $(show r.err)"
