#!/usr/bin/env bash
# Socket activation: with LISTEN_FDS/LISTEN_PID set for it (systemd-socket-activate), `ipcat -l`
# with no address serves the first passed socket, and its children do not inherit the
# variables; --accept mode hands ipcat a connected socket, fd:3. accept-fd:N accepts on a
# listening socket inherited from any parent, with -k too.
source "$(dirname "$0")/common.sh"
need python3 systemd-socket-activate

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# connect_when_ready PORT: wait for systemd-socket-activate's socket, then talk once.
wait_port() { wait_for 10 bash -c "ss -Hltn 'sport = :$1' | grep -q ."; }

# ipcat -l -c CMD under systemd-socket-activate: one client, served by a child.
port=$(free_port)
systemd-socket-activate -l "127.0.0.1:$port" \
  "$IPCAT" -v -l -c 'echo "hello $IPCAT_PEER_ADDR ${LISTEN_FDS:-unset} ${LISTEN_PID:-unset}"' 2>sa.err &
sa=$!
wait_port "$port"
got=$(timeout 10 "$IPCAT" 127.0.0.1 "$port" </dev/null) || fail "client of an activated ipcat: status $?"
assert_eq "hello 127.0.0.1 unset unset" "$got" "the activated child's reply (LISTEN_* unset)"
wait_exit "$sa" 5
assert_eq 0 "$status" "status of the activated ipcat"
grep -qx "Listening on tcp:127.0.0.1:$port" sa.err || fail "no 'Listening on tcp:127.0.0.1:$port' in $(show sa.err)"

# -lk: several clients on the activated socket.
port=$(free_port)
systemd-socket-activate -l "127.0.0.1:$port" "$IPCAT" -lk -c 'tr a-z A-Z' 2>sk.err &
sa=$!
wait_port "$port"
for i in 1 2 3; do
  got=$(echo "client$i" | timeout 10 "$IPCAT" 127.0.0.1 "$port") || fail "client $i of -lk: status $?"
  assert_eq "CLIENT$i" "$got" "reply to client $i of an activated -lk"
done
kill "$sa"
wait_exit "$sa" 5

# --accept: a connected socket per client, fd:3.
port=$(free_port)
systemd-socket-activate --accept -l "127.0.0.1:$port" \
  "$IPCAT" -c 'echo "accepted on $IPCAT_LOCAL_PORT from $IPCAT_PEER_ADDR"' fd:3 2>acc.err &
sa=$!
wait_port "$port"
got=$(timeout 10 "$IPCAT" 127.0.0.1 "$port" </dev/null) || fail "client in --accept mode: status $?"
assert_eq "accepted on $port from 127.0.0.1" "$got" "reply through fd:3"
kill "$sa"
wait_exit "$sa" 5

# accept-fd:N from a python parent, with -k: two clients, then the parent stops ipcat.
python3 - "$IPCAT" <<'PY' >py.out 2>py.err || fail "python parent: status $? $(cat py.err)"
import os, signal, socket, subprocess, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
port = s.getsockname()[1]
fd = s.fileno()
child = subprocess.Popen([sys.argv[1], "-k", f"accept-fd:{fd}", "exec:tr a-z A-Z"], pass_fds=[fd])
s.close()
for word in (b"one\n", b"two\n"):
    c = socket.create_connection(("127.0.0.1", port), timeout=10)
    c.sendall(word)
    c.shutdown(socket.SHUT_WR)
    got = b""
    while True:
        b = c.recv(100)
        if not b:
            break
        got += b
    print(got.decode().strip())
child.send_signal(signal.SIGTERM)
print(child.wait(timeout=10))
PY
assert_eq "ONE TWO 143" "$(tr '\n' ' ' <py.out | sed 's/ $//')" "accept-fd replies and the status after SIGTERM"

# A descriptor that is no listening socket is an error, one line.
expect_status 1 "$IPCAT" accept-fd:0 - </dev/null 2>bad.err
assert_error bad.err
expect_status 1 "$IPCAT" accept-fd:77 - </dev/null 2>bad2.err
assert_error bad2.err 'Bad file descriptor'
