# TLS on top of a proxy: tls:HOST:PORT,proxy=http://... makes the CONNECT through tinyproxy on
# the raw connection, then the TLS handshake with the listener behind it (verified against the
# test CA, the name checked), whatever order the options are written in; 2 MiB each way by hash (one way at a time).
# The netcat spelling does the same (--ssl with -X connect -x). A wrong CA behind the proxy is
# still one line naming the reason, status 1.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
source "$here/proxy_servers.sh"
source "$here/tls_certs.sh"

start_tinyproxy tiny
head -c 2M /dev/urandom >up.bin
head -c 2M /dev/urandom >down.bin
sum() { sha256sum <"$1" | cut -d' ' -f1; }

# serve NAME IN [FLAGS]: a TLS listener that sends IN and keeps what it receives in NAME.got.
serve() {
  "$IPCAT" -v "${@:3}" "tls-listen:127.0.0.1:0,cert=$T/server.pem,key=$T/server.key" \
    <"$2" >"$1.got" 2>"$1.lerr" &
  LPID=$!
  LPORT=$(tls_port "$1.lerr")
}

# check NAME CLIENT-ARGS...: up.bin to the listener, then down.bin from it, through the proxy.
# One way at a time: tinyproxy closes both sides as soon as one of them ends.
check() {
  local name=$1 st=0
  shift
  serve "$name.up" /dev/null --no-shutdown
  # The input ends a second after its last byte: tinyproxy, seeing a FIN, may close the other
  # side before passing on what it still holds.
  { cat up.bin && sleep 1; } | timeout 20 "$IPCAT" "${@//LPORT/$LPORT}" >"$name.up.out" \
    2>"$name.up.err" || st=$?
  wait_exit "$LPID" 10
  assert_eq 0 "$st" "$name: client status, up ($(cat "$name.up.err"))"
  assert_eq "$(sum up.bin)" "$(sum "$name.up.got")" "$name: what the listener got"
  serve "$name.down" down.bin
  timeout 20 "$IPCAT" --no-shutdown "${@//LPORT/$LPORT}" </dev/null >"$name.down.out" \
    2>"$name.down.err" || st=$?
  wait_exit "$LPID" 10
  assert_eq 0 "$st" "$name: client status, down ($(cat "$name.down.err"))"
  assert_eq "$(sum down.bin)" "$(sum "$name.down.out")" "$name: what the client got"
}

check addr "tls:localhost:LPORT,proxy=http://127.0.0.1:$TINY_PORT,cafile=$T/ca.pem" -
check addr-order "tls:localhost:LPORT,cafile=$T/ca.pem,proxy=http://127.0.0.1:$TINY_PORT" -
check tcp-tls "tcp:localhost:LPORT,tls,proxy=http://127.0.0.1:$TINY_PORT,cafile=$T/ca.pem" -
check netcat --ssl --ssl-trustfile "$T/ca.pem" -X connect -x "127.0.0.1:$TINY_PORT" localhost LPORT

# The wrong CA: the handshake through the proxy fails, one line with OpenSSL's reason.
serve wrong /dev/null
st=0
timeout 20 "$IPCAT" "tls:localhost:$LPORT,proxy=http://127.0.0.1:$TINY_PORT,cafile=$T/other-ca.pem" - \
  </dev/null >wrong.out 2>wrong.err || st=$?
assert_eq 1 "$st" "wrong CA: status ($(cat wrong.err))"
assert_eq 1 "$(wc -l <wrong.err)" "wrong CA: one line ($(cat wrong.err))"
grep -q 'certificate verify failed' wrong.err || fail "wrong CA: $(cat wrong.err)"
wait_exit "$LPID" 10
echo ok
