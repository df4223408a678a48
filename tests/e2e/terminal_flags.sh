#!/usr/bin/env bash
# ipcat never leaves the descriptions it shares with the shell non-blocking: a terminal on
# stdin, and a pipe on stdin and stdout, are blocking again after it exits, by a normal end or
# by SIGTERM.
source "$(dirname "$0")/common.sh"
need python3
pty=$(pty_runner)

# The producer's input ends: a normal end for the terminal consumer.
"$IPCAT" -v -lU "$T/a.sock" <<<"hello" >/dev/null 2>a.err &
prod=$!
wait_listening a.err
PTY_FLAGS_FILE=$T/flags1 python3 "$pty" "$IPCAT" -U "$T/a.sock" >a.out 2>a.cons.err &
cons=$!
wait_exit "$cons" 10
assert_eq 0 "$status" "consumer's status"
assert_eq hello "$(cat a.out)" "received"
assert_eq blocking "$(cat flags1)" "terminal state after a normal end"
wait_exit "$prod" 5

# SIGTERM while the session runs.
"$IPCAT" --uuid --interval 100ms -v -lU "$T/b.sock" >/dev/null 2>b.err &
prod=$!
wait_listening b.err
PTY_FLAGS_FILE=$T/flags2 python3 "$pty" "$IPCAT" -U "$T/b.sock" >b.out 2>b.cons.err &
cons=$!
wait_for 10 has_lines b.out 2
kill -TERM "$cons"
wait_exit "$cons" 5
assert_eq 143 "$status" "consumer's status after SIGTERM"
assert_eq blocking "$(cat flags2)" "terminal state after SIGTERM"
kill -TERM "$prod" 2>/dev/null || true  # it may have ended already, its peer gone
wait_exit "$prod" 5

# Pipes on stdin and stdout, shared with the processes around ipcat.
cat >flags.py <<'PY'
import fcntl, os, sys
fd = int(sys.argv[1])
print("nonblocking" if fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_NONBLOCK else "blocking")
PY
"$IPCAT" -v -lU "$T/c.sock" <<<"world" >/dev/null 2>c.err &
prod=$!
wait_listening c.err
echo request | {
  rc=0
  timeout 10 "$IPCAT" -U "$T/c.sock" 2>c.cons.err || rc=$?
  echo "$rc" >c.rc
  python3 flags.py 0 >flags_in
  python3 flags.py 3 3>&1 >flags_out
} | cat >c.out
assert_eq 0 "$(cat c.rc)" "consumer's status"
assert_eq world "$(cat c.out)" "received"
assert_eq blocking "$(cat flags_in)" "stdin pipe state"
assert_eq blocking "$(cat flags_out)" "stdout pipe state"
wait_exit "$prod" 5
