#!/usr/bin/env bash
# The half-close path against socat: `printf 'hello\n' | ipcat -U PATH` to a socat server that
# runs `tr a-z A-Z` for its one client. ipcat's input ends at once; it half-closes, socat sees
# the end of the request, tr answers and ends, socat closes; ipcat prints HELLO and exits 0.
# The same over TCP, then a 4 MiB request (base64 text) checked by sha256. The mirror (ipcat
# serving tr with -c to a socat client) is exec_socat.sh.
source "$(dirname "$0")/common.sh"
need socat base64

# socat_upper NAME ADDRESS: start a one-client socat server on ADDRESS running tr; sets $srv.
socat_upper() {
  socat "${@:3}" "$2" EXEC:'tr a-z A-Z' 2>"$1.socat.err" &
  srv=$!
}

# 1. Unix, with socat's defaults.
socat_upper u1 UNIX-LISTEN:"$T/u1.sock"
peer_unix_ready "$srv" "$T/u1.sock"
rc=0
got=$(printf 'hello\n' | timeout 10 "$IPCAT" -U "$T/u1.sock" 2>u1.ipcat.err) || rc=$?
assert_eq 0 "$rc" "unix: ipcat's status"
assert_eq HELLO "$got" "unix: reply"
assert_empty u1.ipcat.err "unix: ipcat's stderr"
wait_exit "$srv" 10
assert_eq 0 "$status" "unix: socat's status"

# 2. TCP, with socat's defaults.
socat_upper t1 TCP-LISTEN:0,bind=127.0.0.1,reuseaddr
port=$(peer_tcp_port "$srv")
rc=0
got=$(printf 'hello\n' | timeout 10 "$IPCAT" 127.0.0.1 "$port" 2>t1.ipcat.err) || rc=$?
assert_eq 0 "$rc" "tcp: ipcat's status"
assert_eq HELLO "$got" "tcp: reply"
assert_empty t1.ipcat.err "tcp: ipcat's stderr"
wait_exit "$srv" 10
assert_eq 0 "$status" "tcp: socat's status"

# 3. A 4 MiB request from a pipe, the reply as big, over Unix and TCP. socat's -t 5 only
# bounds its wait for tr's last output after the request has ended.
make_input
base64 <in >req.txt
tr a-z A-Z <req.txt >want.txt
for mode in unix tcp; do
  if [[ $mode == unix ]]; then
    socat_upper b-$mode UNIX-LISTEN:"$T/b.sock" -t 5
    peer_unix_ready "$srv" "$T/b.sock"
    connect=(-U "$T/b.sock")
  else
    socat_upper b-$mode TCP-LISTEN:0,bind=127.0.0.1,reuseaddr -t 5
    connect=(127.0.0.1 "$(peer_tcp_port "$srv")")
  fi
  rc=0
  # shellcheck disable=SC2002 # the request comes from a pipe, as in `cmd | ipcat`.
  cat req.txt | timeout 30 "$IPCAT" "${connect[@]}" >b-$mode.out 2>b-$mode.ipcat.err || rc=$?
  assert_eq 0 "$rc" "$mode, 4 MiB: ipcat's status"
  assert_same_file want.txt b-$mode.out
  assert_empty b-$mode.ipcat.err "$mode, 4 MiB: ipcat's stderr"
  wait_exit "$srv" 10
  assert_eq 0 "$status" "$mode, 4 MiB: socat's status"
done
