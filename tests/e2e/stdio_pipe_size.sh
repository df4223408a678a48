#!/usr/bin/env bash
# A pipe on ipcat's stdin or stdout is grown to 256 KiB (bounded by pipe-max-size), so the
# process at its other end moves more per call; a pipe that is already larger is left as it is,
# and a terminal, file or socket is not touched. The data is intact either way.
source "$(dirname "$0")/common.sh"
need python3

max=$(cat /proc/sys/fs/pipe-max-size)
want=$((max < 262144 ? max : 262144))
if ((want <= 65536)); then
  echo "SKIP: /proc/sys/fs/pipe-max-size is $max: no pipe can grow past the default" >&2
  exit 77
fi

# pipes.py MODE: runs ipcat with a pipe it creates on stdin or stdout, optionally pre-sized,
# and prints the pipe's capacity once ipcat has opened it (ipcat grows it before any I/O).
cat >pipes.py <<'PY'
import fcntl, os, subprocess, sys, time
F_SETPIPE_SZ, F_GETPIPE_SZ = 1031, 1032
ipcat, mode, presize, sock = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
r, w = os.pipe()
if presize:
    fcntl.fcntl(w, F_SETPIPE_SZ, presize)
if mode == "stdout":
    p = subprocess.Popen([ipcat, "--uuid", "--count", "100000"], stdout=w)
    os.close(w)
    first = os.read(r, 37)  # a UUID line: ipcat has opened and sized its stdout
    size = fcntl.fcntl(r, F_GETPIPE_SZ)
    rest = b""
    while chunk := os.read(r, 1 << 20):
        rest += chunk
    lines = (first + rest).decode().splitlines()
    assert len(lines) == 100000 and all(len(x) == 36 for x in lines), "UUIDs damaged"
    assert p.wait(10) == 0, "ipcat failed"
else:
    p = subprocess.Popen([ipcat, "-U", sock], stdin=r)
    os.close(r)
    deadline = time.monotonic() + 5
    size = fcntl.fcntl(w, F_GETPIPE_SZ)
    while size == 65536 and time.monotonic() < deadline:
        time.sleep(0.02)
        size = fcntl.fcntl(w, F_GETPIPE_SZ)
    os.write(w, b"line through a grown pipe\n")
    os.close(w)
    assert p.wait(10) == 0, "ipcat failed"
print(size)
PY

# stdout: grown from the default; a larger pipe is left larger.
got=$(timeout 20 python3 pipes.py "$IPCAT" stdout 0 -) || fail "stdout run failed"
assert_eq "$want" "$got" "capacity of ipcat's stdout pipe"
if ((max >= 1048576)); then
  got=$(timeout 20 python3 pipes.py "$IPCAT" stdout 1048576 -) || fail "stdout run (1 MiB) failed"
  assert_eq 1048576 "$got" "capacity of a 1 MiB stdout pipe after ipcat"
fi

# stdin: grown too, and what goes through it arrives.
"$IPCAT" -lU "$T/s.sock" >recv.out 2>recv.err &
lst=$!
wait_socket "$T/s.sock"
got=$(timeout 20 python3 pipes.py "$IPCAT" stdin 0 "$T/s.sock") || fail "stdin run failed"
assert_eq "$want" "$got" "capacity of ipcat's stdin pipe"
wait_exit "$lst" 5
assert_eq 0 "$status" "listener's status"
assert_eq "line through a grown pipe" "$(cat recv.out)" "what the listener received"
assert_empty recv.err "listener's stderr"
