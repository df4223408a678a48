#!/usr/bin/env bash
# pty,link=PATH: a new pseudo-terminal behind a symlink, opened by another program as a serial
# port. Data goes both ways; that program closing and opening it again is no end; -v names the
# slave; the slave is raw; SIGTERM removes the link; an existing file is never replaced.
source "$(dirname "$0")/common.sh"
need python3

cat >port.py <<'PY'
import os, select, sys, termios, time
path, send, want = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode()
fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
lflag = termios.tcgetattr(fd)[3]
if lflag & (termios.ICANON | termios.ECHO):
    sys.exit("the slave is not raw")
os.write(fd, send)
got = b""
deadline = time.monotonic() + 8
while want not in got:
    left = deadline - time.monotonic()
    if left <= 0:
        sys.exit("timed out waiting for %r; got %r" % (want, got))
    if select.select([fd], [], [], left)[0]:
        got += os.read(fd, 4096)
os.close(fd)
print("ok")
PY

open_input in
"$IPCAT" -v pty,link="$T/ttyV0" - <in >out.txt 2>srv.err &
srv=$!
wait_for 10 test -L "$T/ttyV0"
wait_for 10 grep -q '^PTY is /dev/pts/' srv.err
slave=$(sed -n 's|^PTY is \(/dev/pts/[0-9]*\) (link .*)$|\1|p' srv.err)
assert_eq "$slave" "$(readlink "$T/ttyV0")" "the link points at the slave -v names"

# Both ways: the port's bytes reach stdout, stdin's bytes reach the port.
(sleep 0.3; printf 'to-port-1\n' | send_input in) &
got=$(timeout 15 python3 port.py "$T/ttyV0" 'from-port-1|' 'to-port-1') || fail "first open: $got"
assert_eq ok "$got" "first open of the port"
wait_for 10 grep -q 'from-port-1|' out.txt
# Closed and opened again: the same line, still carrying data.
still_running "$srv"
(sleep 0.3; printf 'to-port-2\n' | send_input in) &
got=$(timeout 15 python3 port.py "$T/ttyV0" 'from-port-2|' 'to-port-2') || fail "second open: $got"
assert_eq ok "$got" "second open of the port"
wait_for 10 grep -q 'from-port-2|' out.txt
assert_eq "from-port-1|from-port-2|" "$(cat out.txt)" "what the port sent"

# SIGTERM: status 143 and the link is gone.
kill -TERM "$srv"
wait_exit "$srv" 5
assert_eq 143 "$status" "status after SIGTERM"
[[ ! -e $T/ttyV0 && ! -L $T/ttyV0 ]] || fail "the link was left behind"
assert_no_error_line srv.err
close_input in

# What the pty was given is delivered, not thrown away with the master: a client sends a line
# and leaves before any program has opened the port; ipcat waits for one to read it.
cat >reader.py <<'PY'
import os, select, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NOCTTY)
got = b""
deadline = time.monotonic() + 8
while b"\n" not in got and time.monotonic() < deadline:
    if select.select([fd], [], [], 0.5)[0]:
        got += os.read(fd, 4096)
sys.stdout.write(got.decode())
PY
"$IPCAT" -v unix-listen:"$T/d.sock" pty,link="$T/ttyD" 2>d.err &
srv=$!
wait_socket "$T/d.sock"
printf 'kept\n' | timeout 10 "$IPCAT" -q 0 -U "$T/d.sock" || fail "the client: status $?"
wait_for 10 test -L "$T/ttyD"
sleep 0.3
still_running "$srv"
assert_eq kept "$(timeout 10 python3 reader.py "$T/ttyD")" "what waited in the pty"
wait_exit "$srv" 5
assert_eq 0 "$status" "status once the line was read"
[[ ! -L $T/ttyD ]] || fail "the link was left behind"

# An existing regular file, or a symlink ipcat did not make, is not replaced: one line, status 1.
echo keep >"$T/file"
expect_status 1 "$IPCAT" pty,link="$T/file" - </dev/null 2>f.err
assert_error f.err "^ipcat: pty link $T/file: a regular file is in the way; not replaced$"
assert_eq keep "$(cat "$T/file")" "the regular file"
ln -s "$T/file" "$T/other"
expect_status 1 "$IPCAT" pty,link="$T/other" - </dev/null 2>o.err
assert_error o.err "^ipcat: pty link $T/other: a symbolic link to $T/file is in the way; not replaced$"
assert_eq "$T/file" "$(readlink "$T/other")" "the other symlink"
# A link into /dev/pts whose pty is gone (left by a killed run) is taken over.
ln -s /dev/pts/999999 "$T/stale"
"$IPCAT" -v pty,link="$T/stale" - </dev/null >/dev/null 2>s.err &
pid=$!
wait_for 10 grep -q '^PTY is ' s.err
[[ $(readlink "$T/stale") == /dev/pts/[0-9]* && $(readlink "$T/stale") != /dev/pts/999999 ]] ||
  fail "the stale link was not taken over: $(readlink "$T/stale")"
kill -INT "$pid"
wait_exit "$pid" 5
assert_eq 130 "$status" "status after SIGINT"
[[ ! -L $T/stale ]] || fail "the link was left behind after SIGINT"
