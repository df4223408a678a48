#!/usr/bin/env bash
# A TLS handshake is bounded by -w (60 s without it), on both sides:
# - a TLS client of a plain server that waits for the client to talk first: one line, "the TLS
#   handshake did not finish within 1s (-w)", status 1, about 1 s after it connected;
# - a TLS listener (-l) whose client connects and sends nothing: the same line naming the
#   client, status 1;
# - a -k TLS listener drops such a client (one line, its connection closed) and serves a TLS
#   client that came in meanwhile and one after.
E2E=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/common.sh
source "$E2E/common.sh"
# shellcheck source=tests/e2e/tls_certs.sh
source "$E2E/tls_certs.sh"
need python3

cert=(--ssl-cert "$T/server.pem" --ssl-key "$T/server.key")
trust=(--ssl-trustfile "$T/ca.pem")

# silent_client PORT OUT: connects to PORT, sends nothing, and writes to OUT the seconds until
# the other side closed (or "none" after 10 s).
silent_client() {
  python3 - "$1" >"$2" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(10)
t = time.monotonic()
try:
    while s.recv(4096):
        pass
    print("%.2f" % (time.monotonic() - t))
except (socket.timeout, ConnectionResetError) as e:
    print("none" if isinstance(e, socket.timeout) else "%.2f" % (time.monotonic() - t))
PY
}

# The client side: a plain listener that never writes.
sleep 20 | "$IPCAT" -v -l 127.0.0.1 0 >/dev/null 2>"$T/plain.err" &
port=$(listen_port "$T/plain.err")
start=$(now_ms)
rc=0
timeout 10 "$IPCAT" --ssl "${trust[@]}" -w 1 localhost "$port" </dev/null >/dev/null 2>"$T/c.err" || rc=$?
took=$(($(now_ms) - start))
echo "client: status $rc after $took ms: $(show "$T/c.err")"
assert_eq 1 "$rc" "a TLS client of a silent plain server: status"
assert_eq 1 "$(line_count "$T/c.err")" "the client's stderr lines"
grep -q "^ipcat: tls:localhost:$port: the TLS handshake did not finish within 1s (-w)$" "$T/c.err" ||
  fail "the client's line: $(show "$T/c.err")"
((took >= 900 && took < 5000)) || fail "the client gave up after $took ms, expected about 1 s"

# A single TLS listener and a client that sends nothing.
"$IPCAT" -v -l 127.0.0.1 0 --ssl "${cert[@]}" -w 1 </dev/null >/dev/null 2>"$T/l.err" &
lis=$!
port=$(listen_port "$T/l.err")
silent_client "$port" "$T/silent1"
wait_exit "$lis" 10
assert_eq 1 "$status" "a TLS listener whose client sends nothing: status"
grep -qE "^ipcat: tls handshake from tcp:127\.0\.0\.1:[0-9]+: the TLS handshake did not finish within 1s \(-w\)$" "$T/l.err" ||
  fail "the listener's line: $(show "$T/l.err")"
echo "the silent client saw its connection closed after $(cat "$T/silent1") s"
[[ $(cat "$T/silent1") != none ]] || fail "the listener did not close the silent client's connection"

# A -k listener: a silent client is dropped; TLS clients during and after are served.
"$IPCAT" -v -k -l 127.0.0.1 0 --ssl "${cert[@]}" -w 1 -c 'echo hi' </dev/null >/dev/null 2>"$T/k.err" &
klis=$!
port=$(listen_port "$T/k.err")
silent_client "$port" "$T/silent2" &
silent=$!
got=$(timeout 10 "$IPCAT" --ssl "${trust[@]}" localhost "$port" </dev/null 2>"$T/k1.err") ||
  fail "the TLS client beside the silent one: $(show "$T/k1.err")"
assert_eq hi "$got" "the TLS client beside the silent one"
wait "$silent"
[[ $(cat "$T/silent2") != none ]] || fail "the -k listener did not drop the silent client"
got=$(timeout 10 "$IPCAT" --ssl "${trust[@]}" localhost "$port" </dev/null 2>"$T/k2.err") ||
  fail "the TLS client after the silent one: $(show "$T/k2.err")"
assert_eq hi "$got" "the TLS client after the silent one"
still_running "$klis"
assert_eq 1 "$(grep -c 'the TLS handshake did not finish within 1s (-w)$' "$T/k.err")" \
  "the -k listener's lines for the silent client"
kill "$klis"
echo ok
