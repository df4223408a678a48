#!/usr/bin/env bash
# file:PATH is for regular files: a FIFO (or a directory, a device) at the path is refused at
# once, as a source and as a destination, with one line "file PATH: not a regular file (TYPE)"
# and status 1; nothing blocks in open(). A follower whose file is replaced by a FIFO stops the
# same way. A follower waiting for its file to appear, or for a lock that flock(1) holds, and a
# writer waiting for that lock, end on SIGTERM with 143.
source "$(dirname "$0")/common.sh"
need flock

mkfifo p
# expect_not_regular ERRFILE TYPE COMMAND...: COMMAND ends within 5 s with status 1 and one line.
expect_not_regular() {
  local err=$1 type=$2 rc=0
  shift 2
  timeout 5 "$@" 2>"$err" || rc=$?
  assert_eq 1 "$rc" "status of: $*"
  assert_error "$err" "file .*: not a regular file \($type\)\$"
}

# 1. A FIFO as the source, plain and followed, and as the destination (no reader on it).
expect_not_regular e1 FIFO "$IPCAT" file:"$T/p" - </dev/null
expect_not_regular e2 FIFO "$IPCAT" file:"$T/p",follow - </dev/null
expect_not_regular e3 FIFO "$IPCAT" --uuid --count 1 file:"$T/p"
printf 'x\n' >line
expect_not_regular e4 FIFO "$IPCAT" - file:"$T/p" <line

# 2. A FIFO as the destination with a reader on it: it gets nothing.
timeout 10 cat p >fifo.out &
rd=$!
sleep 0.2
expect_not_regular e5 FIFO "$IPCAT" - file:"$T/p" <line
timeout 5 bash -c ': >p' 2>/dev/null || true # lets the reader end if it is still waiting
wait_exit "$rd" 5
assert_empty fifo.out "what the FIFO's reader got"

# 3. A directory and a character device.
mkdir d
expect_not_regular e6 directory "$IPCAT" file:"$T/d" - </dev/null
expect_not_regular e7 directory "$IPCAT" - file:"$T/d" <line
expect_not_regular e8 "character device" "$IPCAT" file:/dev/zero - </dev/null

# 4. A followed file replaced by a FIFO: the follower stops instead of waiting in open().
printf 'one\n' >storage
"$IPCAT" file:"$T/storage",follow - </dev/null >f.out 2>f.err &
fol=$!
wait_for 5 has_lines f.out 1
rm storage
mkfifo storage
wait_exit "$fol" 5
assert_eq 1 "$status" "status of the follower whose file became a FIFO"
assert_error f.err "file $T/storage: not a regular file \(FIFO\)\$"
assert_eq one "$(cat f.out)" "what the follower printed"
rm storage

# 5. SIGTERM while a follower waits for its file to appear: 143.
"$IPCAT" file:"$T/later",follow - </dev/null >l.out 2>l.err &
l=$!
sleep 0.3
still_running "$l"
kill -TERM "$l"
wait_exit "$l" 5
assert_eq 143 "$status" "status of the follower waiting for its file, after SIGTERM"
assert_empty l.err "stderr of the follower waiting for its file"

# 6. SIGTERM while a reader and a writer wait for a lock flock(1) holds: 143 each.
printf 'locked\n' >held
flock held sleep 30 &
holder=$!
sleep 0.2
"$IPCAT" file:"$T/held",follow - </dev/null >h.out 2>h.err &
hr=$!
"$IPCAT" --uuid --count 1 file:"$T/held" >/dev/null 2>hw.err &
hw=$!
sleep 0.5
still_running "$hr"
still_running "$hw"
assert_empty h.out "what the reader printed while the file was locked"
kill -TERM "$hr" "$hw"
wait_exit "$hr" 5
assert_eq 143 "$status" "status of the reader waiting for the lock, after SIGTERM"
wait_exit "$hw" 5
assert_eq 143 "$status" "status of the writer waiting for the lock, after SIGTERM"
assert_empty h.err "stderr of the reader waiting for the lock"
assert_empty hw.err "stderr of the writer waiting for the lock"
assert_eq locked "$(cat held)" "the locked file"
kill "$holder" 2>/dev/null || true
