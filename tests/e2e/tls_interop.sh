#!/usr/bin/env bash
# TLS against real peers, 16 MiB each way, checked by hash: openssl s_server and s_client,
# ncat --ssl, socat OPENSSL: and OPENSSL-LISTEN:, and curl fetching over HTTPS from an ipcat
# TLS listener that serves a fixed response.
E2E=$(cd "$(dirname "$0")" && pwd)
source "$E2E/common.sh"
source "$E2E/tls_certs.sh"
need openssl ncat socat curl python3

head -c $((16 << 20)) /dev/urandom >"$T/up"
head -c $((16 << 20)) /dev/urandom >"$T/down"
cert=(--ssl-cert "$T/server.pem" --ssl-key "$T/server.key")
trust=(--ssl-trustfile "$T/ca.pem")

# free_port: a TCP port nothing listens on now (for peers that cannot report port 0).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
# listening PORT: something accepts on 127.0.0.1:PORT.
listening() { ss -Hltn "sport = :$1" | grep -q LISTEN; }

# ipcat listener PEER-CLIENT: the peer sends up and receives down.
ipcat_listener() {
  local name=$1
  shift
  "$IPCAT" -v -l 127.0.0.1 0 --ssl "${cert[@]}" <"$T/down" >"$T/$name.got-up" 2>"$T/$name.err" &
  srv=$!
  port=$(listen_port "$T/$name.err")
}

# --- ipcat -> openssl s_client (down): s_client keeps its input open and ends at close_notify.
ipcat_listener sclient
mkfifo "$T/hold"
exec 8<>"$T/hold"
timeout 20 openssl s_client -quiet -connect "127.0.0.1:$port" -CAfile "$T/ca.pem" \
  -verify_return_error <"$T/hold" >"$T/sclient.got-down" 2>"$T/sclient.log"
wait_exit "$srv" 20
assert_eq 0 "$status" "ipcat listener with s_client"
assert_same_file "$T/down" "$T/sclient.got-down"
# ... and s_client -> ipcat (up). s_client drops what it has not sent yet when its input ends,
# so it keeps the connection (-quiet implies -ign_eof) until everything has arrived.
"$IPCAT" -v -l 127.0.0.1 0 --ssl "${cert[@]}" <"$T/hold" >"$T/sclient.got-up" 2>"$T/sclient2.err" &
srv=$!
port=$(listen_port "$T/sclient2.err")
timeout 20 openssl s_client -quiet -connect "127.0.0.1:$port" -CAfile "$T/ca.pem" \
  <"$T/up" >/dev/null 2>"$T/sclient2.log" &
sc=$!
wait_for 15 size_at_least "$T/sclient.got-up" $((16 << 20))
kill "$sc" 2>/dev/null || true
assert_same_file "$T/up" "$T/sclient.got-up"

# --- ipcat -> openssl s_server (up): s_server keeps its input open while it receives.
port=$(free_port)
timeout 20 openssl s_server -accept "$port" -cert "$T/server.pem" -key "$T/server.key" -quiet \
  -naccept 1 <"$T/hold" >"$T/sserver.got-up" 2>"$T/sserver.log" &
wait_for 10 listening "$port"
timeout 20 "$IPCAT" --ssl "${trust[@]}" localhost "$port" <"$T/up" >/dev/null 2>"$T/sserver-c.err"
wait_for 10 size_at_least "$T/sserver.got-up" $((16 << 20))
assert_same_file "$T/up" "$T/sserver.got-up"
# ... and s_server -WWW -> ipcat (down): an HTTPS request whose input ends (close_notify)
# before the response comes back, the `printf 'GET ...' | ipcat --ssl host 443` shape.
port=$(free_port)
(cd "$T" && timeout 20 openssl s_server -WWW -accept "$port" -cert "$T/server.pem" \
  -key "$T/server.key" -naccept 1 >/dev/null 2>"$T/sserver2.log") &
wait_for 10 listening "$port"
printf 'GET /down HTTP/1.0\r\n\r\n' |
  timeout 20 "$IPCAT" --ssl "${trust[@]}" localhost "$port" >"$T/www.got" 2>"$T/sserver2-c.err"
head -c 100 "$T/www.got" | grep -q '^HTTP/1.0 200 ok' || fail "s_server -WWW: $(head -c 100 "$T/www.got" | od -c | head -3)"
sed -n '/^\r$/,$p' "$T/www.got" | tail -c +3 >"$T/sserver.got-down"
assert_same_file "$T/down" "$T/sserver.got-down"

# --- ncat --ssl as the client and as the server
ipcat_listener ncat
timeout 20 ncat --ssl --ssl-verify --ssl-trustfile "$T/ca.pem" localhost "$port" \
  <"$T/up" >"$T/ncat.got-down" 2>"$T/ncat.log"
wait_exit "$srv" 20
assert_same_file "$T/up" "$T/ncat.got-up"
assert_same_file "$T/down" "$T/ncat.got-down"
# ncat -l ends as soon as it reads close_notify, dropping what it had still to send: one
# direction a run.
port=$(free_port)
timeout 20 ncat --ssl "${cert[@]}" -l 127.0.0.1 "$port" <"$T/hold" >"$T/ncat-l.got-up" 2>"$T/ncat-l.log" &
nl=$!
wait_for 10 listening "$port"
timeout 20 "$IPCAT" --ssl "${trust[@]}" localhost "$port" <"$T/up" >/dev/null 2>"$T/ncat-l-c.err"
wait_exit "$nl" 20
assert_same_file "$T/up" "$T/ncat-l.got-up"
port=$(free_port)
timeout 20 ncat --ssl "${cert[@]}" -l 127.0.0.1 "$port" <"$T/down" >/dev/null 2>"$T/ncat-l2.log" &
nl=$!
wait_for 10 listening "$port"
timeout 20 "$IPCAT" -d --ssl "${trust[@]}" localhost "$port" >"$T/ncat-l.got-down" 2>"$T/ncat-l2-c.err"
wait_exit "$nl" 20
assert_same_file "$T/down" "$T/ncat-l.got-down"

# --- socat OPENSSL: as the client and OPENSSL-LISTEN: as the server
ipcat_listener socat
timeout 20 socat - "OPENSSL:localhost:$port,cafile=$T/ca.pem" <"$T/up" >"$T/socat.got-down" 2>"$T/socat.log"
wait_exit "$srv" 20
assert_same_file "$T/up" "$T/socat.got-up"
assert_same_file "$T/down" "$T/socat.got-down"
port=$(free_port)
timeout 20 socat "OPENSSL-LISTEN:$port,bind=127.0.0.1,reuseaddr,cert=$T/server.pem,key=$T/server.key,verify=0" \
  - <"$T/down" >"$T/socat-l.got-up" 2>"$T/socat-l.log" &
sl=$!
wait_for 10 listening "$port"
timeout 20 "$IPCAT" --ssl "${trust[@]}" localhost "$port" <"$T/up" >"$T/socat-l.got-down" 2>"$T/socat-l-c.err"
wait_exit "$sl" 20
assert_same_file "$T/up" "$T/socat-l.got-up"
assert_same_file "$T/down" "$T/socat-l.got-down"

# --- curl over HTTPS from an ipcat listener serving a fixed response (a child reads the
# request's head and answers; -k serves two fetches).
{
  printf 'HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n' $((16 << 20))
  cat "$T/down"
} >"$T/response"
"$IPCAT" -v -k -l 127.0.0.1 0 --ssl "${cert[@]}" --ssl-alpn http/1.1 \
  -c "sed -u '/^\r\$/q' >/dev/null; cat '$T/response'" 2>"$T/https.err" &
h=$!
port=$(listen_port "$T/https.err")
for i in 1 2; do
  timeout 20 curl -sS --fail --cacert "$T/ca.pem" -o "$T/curl$i.got" "https://localhost:$port/" 2>"$T/curl$i.log" ||
    fail "curl $i: $(show "$T/curl$i.log")"
  assert_same_file "$T/down" "$T/curl$i.got"
done
grep -q 'ALPN http/1.1' "$T/https.err" || fail "no ALPN in the listener's -v: $(show "$T/https.err")"
kill "$h"
exec 8>&-
echo ok
