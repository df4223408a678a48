#!/usr/bin/env bash
# -z: connect and close at once, sending nothing (even with data on stdin); status 0 if
# something listens, 1 if not.
source "$(dirname "$0")/common.sh"
need python3

# end_listener PID OUT CONNECT_ARGS...: a one-client listener may take the -z connection as its
# session (and end) or ignore it as a probe (and keep listening); either way, end it and check
# that it received nothing from -z.
end_listener() {
  local pid=$1 out=$2 deadline
  shift 2
  deadline=$(($(now_ms) + 1000))
  while kill -0 "$pid" 2>/dev/null && (($(now_ms) < deadline)); do sleep 0.05; done
  if kill -0 "$pid" 2>/dev/null; then
    echo after | timeout 10 "$IPCAT" "$@" >/dev/null || fail "a client after -z: status $?"
    wait_exit "$pid" 5
    assert_eq after "$(cat "$out")" "what the listener received"
  else
    wait_exit "$pid" 5
    assert_empty "$out" "what the listener received from -z"
  fi
  assert_eq 0 "$status" "listener's status"
}

# TCP, something listens.
"$IPCAT" -v -l 127.0.0.1 0 </dev/null >l.out 2>l.err &
lst=$!
port=$(listen_port l.err)
echo "must not be sent" | expect_status 0 "$IPCAT" -z 127.0.0.1 "$port" >z.out 2>z.err
assert_empty z.out "stdout of -z"
assert_empty z.err "stderr of -z"
end_listener "$lst" l.out 127.0.0.1 "$port"

# TCP, bound but not listening.
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
expect_status 1 "$IPCAT" -z 127.0.0.1 "$(cat closed.port)" </dev/null >z2.out 2>z2.err
assert_empty z2.out
[[ ! -s z2.err ]] || assert_error z2.err

# Unix, something listens / nothing there.
"$IPCAT" -v -lU "$T/u.sock" </dev/null >ul.out 2>ul.err &
lst=$!
wait_listening ul.err
echo "must not be sent" | expect_status 0 "$IPCAT" -z -U "$T/u.sock" >z3.out 2>z3.err
assert_empty z3.out
assert_empty z3.err
end_listener "$lst" ul.out -U "$T/u.sock"
expect_status 1 "$IPCAT" -z -U "$T/none.sock" </dev/null >z4.out 2>z4.err
[[ ! -s z4.err ]] || assert_error z4.err
