#!/usr/bin/env bash
# A TLS peer that goes away mid-stream costs one line, not two. The server (Python's ssl, on
# loopback) reads 1 MB of a 32 MB upload, sends a line and closes with the rest unread: a TCP
# reset. The client must end with status 1 and exactly one line on stderr, the "not delivered"
# error, whichever of its reader and writer meets the reset first (the writer's send takes the
# socket's one report of it, and the reader then sees a bare end: that is not a second,
# "closed without close_notify" line). Then a server that closes its direction with a bare FIN
# (no close_notify) and reads everything: status 0, every byte there, and the one warning that
# the peer's data may be cut.
E2E=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/common.sh
source "$E2E/common.sh"
# shellcheck source=tests/e2e/tls_certs.sh
source "$E2E/tls_certs.sh"
need python3

cat >server.py <<'PY'
import os, socket, ssl, sys
mode, portfile = sys.argv[1], sys.argv[2]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain("server.pem", "server.key")
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
with open(portfile + ".tmp", "w") as f:
    f.write("%d\n" % s.getsockname()[1])
os.rename(portfile + ".tmp", portfile)
c, _ = s.accept()
t = ctx.wrap_socket(c, server_side=True)
n = 0
if mode == "reset":
    while n < 1000000:
        n += len(t.recv(65536))
    t.sendall(b"bye\n")
    c.close()  # the rest unread: a reset
else:
    t.sendall(b"hello\n")
    socket.socket(fileno=os.dup(t.fileno())).shutdown(socket.SHUT_WR)  # a bare FIN
    while True:
        d = t.recv(65536)
        if not d:
            break
        n += len(d)
    print(n, flush=True)
PY
head -c 32M /dev/zero >in
trust=tls,cafile=$T/ca.pem,servername=localhost

# session MODE: the server in MODE, the upload through ipcat; sets rc, leaves out, c.err,
# server.out and the server's status in srv_rc.
session() {
  rm -f port
  timeout 20 python3 server.py "$1" port >server.out 2>server.err &
  local srv=$!
  wait_for 10 test -f port
  rc=0
  timeout 20 "$IPCAT" - "tcp:127.0.0.1:$(cat port),$trust" <in >out 2>c.err || rc=$?
  srv_rc=0
  wait "$srv" || srv_rc=$?
  echo "$1: status $rc, stderr $(show c.err)"
}

for round in 1 2 3 4; do
  session reset
  assert_eq 1 "$rc" "status after the peer's reset (round $round)"
  assert_eq 1 "$(line_count c.err)" "stderr lines after the peer's reset (round $round): $(show c.err)"
  grep -q '^ipcat: .*not delivered$' c.err || fail "no 'not delivered' line: $(show c.err)"
  assert_eq 0 "$srv_rc" "the server's status: $(show server.err)"
done

session fin
assert_eq 0 "$rc" "status after the peer's bare FIN"
assert_eq hello "$(cat out)" "what the peer sent"
assert_eq 0 "$srv_rc" "the server's status: $(show server.err)"
assert_eq "$(stat -c %s in)" "$(cat server.out)" "bytes the server read"
assert_eq 1 "$(line_count c.err)" "stderr lines after a bare FIN: $(show c.err)"
grep -q 'closed without close_notify' c.err || fail "no warning about the bare FIN: $(show c.err)"
echo ok
