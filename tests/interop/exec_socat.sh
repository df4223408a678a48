#!/usr/bin/env bash
# The mirror of request_response_socat.sh: ipcat listens and serves `tr a-z A-Z` (-c, the child
# as the local side) to a socat client, over Unix and TCP: `hello` comes back as HELLO, and a
# 4 MiB request (base64 text) comes back upper-cased, checked by sha256; both exit 0 on their
# own. Skipped while ipcat says the exec endpoint is not supported yet.
source "$(dirname "$0")/common.sh"
need socat base64

out=$(timeout 5 "$IPCAT" -c true - 2>&1 </dev/null) || true
if [[ $out == *"not supported yet"* ]]; then
  echo "SKIP: ipcat: $out" >&2
  exit 77
fi

make_input
base64 <in >req.txt
tr a-z A-Z <req.txt >want.txt
printf 'hello\n' >hello.txt
printf 'HELLO\n' >hello.want

# serve_upper MODE NAME: ipcat serves tr for one client; sets $srv and $to (socat's address).
serve_upper() {
  if [[ $1 == unix ]]; then
    "$IPCAT" -v -lU "$T/$2.sock" -c 'tr a-z A-Z' </dev/null >"$2.ipcat.out" 2>"$2.ipcat.err" &
    srv=$!
    wait_listening "$2.ipcat.err"
    to=UNIX-CONNECT:$T/$2.sock
  else
    "$IPCAT" -v -l 127.0.0.1 0 -c 'tr a-z A-Z' </dev/null >"$2.ipcat.out" 2>"$2.ipcat.err" &
    srv=$!
    to=TCP:127.0.0.1:$(listen_port "$2.ipcat.err")
  fi
}

for mode in unix tcp; do
  for req in hello req; do
    name=$mode-$req
    want=$req.want
    [[ $req == req ]] && want=want.txt
    serve_upper "$mode" "$name"
    # socat's -t 5 only bounds its wait for the reply after its input has ended.
    rc=0
    timeout 30 socat -t 5 - "$to" <"$req.txt" >"$name.socat.out" 2>"$name.socat.err" || rc=$?
    assert_eq 0 "$rc" "$name: socat's status"
    assert_same_file "$want" "$name.socat.out"
    wait_exit "$srv" 10
    assert_eq 0 "$status" "$name: ipcat's status"
    assert_empty "$name.ipcat.out" "$name: ipcat's stdout"
  done
done
