#!/usr/bin/env bash
# A child (-c, -e, exec:) learns its session from the environment: IPCAT_PEER_ADDR,
# IPCAT_PEER_PORT, IPCAT_LOCAL_ADDR, IPCAT_LOCAL_PORT, IPCAT_PROTO, on Unix sockets the peer's
# IPCAT_PEER_UID/GID/PID, and ncat's NCAT_* names. For a connecting ipcat the peer is the
# server. --stderr (exec:CMD,stderr) sends the child's stderr to the peer too.
source "$(dirname "$0")/common.sh"
need python3

# TCP listener: the child sees the client's address and port (the client knows its own port).
"$IPCAT" -v -l 127.0.0.1 0 \
  -c 'echo "$IPCAT_PEER_ADDR $IPCAT_PEER_PORT $NCAT_REMOTE_ADDR $NCAT_REMOTE_PORT $IPCAT_LOCAL_ADDR $IPCAT_LOCAL_PORT $IPCAT_PROTO $NCAT_PROTO"' \
  </dev/null >/dev/null 2>t.err &
srv=$!
port=$(listen_port t.err)
python3 - "$port" >t.out <<'PY'
import socket, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
me = c.getsockname()[1]
c.shutdown(socket.SHUT_WR)
data = b""
while True:
    b = c.recv(4096)
    if not b:
        break
    data += b
print(me)
print(data.decode().strip())
PY
wait_exit "$srv" 5
assert_eq 0 "$status" "listener's status"
client_port=$(sed -n 1p t.out)
assert_eq "127.0.0.1 $client_port 127.0.0.1 $client_port 127.0.0.1 $port tcp TCP" "$(sed -n 2p t.out)" \
  "the session as the child saw it (IPCAT_PEER_ADDR IPCAT_PEER_PORT NCAT_REMOTE_ADDR NCAT_REMOTE_PORT IPCAT_LOCAL_ADDR IPCAT_LOCAL_PORT IPCAT_PROTO NCAT_PROTO)"

# A connecting ipcat: the peer is the server.
"$IPCAT" -v -l 127.0.0.1 0 </dev/null >c.srv.out 2>c.srv.err &
srv=$!
port=$(listen_port c.srv.err)
timeout 10 "$IPCAT" -c 'echo "$IPCAT_PEER_ADDR:$IPCAT_PEER_PORT $NCAT_REMOTE_PORT"' 127.0.0.1 "$port" </dev/null ||
  fail "connecting ipcat with -c: status $?"
wait_exit "$srv" 5
assert_eq "127.0.0.1:$port $port" "$(cat c.srv.out)" "a connecting child's IPCAT_PEER_ADDR:PORT"

# Unix: the peer's credentials (SO_PEERCRED), -k serving a child per client; LISTEN_* and
# stale session variables from ipcat's own environment never reach the child.
IPCAT_PEER_UID=stale "$IPCAT" -lkU "$T/u.sock" \
  -c 'echo "$IPCAT_PEER_UID $IPCAT_PEER_GID $IPCAT_PROTO ${IPCAT_PEER_PID:+pid} ${LISTEN_FDS:-none}"' 2>u.err &
srv=$!
wait_socket "$T/u.sock"
for i in 1 2; do
  got=$(timeout 10 "$IPCAT" -U "$T/u.sock" </dev/null) || fail "Unix client $i: status $?"
  assert_eq "$(id -u) $(id -g) unix pid none" "$got" "Unix child $i: IPCAT_PEER_UID GID PROTO PID"
done
kill "$srv"
wait_exit "$srv" 5

# -e (no shell) gets them too: env prints them.
"$IPCAT" -lU "$T/e.sock" -e 'env' 2>e.err &
srv=$!
wait_socket "$T/e.sock"
timeout 10 "$IPCAT" -U "$T/e.sock" </dev/null >e.out || fail "client of -e env: status $?"
wait_exit "$srv" 5
grep -qx "IPCAT_PEER_UID=$(id -u)" e.out || fail "-e env: no IPCAT_PEER_UID=$(id -u) in $(show e.out)"
grep -qx "IPCAT_PROTO=unix" e.out || fail "-e env: no IPCAT_PROTO=unix"

# --stderr: the child's stderr reaches the peer; without it, it goes to ipcat's stderr.
"$IPCAT" -lU "$T/s.sock" --stderr -c 'echo out; echo err >&2' 2>s.err &
srv=$!
wait_socket "$T/s.sock"
got=$(timeout 10 "$IPCAT" -U "$T/s.sock" </dev/null | sort | tr '\n' ' ') || fail "client of --stderr: status $?"
wait_exit "$srv" 5
assert_eq "err out " "$got" "what the peer got with --stderr"
assert_empty s.err "listener's stderr with --stderr"
"$IPCAT" -lU "$T/n.sock" -c 'echo out; echo err >&2' 2>n.err &
srv=$!
wait_socket "$T/n.sock"
got=$(timeout 10 "$IPCAT" -U "$T/n.sock" </dev/null) || fail "client without --stderr: status $?"
wait_exit "$srv" 5
assert_eq out "$got" "what the peer got without --stderr"
assert_eq err "$(cat n.err)" "listener's stderr without --stderr"
# The address form: exec:CMD,stderr.
got=$(timeout 10 "$IPCAT" 'exec:echo a, b; echo c >&2,stderr' - </dev/null 2>x.err | sort | tr '\n' ' ') ||
  fail "exec:...,stderr: status $?"
assert_eq "a, b c " "$got" "exec:CMD,stderr (commas inside CMD stay)"
assert_empty x.err "stderr of exec:CMD,stderr"
expect_status 2 "$IPCAT" --stderr -lU "$T/bad.sock" </dev/null 2>bad.err
assert_usage_error bad.err
