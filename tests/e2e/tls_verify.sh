#!/usr/bin/env bash
# TLS verification, client and listener: the right CA, a wrong CA, a name mismatch, IP SANs
# (127.0.0.1 and ::1), pins right and wrong, a required client certificate present, missing
# and from the wrong CA. Each failure is one line with OpenSSL's reason and status 1.
E2E=$(cd "$(dirname "$0")" && pwd)
source "$E2E/common.sh"
source "$E2E/tls_certs.sh"

# serve NAME ARGS...: a one-client TLS listener that sends "reply" and saves what it gets.
serve() {
  local name=$1
  shift
  printf 'reply\n' >"$T/$name.in"
  : >"$T/$name.err" # emptied here, not in the background: an old line must not be read
  "$IPCAT" -v "$@" <"$T/$name.in" >"$T/$name.out" 2>"$T/$name.err" &
  srv=$!
  port=$(listen_port "$T/$name.err")
}

# client NAME ARGS...: sends "hello"; sets rc.
client() {
  local name=$1
  shift
  rc=0
  printf 'hello\n' | timeout 10 "$IPCAT" "$@" >"$T/$name.out" 2>"$T/$name.err" || rc=$?
}

good_server=(--ssl --ssl-cert "$T/server.pem" --ssl-key "$T/server.key")

# The right CA, by name, by IPv4 and by IPv6 literal (IP SANs).
for host in localhost 127.0.0.1 ::1; do
  bind=127.0.0.1
  [[ $host == ::1 ]] && bind=::1
  serve ok "${good_server[@]}" -l "$bind" 0
  client ok-c --ssl --ssl-trustfile "$T/ca.pem" "$host" "$port"
  assert_eq 0 "$rc" "client status with the right CA ($host)"
  assert_eq reply "$(cat "$T/ok-c.out")" "reply ($host)"
  wait_exit "$srv" 10
  assert_eq 0 "$status" "listener status ($host)"
  assert_eq hello "$(cat "$T/ok.out")" "request ($host)"
done

# Address form, with the options on the address.
serve addr tls-listen:127.0.0.1:0,cert="$T/server.pem",key="$T/server.key"
client addr-c - "tls:localhost:$port,cafile=$T/ca.pem"
assert_eq 0 "$rc" "tls: address with cafile="
assert_eq reply "$(cat "$T/addr-c.out")" "reply over tls:"
wait_exit "$srv" 10

# A CA that did not sign the server's certificate.
serve wrongca "${good_server[@]}" -l 127.0.0.1 0
client wrongca-c --ssl --ssl-trustfile "$T/other-ca.pem" localhost "$port"
assert_eq 1 "$rc" "client status with the wrong CA"
assert_error "$T/wrongca-c.err" "^ipcat: tls:localhost:$port: certificate verify failed: unable to get local issuer certificate$"
[[ ! -s $T/wrongca-c.out ]] || fail "data arrived over an unverified connection"
wait_exit "$srv" 10
assert_eq 1 "$status" "listener status after the client refused it"

# The system store does not know the test CA either (verification is on by default).
serve nostore "${good_server[@]}" -l 127.0.0.1 0
client nostore-c --ssl localhost "$port"
assert_eq 1 "$rc" "client status without a trust file"
assert_error "$T/nostore-c.err" "certificate verify failed"
wait_exit "$srv" 10

# ... and --ssl-verify=no turns verification off explicitly.
serve noverify "${good_server[@]}" -l 127.0.0.1 0
client noverify-c --ssl --ssl-verify=no localhost "$port"
assert_eq 0 "$rc" "client status with --ssl-verify=no"
assert_eq reply "$(cat "$T/noverify-c.out")" "reply without verification"
wait_exit "$srv" 10

# The certificate is for localhost, not for the name asked for.
serve name "${good_server[@]}" -l 127.0.0.1 0
client name-c --ssl --ssl-trustfile "$T/ca.pem" --ssl-servername wrong.example 127.0.0.1 "$port"
assert_eq 1 "$rc" "client status on a name mismatch"
assert_error "$T/name-c.err" "certificate verify failed: hostname mismatch$"
wait_exit "$srv" 10

# Pins: the right one accepts the certificate without any CA, a wrong one refuses it.
serve pin "${good_server[@]}" -l 127.0.0.1 0
client pin-c --ssl --ssl-pin "$server_fp" localhost "$port"
assert_eq 0 "$rc" "client status with the right pin"
assert_eq reply "$(cat "$T/pin-c.out")" "reply with a pin"
wait_exit "$srv" 10
wrong_pin="SHA256:$(printf '%064d' 0)"
serve pinbad "${good_server[@]}" -l 127.0.0.1 0
client pinbad-c --ssl --ssl-pin "$wrong_pin" localhost "$port"
assert_eq 1 "$rc" "client status with a wrong pin"
assert_error "$T/pinbad-c.err" "^ipcat: tls:localhost:$port: certificate pin mismatch: the peer's is $server_fp$"
wait_exit "$srv" 10

# The base64 form of the same pin.
b64=$(openssl x509 -in "$T/server.pem" -outform DER | openssl dgst -sha256 -binary | base64 | tr -d '=')
serve pin64 "${good_server[@]}" -l 127.0.0.1 0
client pin64-c --ssl --ssl-pin "SHA256:$b64" localhost "$port"
assert_eq 0 "$rc" "client status with the base64 pin"
wait_exit "$srv" 10

# A listener that requires a client certificate: present, missing, from the wrong CA.
need_client=(--ssl-verify --ssl-trustfile "$T/ca.pem")
serve mtls "${good_server[@]}" "${need_client[@]}" -l 127.0.0.1 0
client mtls-c --ssl --ssl-trustfile "$T/ca.pem" --ssl-cert "$T/client.pem" --ssl-key "$T/client.key" localhost "$port"
assert_eq 0 "$rc" "client status with its certificate"
assert_eq reply "$(cat "$T/mtls-c.out")" "reply with a client certificate"
wait_exit "$srv" 10
assert_eq 0 "$status" "listener status with a client certificate"
grep -q 'TLS peer .*subject /CN=ipcat-client' "$T/mtls.err" || fail "listener -v did not show the client: $(show "$T/mtls.err")"

serve nocert "${good_server[@]}" "${need_client[@]}" -l 127.0.0.1 0
client nocert-c --ssl --ssl-trustfile "$T/ca.pem" localhost "$port"
wait_exit "$srv" 10
assert_eq 1 "$status" "listener status when the client has no certificate"
grep -q '^ipcat: tls handshake from tcp:127.0.0.1:[0-9]*: peer did not return a certificate$' "$T/nocert.err" ||
  fail "listener: $(show "$T/nocert.err")"
[[ ! -s $T/nocert.out ]] || fail "the listener took data from a client without a certificate"

serve stranger "${good_server[@]}" "${need_client[@]}" -l 127.0.0.1 0
client stranger-c --ssl --ssl-trustfile "$T/ca.pem" --ssl-cert "$T/other-client.pem" --ssl-key "$T/other-client.key" localhost "$port"
wait_exit "$srv" 10
assert_eq 1 "$status" "listener status with a client from the wrong CA"
grep -q '^ipcat: tls handshake from .*: certificate verify failed: unable to get local issuer certificate$' "$T/stranger.err" ||
  fail "listener: $(show "$T/stranger.err")"
# (TLS 1.3: the client's handshake is over before the listener judges its certificate, so the
# client learns of the refusal from the alert, or from the reset that may overtake it.)
[[ ! -s $T/stranger-c.out ]] || fail "the client of the wrong CA got data: $(show "$T/stranger-c.out")"
assert_eq 1 "$rc" "status of the client of the wrong CA"
grep -qE '^ipcat: read tcp:127.0.0.1:[0-9]+: (tlsv1 alert unknown ca|Connection reset by peer)' "$T/stranger-c.err" ||
  fail "the client of the wrong CA: $(show "$T/stranger-c.err")"

# A listener pin accepts exactly one client certificate.
client_fp="SHA256:$(openssl x509 -in "$T/client.pem" -outform DER | sha256sum | cut -d' ' -f1)"
serve lpin "${good_server[@]}" --ssl-pin "$client_fp" -l 127.0.0.1 0
client lpin-c --ssl --ssl-trustfile "$T/ca.pem" --ssl-cert "$T/other-client.pem" --ssl-key "$T/other-client.key" localhost "$port"
wait_exit "$srv" 10
assert_eq 1 "$status" "listener with a pin, another client"
grep -q 'certificate pin mismatch' "$T/lpin.err" || fail "listener pin: $(show "$T/lpin.err")"
echo ok
