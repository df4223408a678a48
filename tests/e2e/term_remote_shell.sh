#!/usr/bin/env bash
# A remote shell: `ipcat -lU s -c 'bash -i' --pty` runs bash on a new pseudo-terminal as its
# controlling terminal, so `tty` names a /dev/pts device, job control works (`jobs` lists a
# background job), and the child's exit ends the session: the client exits although its own
# input is still open, and -v reports the child's status.
source "$(dirname "$0")/common.sh"
need python3 bash

cat >client.py <<'PY'
import os, re, select, subprocess, sys, time
ipcat, sock = sys.argv[1], sys.argv[2]
client = subprocess.Popen([ipcat, "-U", sock], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
out = b""
def expect(pattern, limit=8):
    """Reads the client's output until pattern shows up (a bounded wait)."""
    global out
    deadline = time.monotonic() + limit
    while pattern not in out:
        left = deadline - time.monotonic()
        if left <= 0:
            sys.exit("timed out waiting for %r; got %r" % (pattern, out))
        r, _, _ = select.select([client.stdout], [], [], left)
        if r:
            chunk = os.read(client.stdout.fileno(), 65536)
            if not chunk:
                sys.exit("the session ended early waiting for %r; got %r" % (pattern, out))
            out += chunk
def send(text):
    client.stdin.write(text.encode())
    client.stdin.flush()
expect(b"$ ")
send("tty; echo $((6*7))\n")
expect(b"42\r\n")
if not re.search(rb"/dev/pts/[0-9]+\r\n42\r\n", out):
    sys.exit("tty did not name a pseudo-terminal: %r" % out)
send("sleep 100 &\n")
expect(b"$ ", 8)
out = b""
send("jobs\n")
expect(b"Running")
if b"sleep 100" not in out.split(b"Running", 1)[1]:
    sys.exit("jobs did not list the background job: %r" % out)
# The job goes first (it holds the terminal), then the shell exits: the client must end while
# its stdin is still open.
send("kill %1; wait; exit 3\n")
deadline = time.monotonic() + 8
while client.poll() is None:
    if time.monotonic() > deadline:
        client.kill()
        sys.exit("the client did not end when the shell exited")
    r, _, _ = select.select([client.stdout], [], [], 0.1)
    if r:
        os.read(client.stdout.fileno(), 65536)
if client.returncode != 0:
    sys.exit("client status %d" % client.returncode)
print("ok")
PY

"$IPCAT" -v -lU "$T/s" -c "env PS1='\$ ' bash --norc --noprofile -i" --pty 2>srv.err &
srv=$!
wait_socket "$T/s"
got=$(timeout 20 python3 client.py "$IPCAT" "$T/s") || fail "client: $got"
assert_eq ok "$got" "the remote shell scenario"
wait_exit "$srv" 5
assert_eq 0 "$status" "listener's status"
grep -qE "^Started .* on /dev/pts/[0-9]+ \(pid [0-9]+\)$" srv.err || fail "no 'Started ... on /dev/pts/N' line: $(show srv.err)"
grep -qE "^Command .* exited with status 3$" srv.err || fail "-v did not report the child's status 3: $(show srv.err)"
assert_no_error_line srv.err "listener's stderr"

# The address form: exec:CMD,pty (the trailing ,pty is an option, not part of the command).
got=$(timeout 10 "$IPCAT" 'exec:tty,pty' - </dev/null | tr -d '\r') || fail "exec:tty,pty: status $?"
[[ $got =~ ^/dev/pts/[0-9]+$ ]] || fail "exec:tty,pty printed '$got', expected a /dev/pts device"
got=$(timeout 10 "$IPCAT" 'exec:tty' - </dev/null) || true
assert_eq "not a tty" "$got" "exec:tty without pty"

# A child that exits while a job it started still holds the terminal (and ignores the hangup)
# ends the session all the same, once its output is read.
start=$(now_ms)
job=$(timeout 10 "$IPCAT" "exec:trap '' HUP; sleep 30 & echo \$!,pty" - </dev/null | tr -d '\r') ||
  fail "a child leaving a job behind: status $?"
[[ $job =~ ^[0-9]+$ ]] || fail "expected the job's pid, got '$job'"
kill "$job" 2>/dev/null || true
(($(now_ms) - start < 5000)) || fail "the session waited for the job, not for the child"

# Usage errors: --pty without a child; a command that cannot start is one line, status 1.
expect_status 2 "$IPCAT" --pty -lU "$T/u" 2>u.err
assert_usage_error u.err
expect_status 1 "$IPCAT" -e ipcat-no-such-command --pty - 2>x.err </dev/null
assert_error x.err '^ipcat: exec ipcat-no-such-command: No such file or directory$'
