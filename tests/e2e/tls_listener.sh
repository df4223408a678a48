#!/usr/bin/env bash
# TLS listeners: -k serving 10 TLS clients at once (each gets its own echo), a child behind a
# TLS listener (-c), a hub (-lk with stdio) with TLS clients, TLS over a Unix socket, a
# request/response with half-close (close_notify), a peer that closes without close_notify
# (one warning line), and plain TCP or garbage sent to a -k TLS listener: one line each, and
# the listener goes on serving.
E2E=$(cd "$(dirname "$0")" && pwd)
source "$E2E/common.sh"
source "$E2E/tls_certs.sh"
need python3

# matches_at_least FILE ERE N: at least N lines of FILE match ERE (for wait_for).
matches_at_least() { (($(grep -cE "$2" "$1") >= $3)); }

cert=(--ssl-cert "$T/server.pem" --ssl-key "$T/server.key")
trust=(--ssl-trustfile "$T/ca.pem")

# -k with a child per client: 10 clients at once, each with its own data.
"$IPCAT" -v -k -l 127.0.0.1 0 --ssl "${cert[@]}" -c 'cat' 2>"$T/k.err" &
klis=$!
port=$(listen_port "$T/k.err")
pids=()
for i in $(seq 1 10); do
  head -c 200000 /dev/urandom >"$T/c$i.in"
  timeout 10 "$IPCAT" --ssl "${trust[@]}" localhost "$port" <"$T/c$i.in" >"$T/c$i.out" 2>"$T/c$i.err" &
  pids+=($!)
done
for i in $(seq 1 10); do
  wait_exit "${pids[$((i - 1))]}" 10
  assert_eq 0 "$status" "client $i status"
  assert_same_file "$T/c$i.in" "$T/c$i.out"
done

# Plain TCP and garbage to the same -k listener: one line each, and it goes on.
printf 'GET / HTTP/1.0\r\n\r\n' | timeout 5 "$IPCAT" 127.0.0.1 "$port" >/dev/null 2>&1 || true
python3 -c 'import socket,sys; s=socket.create_connection(("127.0.0.1",int(sys.argv[1]))); s.sendall(b"\x16\x03\x01\x00\x05garbagegarbage"); s.recv(100)' "$port" 2>/dev/null || true
wait_for 5 matches_at_least "$T/k.err" '^ipcat: tls handshake from ' 2
grep -q '^ipcat: tls handshake from tcp:127.0.0.1:[0-9]*: http request$' "$T/k.err" ||
  fail "plain HTTP to a TLS listener: $(show "$T/k.err")"
printf 'after\n' | timeout 10 "$IPCAT" --ssl "${trust[@]}" localhost "$port" >"$T/after.out" 2>"$T/after.err"
assert_eq after "$(cat "$T/after.out")" "a client after the failed ones"
still_running "$klis"
kill "$klis"

# A hub: stdin to every TLS client, their lines to stdout.
mkfifo "$T/hub.in"
"$IPCAT" -v -k -l 127.0.0.1 0 --ssl "${cert[@]}" <"$T/hub.in" >"$T/hub.out" 2>"$T/hub.err" &
hub=$!
exec 7>"$T/hub.in"
port=$(listen_port "$T/hub.err")
for i in 1 2; do
  (printf 'from %s\n' "$i"; sleep 3) | timeout 10 "$IPCAT" --ssl "${trust[@]}" localhost "$port" >"$T/h$i.out" 2>"$T/h$i.err" &
done
wait_for 5 matches_at_least "$T/hub.err" '^TLS TLSv1' 2
printf 'to all\n' >&7
wait_for 5 grep -q 'to all' "$T/h1.out"
wait_for 5 grep -q 'to all' "$T/h2.out"
wait_for 5 grep -q 'from 1' "$T/hub.out"
wait_for 5 grep -q 'from 2' "$T/hub.out"
exec 7>&-
kill "$hub" 2>/dev/null || true

# TLS over a Unix socket, address form, both ends.
"$IPCAT" unix-listen:"$T/s.sock",tls,cert="$T/server.pem",key="$T/server.key" - \
  <<<"unix reply" >"$T/u.out" 2>"$T/u.err" &
u=$!
wait_socket "$T/s.sock"
printf 'unix hello\n' | timeout 10 "$IPCAT" - unix:"$T/s.sock",tls,cafile="$T/ca.pem",servername=localhost >"$T/uc.out" 2>"$T/uc.err"
assert_eq "unix reply" "$(cat "$T/uc.out")" "reply over a TLS Unix socket"
wait_exit "$u" 10
assert_eq 0 "$status" "Unix TLS listener status"
assert_eq "unix hello" "$(cat "$T/u.out")" "request over a TLS Unix socket"

# Half-close: the request ends with close_notify, the reply still comes back (a fixed HTTP
# reply from a child that reads the request to its end first).
printf 'HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nok\n' >"$T/resp"
"$IPCAT" -v -l 127.0.0.1 0 --ssl "${cert[@]}" -c "cat >'$T/req'; cat '$T/resp'" 2>"$T/hc.err" &
hc=$!
port=$(listen_port "$T/hc.err")
printf 'GET / HTTP/1.0\r\n\r\n' | timeout 10 "$IPCAT" --ssl "${trust[@]}" localhost "$port" >"$T/hc.out" 2>"$T/hcc.err"
cmp -s "$T/resp" "$T/hc.out" || fail "half-close reply: $(show "$T/hc.out")"
printf 'GET / HTTP/1.0\r\n\r\n' | cmp -s - "$T/req" || fail "half-close request: $(show "$T/req")"
wait_exit "$hc" 10
assert_eq 0 "$status" "half-close listener status"
assert_empty "$T/hcc.err" "half-close client stderr"

# A peer that closes without close_notify: the data arrives, with one warning line.
python3 - "$T" <<'PY' &
import os, socket, ssl, sys
t = sys.argv[1]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(t + "/server.pem", t + "/server.key")
ls = socket.socket(); ls.bind(("127.0.0.1", 0)); ls.listen(1)
open(t + "/py.port", "w").write(str(ls.getsockname()[1]))
c, _ = ls.accept()
s = ctx.wrap_socket(c, server_side=True)
s.sendall(b"cut short\n")
os.close(s.detach())  # the descriptor closed under TLS: no close_notify
PY
py=$!
wait_for 5 test -s "$T/py.port"
rc=0
timeout 10 "$IPCAT" -d --ssl "${trust[@]}" localhost "$(cat "$T/py.port")" >"$T/cut.out" 2>"$T/cut.err" || rc=$?
assert_eq "cut short" "$(cat "$T/cut.out")" "data before the truncation"
assert_error "$T/cut.err" "^ipcat: warning: tcp:127.0.0.1:[0-9]+: the peer closed without close_notify"
wait "$py" 2>/dev/null || true
# A client that half-closes with shutdown(2) instead of close_notify (as ncat does): one warning
# line, and the listener's data still arrives in full (the bare EOF must not turn into a fatal
# alert that ends the other direction).
head -c $((4 << 20)) /dev/urandom >"$T/big"
# The data comes once the client's EOF has been read (a second later).
(sleep 1; cat "$T/big") | "$IPCAT" -v -l 127.0.0.1 0 --ssl "${cert[@]}" >"$T/hc2.out" 2>"$T/hc2.err" &
hc2=$!
port=$(listen_port "$T/hc2.err")
timeout 10 python3 - "$T" "$port" <<'PY' || fail "the half-closing client: $(show "$T/hc2.err")"
import socket, ssl, sys, time
t, port = sys.argv[1], int(sys.argv[2])
ctx = ssl.create_default_context(cafile=t + "/ca.pem")
raw = socket.create_connection(("127.0.0.1", port))
s = ctx.wrap_socket(raw, server_hostname="localhost")
s.sendall(b"request\n")
dup = socket.fromfd(s.fileno(), socket.AF_INET, socket.SOCK_STREAM)
dup.shutdown(socket.SHUT_WR)  # FIN under TLS, no close_notify
dup.close()
got = bytearray()
while True:
    try:
        b = s.recv(1 << 16)
    except ssl.SSLError as e:
        sys.exit("TLS error after %d bytes: %s" % (len(got), e))
    if not b:
        break
    got += b
open(t + "/hc2.got", "wb").write(got)
PY
wait_exit "$hc2" 10
assert_same_file "$T/big" "$T/hc2.got"
assert_eq request "$(cat "$T/hc2.out")" "the half-closing client's request"
grep -q '^ipcat: warning: .*the peer closed without close_notify' "$T/hc2.err" ||
  fail "no truncation warning: $(show "$T/hc2.err")"
echo ok
