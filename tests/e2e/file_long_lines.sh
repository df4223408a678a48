#!/usr/bin/env bash
# Lines longer than ipcat's 1 MiB line buffer, appended by several producers at once: each is
# written in pieces under one exclusive lock, held from its first byte to its newline, so no
# line is torn or mixed with another. A producer that is in the middle of a long line keeps
# other producers (ipcat or flock(1)) out until its newline; stopped there (SIGTERM), it takes
# the started line back out of the file.
source "$(dirname "$0")/common.sh"
need python3 flock

# lines.py TAG COUNT SIZE: COUNT lines of SIZE bytes each (newline included), "TAG-i-" then TAG's
# letter repeated.
cat >lines.py <<'PY'
import sys
tag, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
out = sys.stdout.buffer
for i in range(count):
    head = f"{tag}-{i}-".encode()
    out.write(head + tag[0].encode() * (size - len(head) - 1) + b"\n")
PY
# check.py FILE TAG:COUNT...: FILE holds exactly these lines, each whole (one producer's
# letter throughout), each producer's in order.
cat >check.py <<'PY'
import re, sys
data = open(sys.argv[1], "rb").read()
want = dict((t, int(n)) for t, n in (a.split(":") for a in sys.argv[2:]))
lines = data.split(b"\n")
if lines[-1] != b"":
    sys.exit(f"the file does not end with a newline ({len(lines[-1])} bytes after the last)")
seen = dict((t, 0) for t in want)
for k, line in enumerate(lines[:-1]):
    m = re.match(rb"([a-z]+)-(\d+)-", line)
    if not m or m.group(1).decode() not in want:
        sys.exit(f"line {k + 1} does not start like a producer's line: {line[:40]!r}")
    tag = m.group(1).decode()
    body = line[m.end():]
    if body.strip(tag[0].encode()) != b"":
        sys.exit(f"line {k + 1} ({tag}) is mixed with another line")
    if int(m.group(2)) != seen[tag]:
        sys.exit(f"line {k + 1}: {tag}-{m.group(2)} where {tag}-{seen[tag]} was due")
    seen[tag] += 1
for t, n in want.items():
    if seen[t] != n:
        sys.exit(f"{seen[t]} lines from {t}, expected {n}")
PY

# 1. Two producers, twenty 1.5 MB lines each, from pipes.
python3 lines.py a 20 1500000 >a.lines
python3 lines.py b 20 1500000 >b.lines
: >storage
# shellcheck disable=SC2002 # the input is a pipe
cat a.lines | "$IPCAT" - file:"$T/storage" 2>a.err &
pa=$!
# shellcheck disable=SC2002
cat b.lines | "$IPCAT" - file:"$T/storage" 2>b.err &
pb=$!
wait_exit "$pa" 60
assert_eq 0 "$status" "producer a's status"
wait_exit "$pb" 60
assert_eq 0 "$status" "producer b's status"
assert_empty a.err "producer a's stderr"
assert_empty b.err "producer b's stderr"
assert_eq $((40 * 1500000)) "$(stat -c %s storage)" "size of the file"
python3 check.py storage a:20 b:20 || fail "two producers of 1.5 MB lines: $(python3 check.py storage a:20 b:20 2>&1)"

# 2. A producer stalls 1.2 MB into a line (more than the line buffer: a piece is in the file,
# under the lock). Another ipcat producer and a flock(1) writer wait; the first line's end
# releases them, after it.
: >storage
open_input in1
"$IPCAT" - file:"$T/storage" <"$T/in1" 2>c.err &
pc=$!
python3 lines.py c 1 1500000 >c.line
head -c 1200000 c.line | send_input in1
wait_for 10 size_at_least storage 1048576
"$IPCAT" --uuid --count 3 file:"$T/storage" 2>d.err &
pd=$!
(flock storage -c "echo shell-0 >>storage") 2>s.err &
ps=$!
sleep 0.5
still_running "$pd"
still_running "$ps"
tail -c +1200001 c.line | send_input in1
wait_exit "$pd" 10
assert_eq 0 "$status" "the waiting producer's status"
wait_exit "$ps" 10
assert_eq 0 "$status" "the waiting flock(1) writer's status"
close_input in1
wait_exit "$pc" 10
assert_eq 0 "$status" "the long line's producer's status"
cmp -s <(head -n 1 storage) c.line || fail "the long line is not whole and first in the file"
assert_eq 5 "$(line_count storage)" "lines in the file"
assert_eq 3 "$(tail -n 4 storage | grep -cE "$uuid_re")" "UUID lines after the long line"
assert_eq 1 "$(grep -c '^shell-0$' storage)" "the flock(1) line"
assert_empty c.err "the long line's producer's stderr"
assert_empty d.err "the waiting producer's stderr"

# 3. Stopped in the middle of a long line: status 143, the started line taken back.
before=$(sha256sum <storage)
open_input in2
"$IPCAT" - file:"$T/storage" <"$T/in2" 2>e.err &
pe=$!
head -c 1200000 c.line | send_input in2
wait_for 10 size_at_least storage $((1500000 + 3 * 37 + 8 + 1048576))
kill -TERM "$pe"
wait_exit "$pe" 5
assert_eq 143 "$status" "status of the producer stopped in a long line"
close_input in2
assert_eq "$before" "$(sha256sum <storage)" "the file after the stopped producer"
assert_empty e.err "the stopped producer's stderr"
