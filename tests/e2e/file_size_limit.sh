#!/usr/bin/env bash
# The file size limit (`ulimit -f`) under a file: destination is an error like a full disk, not
# a kill by SIGXFSZ: status 1, one line "File too large", and the file holds whole lines only
# (the write that crossed the limit is rolled back, also in the middle of a long line written
# in pieces).
source "$(dirname "$0")/common.sh"
need python3

# 1. The generator at full speed into a 100 KiB limit (bash counts ulimit -f in KiB): its first
# batch already crosses the limit and is taken back whole.
rc=0
(ulimit -f 100 && exec timeout 20 "$IPCAT" --uuid --count 100000 file:"$T/fast") 2>fast.err || rc=$?
assert_eq 1 "$rc" "status of ipcat --uuid file: past the file size limit"
assert_error fast.err "write file:$T/fast: File too large"
size=$(stat -c %s fast)
((size <= 102400 && size == 37 * $(line_count fast))) || fail "size $size: not within the limit or not whole lines"

# 2. A line every 1 ms into an 8 KiB limit: about 220 lines fit, the one that crosses it is
# cut by the kernel and taken back.
rc=0
(ulimit -f 8 && exec timeout 20 "$IPCAT" --uuid --interval 1ms --count 100000 file:"$T/limited") 2>gen.err || rc=$?
assert_eq 1 "$rc" "status of ipcat --uuid file: past the file size limit"
assert_error gen.err "write file:$T/limited: File too large"
size=$(stat -c %s limited)
((size > 4096 && size <= 8192)) || fail "size $size is not within the 8 KiB limit (or nothing was kept)"
((size == 37 * $(line_count limited))) || fail "size $size is not 37 x $(line_count limited) lines (torn line?)"
is_uuid_lines limited || fail "a line that is not a whole UUID: $(grep -vE "$uuid_re" limited | head -3)"

# 3. Lines of 1.5 MB through a pipe into a 2 MiB limit: the first fits, the second crosses the
# limit after its first piece went in, and is taken back whole.
python3 -c '
import sys
for c in "xy":
    sys.stdout.write(c * 1499999 + "\n")
' >two.lines
rc=0
(ulimit -f 2048 && exec timeout 20 "$IPCAT" - file:"$T/long" <two.lines) 2>long.err || rc=$?
assert_eq 1 "$rc" "status of a long-line producer past the file size limit"
assert_error long.err "write file:$T/long: File too large"
cmp -s long <(head -n 1 two.lines) || fail "the file is not exactly the first line ($(stat -c %s long) bytes)"
