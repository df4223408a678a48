# Certificates for the TLS scenarios, made in $T with openssl (sourced after common.sh):
#   ca.pem/ca.key        a test CA
#   server.pem/.key      signed by it, for localhost, 127.0.0.1 and ::1
#   client.pem/.key      a client certificate signed by it
#   other-ca.pem/.key    an unrelated CA, and other-client.pem/.key signed by it
#   server-fp            SHA256:HEX of server.pem (what --ssl-pin takes)
# ECDSA P-256 keys: quick to make, and accepted at Debian's security level 2.
# Run by itself (ctest's e2e.tls_certs), it checks the certificates it makes.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  _tls_self_test=1
  source "$(cd "$(dirname "$0")" && pwd)/common.sh"
fi
need openssl

_tls_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# _tls_ca NAME: a self-signed CA in NAME.pem/NAME.key.
_tls_ca() {
  _tls_key "$T/$1.key"
  openssl req -x509 -new -key "$T/$1.key" -sha256 -days 2 -subj "/CN=ipcat test $1" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
    -out "$T/$1.pem" 2>/dev/null
}

# _tls_leaf NAME CA SUBJECT EXT: NAME.pem/NAME.key signed by CA with the extensions EXT.
_tls_leaf() {
  _tls_key "$T/$1.key"
  openssl req -new -key "$T/$1.key" -subj "$3" -out "$T/$1.csr" 2>/dev/null
  printf '%s\n' "$4" >"$T/$1.ext"
  openssl x509 -req -in "$T/$1.csr" -CA "$T/$2.pem" -CAkey "$T/$2.key" -CAcreateserial \
    -sha256 -days 2 -extfile "$T/$1.ext" -out "$T/$1.pem" 2>/dev/null
}

_tls_ca ca
_tls_ca other-ca
_tls_leaf server ca /CN=localhost \
  "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1
extendedKeyUsage=serverAuth"
_tls_leaf client ca /CN=ipcat-client "extendedKeyUsage=clientAuth"
_tls_leaf other-client other-ca /CN=stranger "extendedKeyUsage=clientAuth"
server_fp="SHA256:$(openssl x509 -in "$T/server.pem" -outform DER | sha256sum | cut -d' ' -f1)"
export server_fp

# tls_port FILE: the port of a listener whose -v stderr is FILE.
tls_port() { listen_port "$1"; }

if [[ -n ${_tls_self_test:-} ]]; then
  openssl verify -CAfile "$T/ca.pem" "$T/server.pem" "$T/client.pem" >/dev/null ||
    fail "the test CA does not verify its certificates"
  openssl verify -CAfile "$T/other-ca.pem" "$T/other-client.pem" >/dev/null ||
    fail "the other CA does not verify its client"
  if openssl verify -CAfile "$T/other-ca.pem" "$T/server.pem" >/dev/null 2>&1; then
    fail "the other CA verifies the server certificate"
  fi
  openssl x509 -in "$T/server.pem" -noout -ext subjectAltName | grep -q 'IP Address:0:0:0:0:0:0:0:1' ||
    fail "the server certificate has no ::1 SAN"
  [[ $server_fp =~ ^SHA256:[0-9a-f]{64}$ ]] || fail "server_fp: $server_fp"
  echo ok
fi
