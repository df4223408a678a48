#!/usr/bin/env bash
# Delivery behind a TLS bridge: `ipcat -k LISTEN,tls,cert=... BACKEND` with a backend that
# refuses. The bridge's handshake with each client succeeds, then its session fails: the
# client's bytes (100 KB, small enough to sit in the socket buffers) are not delivered, and the
# client must say so, status 1 and a "not delivered" line, over TCP and over a Unix socket
# alike, as a plain bridge's client does. (The bridge takes only the handshake's records
# before its session starts, so the data the client sent after them is still unread when the
# bridge closes: a TCP reset, ECONNRESET on a Unix socket.) The bridge logs one line a client
# and goes on serving. Then the same bridges in front of a backend that reads: status 0 and the
# bytes delivered.
E2E=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/common.sh
source "$E2E/common.sh"
# shellcheck source=tests/e2e/tls_certs.sh
source "$E2E/tls_certs.sh"
need python3

head -c 100000 /dev/urandom >in
closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
tls=tls,cert=$T/server.pem,key=$T/server.key
trust=tls,cafile=$T/ca.pem,servername=localhost

# start_bridges BACKEND: a TCP and a Unix -k TLS bridge to BACKEND; sets tb, ub (pids), tport.
start_bridges() {
  # Last round's logs go first: their "Listening on" line would be taken for this one's.
  rm -f "$T/b.sock" "$T/tb.err" "$T/ub.err"
  "$IPCAT" -v -k "tcp-listen:127.0.0.1:0,$tls" "$1" </dev/null >/dev/null 2>"$T/tb.err" &
  tb=$!
  tport=$(listen_port "$T/tb.err")
  "$IPCAT" -k "unix-listen:$T/b.sock,$tls" "$1" </dev/null >/dev/null 2>"$T/ub.err" &
  ub=$!
  wait_socket "$T/b.sock"
}

start_bridges "tcp:127.0.0.1:$closed"
for round in 1 2; do
  for kind in tcp unix; do
    if [[ $kind == tcp ]]; then to=tcp:localhost:$tport; else to=unix:$T/b.sock; fi
    rc=0
    timeout 10 "$IPCAT" - "$to,$trust" <in >/dev/null 2>"$T/c.err" || rc=$?
    echo "$kind, round $round: status $rc, stderr $(show "$T/c.err")"
    assert_eq 1 "$rc" "$kind client $round behind a bridge whose backend refuses: status"
    grep -q '^ipcat: .*not delivered$' "$T/c.err" ||
      fail "$kind client $round: no 'not delivered' line: $(show "$T/c.err")"
  done
done
wait_for 5 test "$(grep -c 'Connection refused' "$T/tb.err")" -ge 2 ||
  fail "the TCP bridge did not log each refusal: $(show "$T/tb.err")"
wait_for 5 test "$(grep -c 'Connection refused' "$T/ub.err")" -ge 2 ||
  fail "the Unix bridge did not log each refusal: $(show "$T/ub.err")"
still_running "$tb"
still_running "$ub"
kill "$tb" "$ub"
wait "$tb" "$ub" 2>/dev/null || true

# A backend that reads everything: status 0, every byte there.
for kind in tcp unix; do
  rm -f "$T/be.err"
  "$IPCAT" -v -l 127.0.0.1 0 >"$T/got-$kind" 2>"$T/be.err" </dev/null &
  be=$!
  start_bridges "tcp:127.0.0.1:$(listen_port "$T/be.err")"
  if [[ $kind == tcp ]]; then to=tcp:localhost:$tport; else to=unix:$T/b.sock; fi
  timeout 10 "$IPCAT" - "$to,$trust" <in >/dev/null 2>"$T/c.err" ||
    fail "$kind client behind a bridge whose backend reads: status $?: $(show "$T/c.err")"
  wait_exit "$be" 10
  assert_eq 0 "$status" "the backend's status ($kind)"
  assert_same_file in "$T/got-$kind"
  kill "$tb" "$ub"
  wait "$tb" "$ub" 2>/dev/null || true
done
echo ok
