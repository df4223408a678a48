#!/usr/bin/env bash
# serial:PATH,speed=N on the slave of a pty pair (the master plays the device at the other end
# of the line): the line is set up (stty -F shows the speed, raw, 8N1 or what was asked) and
# carries data both ways. A path that is no terminal is one line, status 1; a bad speed or
# parity a usage error, status 2.
source "$(dirname "$0")/common.sh"
need python3 stty

# line.py ARGS...: makes a pty pair, runs ipcat ARGS with @ replaced by the slave's path,
# prints `stty -F SLAVE -a`, then checks data both ways and stops ipcat with SIGTERM.
cat >line.py <<'PY'
import os, pty, select, signal, subprocess, sys, time
master, slave = pty.openpty()
path = os.ttyname(slave)
args = [a.replace("@", path) for a in sys.argv[1:]]
p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     stderr=open("ipcat.err", "wb"))
deadline = time.monotonic() + 8
while b"Serial line" not in open("ipcat.err", "rb").read():
    if time.monotonic() > deadline or p.poll() is not None:
        sys.exit("ipcat did not open the line: %r" % open("ipcat.err", "rb").read())
    time.sleep(0.02)
print(subprocess.run(["stty", "-F", path, "-a"], capture_output=True, text=True).stdout)
def expect(fd, want):
    got = b""
    deadline = time.monotonic() + 8
    while want not in got:
        left = deadline - time.monotonic()
        if left <= 0:
            sys.exit("timed out waiting for %r; got %r" % (want, got))
        if select.select([fd], [], [], left)[0]:
            got += os.read(fd, 4096)
os.write(master, b"from-device\n")
expect(p.stdout.fileno(), b"from-device\n")
p.stdin.write(b"to-device\n")
p.stdin.flush()
expect(master, b"to-device\n")
p.send_signal(signal.SIGTERM)
print("status", p.wait(timeout=8))
PY

timeout 20 python3 line.py "$IPCAT" -v serial:@,speed=115200 - >a.txt || fail "115200: $(show a.txt)"
grep -q 'speed 115200 baud' a.txt || fail "stty -F does not show 115200: $(show a.txt)"
grep -qE '(^| )cs8( |$)' a.txt || fail "not 8 data bits: $(show a.txt)"
grep -qE '(^| )-parenb( |$)' a.txt || fail "parity on: $(show a.txt)"
grep -qE '(^| )-cstopb( |$)' a.txt || fail "two stop bits: $(show a.txt)"
grep -qE '(^| )-icanon( |$)' a.txt || fail "the line is not raw: $(show a.txt)"
grep -q '^status 143$' a.txt || fail "status after SIGTERM: $(show a.txt)"

timeout 20 python3 line.py "$IPCAT" -v serial:@,speed=9600,databits=7,parity=even,stopbits=2,flow=rtscts - >b.txt ||
  fail "9600 7E2: $(show b.txt)"
grep -q 'speed 9600 baud' b.txt || fail "stty -F does not show 9600: $(show b.txt)"
# A pty keeps 8 bits without parity whatever it is asked (the kernel's pty_set_termios), so
# the character size and parity bit cannot be seen here; the parity check (inpck) can.
for flag in cstopb crtscts inpck; do
  grep -qE "(^| )$flag( |$)" b.txt || fail "no $flag: $(show b.txt)"
done

# Not a terminal: one line, status 1. A bad speed, parity or character size: usage, status 2.
: >"$T/regular"
expect_status 1 "$IPCAT" serial:"$T/regular",speed=115200 - </dev/null 2>r.err
assert_error r.err "^ipcat: serial $T/regular: not a terminal device \(a regular file\)$"
expect_status 2 "$IPCAT" serial:/dev/null,speed=12345 - </dev/null 2>s.err
assert_usage_error s.err
grep -q "invalid speed '12345'" s.err || fail "bad speed message: $(show s.err)"
expect_status 2 "$IPCAT" serial:/dev/null,parity=mark - </dev/null 2>p.err
assert_usage_error p.err
expect_status 2 "$IPCAT" serial:/dev/null,databits=9 - </dev/null 2>d.err
assert_usage_error d.err
