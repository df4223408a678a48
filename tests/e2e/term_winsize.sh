#!/usr/bin/env bash
# exec:CMD,pty with a terminal on stdin: the child's terminal starts with the local terminal's
# size, and follows it when ipcat gets SIGWINCH (the child sees SIGWINCH and the new size).
source "$(dirname "$0")/common.sh"
need python3 stty

cat >winsize.py <<'PY'
import fcntl, os, pty, select, signal, struct, subprocess, sys, termios, time
ipcat = sys.argv[1]
master, slave = pty.openpty()
def resize(rows, cols):
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
resize(30, 100)
child = "trap 'stty size; exit 0' WINCH; stty size; while :; do sleep 0.05; done"
p = subprocess.Popen([ipcat, "exec:" + child + ",pty", "-"], stdin=slave, stdout=subprocess.PIPE)
out = b""
def expect(want):
    global out
    deadline = time.monotonic() + 8
    while want not in out:
        left = deadline - time.monotonic()
        if left <= 0:
            p.kill()
            sys.exit("timed out waiting for %r; got %r" % (want, out))
        if select.select([p.stdout], [], [], left)[0]:
            chunk = os.read(p.stdout.fileno(), 4096)
            if not chunk:
                sys.exit("ipcat ended waiting for %r; got %r" % (want, out))
            out += chunk
expect(b"30 100\r\n") # printed once the trap is set: a SIGWINCH from now on is seen
resize(40, 120)
p.send_signal(signal.SIGWINCH) # the kernel would send it to a foreground ipcat
expect(b"40 120\r\n")
print(p.wait(timeout=8))
PY
got=$(timeout 20 python3 winsize.py "$IPCAT") || fail "$got"
assert_eq 0 "$got" "ipcat's status once the child exited"
