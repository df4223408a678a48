#!/usr/bin/env bash
# --progress: under a terminal the meter is redrawn in place (\r) with a rate and ends with a
# final line; without one it writes plain lines (one every 5 s, and a final one) with no escape
# sequences or carriage returns; a regular file as input gives a percentage.
source "$(dirname "$0")/common.sh"
need python3

# A producer that takes about SECS seconds: 256 KiB every 0.25 s.
producer() {
  python3 -c '
import os, sys, time
n = int(float(sys.argv[1]) * 4)
block = os.urandom(256 * 1024)
for _ in range(n):
    sys.stdout.buffer.write(block)
    sys.stdout.buffer.flush()
    time.sleep(0.25)
' "$1"
}

# Under a pseudo-terminal: stderr is the terminal, stdin a pipe from the producer.
cat >pty_progress.py <<'PY'
import os, pty, subprocess, sys
master, slave = pty.openpty()
producer = subprocess.Popen(sys.argv[1].split(" "), stdout=subprocess.PIPE)
child = subprocess.Popen(sys.argv[2:], stdin=producer.stdout, stdout=subprocess.DEVNULL,
                         stderr=slave)
producer.stdout.close()
os.close(slave)
out = b""
while True:
    try:
        data = os.read(master, 4096)
    except OSError:
        break
    if not data:
        break
    out += data
rc = child.wait()
sys.stdout.buffer.write(out)
sys.exit(rc)
PY
cat >producer.sh <<EOF2
$(declare -f producer)
producer \$1
EOF2

"$IPCAT" -v -lU "$T/p.sock" >p.out 2>p.err &
lst=$!
wait_listening p.err
timeout 15 python3 pty_progress.py "bash $T/producer.sh 1.5" "$IPCAT" --progress -U "$T/p.sock" >tty.txt ||
  fail "under a terminal: status $?"
wait_exit "$lst" 10
assert_eq $((6 * 256 * 1024)) "$(stat -c %s p.out)" "bytes through"
redraws=$(tr -cd '\r' <tty.txt | wc -c)
((redraws >= 3)) || fail "under a terminal: $redraws redraws in 1.5 s: $(show tty.txt)"
grep -qE '[0-9.]+ (B|KiB|MiB)/s' tty.txt || fail "under a terminal: no rate shown: $(show tty.txt)"
tail -c 1 tty.txt | od -An -c | grep -q '\\n' || fail "under a terminal: no final line: $(show tty.txt)"
final=$(tr '\r' '\n' <tty.txt | grep -v '^ *$' | tail -n 1)
[[ $final == *"1.50 MiB"* ]] || fail "under a terminal: the final line does not show 1.50 MiB: $final"

# Without a terminal: plain lines every 5 s and a final one, no escape sequences.
"$IPCAT" -v -lU "$T/q.sock" >q.out 2>q.err &
lst=$!
wait_listening q.err
producer 5.5 | timeout 15 "$IPCAT" --progress -U "$T/q.sock" 2>plain.txt || fail "plain: status $?"
wait_exit "$lst" 10
lines=$(line_count plain.txt)
((lines >= 2)) || fail "plain: $lines lines in 5.5 s: $(show plain.txt)"
if LC_ALL=C grep -q $'[\r\x1b]' plain.txt; then
  fail "plain: escape sequences or carriage returns: $(show plain.txt)"
fi
grep -qE '/s' plain.txt || fail "plain: no rate: $(show plain.txt)"

# A regular file as input: a percentage and an ETA.
head -c 3000000 /dev/urandom >f.bin
"$IPCAT" -v -lU "$T/f.sock" >f.out 2>f.err &
lst=$!
wait_listening f.err
timeout 10 "$IPCAT" --progress -U "$T/f.sock" <f.bin 2>file.txt || fail "file: status $?"
wait_exit "$lst" 10
assert_same_file f.bin f.out
grep -q '100% ETA' file.txt || fail "file: no percentage: $(show file.txt)"
