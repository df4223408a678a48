#!/usr/bin/env bash
# Connect failures: status 1 and one line, "ipcat: connect ...: <why>".
source "$(dirname "$0")/common.sh"
need python3

# No such socket file.
[[ ! -e /nonexistent ]] || fail "/nonexistent exists on this host"
expect_status 1 "$IPCAT" -U /nonexistent </dev/null >a.out 2>a.err
assert_eq "ipcat: connect unix:/nonexistent: No such file or directory" "$(cat a.err)" "error line"
assert_error a.err
assert_empty a.out
expect_status 1 "$IPCAT" -U "$T/missing.sock" </dev/null >b.out 2>b.err
assert_eq "ipcat: connect unix:$T/missing.sock: No such file or directory" "$(cat b.err)" "error line"

# A stale socket: refused.
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/stale.sock"
expect_status 1 "$IPCAT" -U "$T/stale.sock" </dev/null >c.out 2>c.err
assert_error c.err 'Connection refused'

# A TCP port that is bound but not listening: refused.
python3 - <<'PY' &
import os, socket, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
with open(os.environ["T"] + "/closed.port.tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
os.rename(os.environ["T"] + "/closed.port.tmp", os.environ["T"] + "/closed.port")
time.sleep(60)
PY
wait_for 10 test -f closed.port
port=$(cat closed.port)
expect_status 1 "$IPCAT" 127.0.0.1 "$port" </dev/null >d.out 2>d.err
assert_error d.err 'Connection refused'
assert_empty d.out
expect_status 1 "$IPCAT" -4 localhost "$port" </dev/null >e.out 2>e.err
assert_error e.err 'Connection refused'
# The same with data on stdin: still one line, status 1.
echo data | expect_status 1 "$IPCAT" 127.0.0.1 "$port" >f.out 2>f.err
assert_error f.err 'Connection refused'
