#!/usr/bin/env bash
# -w SECS bounds the connect: against a listener whose accept queue is full (the kernel drops
# the SYN), `ipcat -w 1` gives up after about 1 s with status 1 and one line; so does -z -w 1.
source "$(dirname "$0")/common.sh"
need python3

python3 - <<'PY' &
import os, socket, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(0)
port = s.getsockname()[1]
fillers = []
for _ in range(3):
    c = socket.socket()
    c.setblocking(False)
    try:
        c.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    fillers.append(c)
time.sleep(0.5)
with open(os.environ["T"] + "/full.port.tmp", "w") as f:
    f.write(str(port))
os.rename(os.environ["T"] + "/full.port.tmp", os.environ["T"] + "/full.port")
time.sleep(60)
PY
wait_for 10 test -f full.port
port=$(cat full.port)

for args in "-w 1" "-z -w 1"; do
  start=$(now_ms)
  rc=0
  # shellcheck disable=SC2086
  timeout 10 "$IPCAT" $args 127.0.0.1 "$port" </dev/null >out 2>err || rc=$?
  took=$(($(now_ms) - start))
  assert_eq 1 "$rc" "status of ipcat $args"
  ((took >= 800 && took < 3000)) || fail "ipcat $args gave up after $took ms, expected about 1 s"
  if [[ $args == "-w 1" ]]; then
    assert_error err
  else
    # -z reports by its status; an error line is allowed, at most one.
    [[ ! -s err ]] || assert_error err
  fi
  assert_empty out
done
