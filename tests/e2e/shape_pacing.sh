#!/usr/bin/env bash
# --rate paces what is sent (3 MiB at 1M takes about 3 s: between 2 and 6 s here, generous
# bounds for a shared machine) and --delay pauses between writes (lines written 20 ms apart
# arrive at least 150 ms apart with --delay 200ms). The data arrives intact.
source "$(dirname "$0")/common.sh"
need python3

head -c 3M /dev/urandom >data.bin
"$IPCAT" -v -lU "$T/r.sock" >out.bin 2>l.err &
lst=$!
wait_listening l.err
start=$(now_ms)
timeout 15 "$IPCAT" --rate 1M -U "$T/r.sock" <data.bin || fail "--rate client: status $?"
took=$(($(now_ms) - start))
wait_exit "$lst" 10
assert_same_file data.bin out.bin
((took >= 2000 && took <= 6000)) || fail "--rate 1M over 3 MiB took $took ms (expected 2000-6000)"

# The listener's output goes to a reader that stamps each line's arrival.
cat >stamp.py <<'PY'
import sys, time
for line in sys.stdin.buffer:
    print("%.3f %s" % (time.monotonic(), line.decode().strip()), flush=True)
PY
"$IPCAT" -v -lU "$T/d.sock" 2>d.err | python3 stamp.py >stamps.txt &
wait_listening d.err
python3 -c '
import sys, time
for i in range(4):
    sys.stdout.write("line %d\n" % i)
    sys.stdout.flush()
    time.sleep(0.02)
' | timeout 10 "$IPCAT" --delay 200ms -U "$T/d.sock" || fail "--delay client: status $?"
wait_for 10 has_lines stamps.txt 4
awk 'NR > 1 { gap = ($1 - prev) * 1000; if (gap < 150) { print "gap of " gap " ms before " $2 " " $3; bad = 1 } }
     { prev = $1 } END { exit bad }' stamps.txt || fail "--delay 200ms: lines closer than 150 ms: $(show stamps.txt)"

# A datagram (and a generator's line) is never cut to fit a burst: 20 UUIDs of 37 bytes at
# 370 bytes a second (bursts of 18 bytes) all arrive whole, one a datagram.
"$IPCAT" -v -luU "$T/g.sock" >g.out 2>g.err &
lst=$!
wait_listening g.err
timeout 10 "$IPCAT" --uuid --count 20 --rate 370 -uU "$T/g.sock" || fail "paced generator: status $?"
wait_for 10 has_lines g.out 20
is_uuid_lines g.out || fail "paced datagrams are not whole UUID lines: $(head -3 g.out)"
kill "$lst"
