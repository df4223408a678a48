#!/usr/bin/env bash
# TLS bad inputs: a missing certificate, key or trust file, a key that does not match the
# certificate, a file that is not PEM, an unknown cipher list, a bad pin, TLS flags or options
# where they do not apply. Each is one line and status 2 (usage) or 1, before anything listens
# or connects; never a crash.
E2E=$(cd "$(dirname "$0")" && pwd)
source "$E2E/common.sh"
source "$E2E/tls_certs.sh"

# usage NAME ARGS...: ipcat ARGS fails with a usage error (status 2).
usage() {
  local name=$1
  shift
  expect_status 2 "$IPCAT" "$@" </dev/null >/dev/null 2>"$T/$name.err"
  assert_usage_error "$T/$name.err"
}

# runtime NAME ERE ARGS...: ipcat ARGS fails with status 1 and one line matching ERE, and never
# listens (no -v "Listening" line: the line is the only output).
runtime() {
  local name=$1 ere=$2
  shift 2
  expect_status 1 "$IPCAT" "$@" </dev/null >/dev/null 2>"$T/$name.err"
  assert_error "$T/$name.err" "$ere"
}

# A port nobody listens on: an error about TLS must come before the connection is tried.
closed_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

usage missing-cert --ssl --ssl-cert "$T/nonesuch.pem" -l 127.0.0.1 0
grep -q "nonesuch.pem': No such file or directory" "$T/missing-cert.err" || fail "$(show "$T/missing-cert.err")"
usage missing-key --ssl --ssl-cert "$T/server.pem" --ssl-key "$T/nonesuch.key" -l 127.0.0.1 0
usage missing-ca --ssl --ssl-trustfile "$T/nonesuch.pem" 127.0.0.1 "$closed_port"
usage dir-cert --ssl --ssl-cert "$T" -l 127.0.0.1 0
usage key-alone --ssl --ssl-key "$T/server.key" -l 127.0.0.1 0
usage addr-missing tls-listen:0,cert="$T/nonesuch.pem" -
usage bad-pin --ssl --ssl-pin SHA256:abcd 127.0.0.1 "$closed_port"
usage bad-pin-kind --ssl --ssl-pin MD5:00 127.0.0.1 "$closed_port"
usage bad-verify --ssl --ssl-verify=maybe 127.0.0.1 "$closed_port"
usage bad-verify-opt - "tls:127.0.0.1:$closed_port,verify=2"
usage bad-alpn --ssl --ssl-alpn 'h2,,x' 127.0.0.1 "$closed_port"
usage ssl-udp --ssl -u 127.0.0.1 "$closed_port"
usage flag-no-tls --ssl-cert "$T/server.pem" -l 127.0.0.1 0
usage opt-no-tls - "tcp:127.0.0.1:$closed_port,cafile=$T/ca.pem"
usage opt-udp - "udp:127.0.0.1:$closed_port,tls"
usage opt-fifo - "fifo:$T/f,tls"
usage tls-value - "tcp:127.0.0.1:$closed_port,tls=1"

runtime mismatch "^ipcat: TLS key '.*client.key': (does not match the certificate|key values mismatch)" \
  -v --ssl --ssl-cert "$T/server.pem" --ssl-key "$T/client.key" -l 127.0.0.1 0
printf 'not a certificate\n' >"$T/junk.pem"
runtime junk-cert "^ipcat: TLS certificate '.*junk.pem': no start line$" -v --ssl --ssl-cert "$T/junk.pem" -l 127.0.0.1 0
runtime junk-key "^ipcat: TLS key '.*junk.pem': " -v --ssl --ssl-cert "$T/server.pem" --ssl-key "$T/junk.pem" -l 127.0.0.1 0
runtime junk-ca "^ipcat: TLS trust file '.*junk.pem': " --ssl --ssl-trustfile "$T/junk.pem" 127.0.0.1 "$closed_port"
runtime ciphers "^ipcat: TLS ciphers 'NO-SUCH-CIPHER': " --ssl --ssl-ciphers NO-SUCH-CIPHER 127.0.0.1 "$closed_port"
runtime ciphers-listen "^ipcat: TLS ciphers 'NO-SUCH-CIPHER': " -v --ssl --ssl-ciphers NO-SUCH-CIPHER -l 127.0.0.1 0

# A TLS client talking to a plain TCP server that answers nonsense: one line, status 1.
printf 'SSH-2.0-nonsense\r\n' >"$T/banner"
"$IPCAT" -v -l 127.0.0.1 0 <"$T/banner" >/dev/null 2>"$T/plain-server.log" &
port=$(listen_port "$T/plain-server.log")
runtime plain "^ipcat: tls:127.0.0.1:$port: (wrong version number|packet length too long|record layer failure)" \
  --ssl --ssl-verify=no 127.0.0.1 "$port"
# Nothing listening: the connect error, as without TLS.
runtime refused "^ipcat: connect tcp:127.0.0.1:$closed_port: Connection refused" --ssl 127.0.0.1 "$closed_port"
echo ok
