#!/usr/bin/env bash
# A Unix datagram client on a path of its own, as nc.openbsd's `-Uu -s PATH` (and the address
# option unix-dgram:...,bind=PATH): the server sees that path as the sender and its reply comes
# back through it; the socket file exists while the client runs and is gone after it; the
# listener's file rules hold (a stale socket is replaced, anything else is never touched).
source "$(dirname "$0")/common.sh"
need socat python3

# serve NAME: a socat datagram server on $T/NAME.sock that answers with the sender's address
# and then echoes what it got.
serve() {
  timeout 20 socat UNIX-RECVFROM:"$T/$1.sock" SYSTEM:'echo "peer=$SOCAT_PEERADDR"; cat' \
    2>"$1.srv.err" &
  wait_socket "$T/$1.sock"
}

# 1. -Uu -s PATH: the reply names PATH; PATH is a socket while the client runs, gone after.
serve s1
open_input in1
"$IPCAT" -q 1 -Uu -s "$T/me1.sock" "$T/s1.sock" <in1 >c1.out 2>c1.err &
cli=$!
wait_socket "$T/me1.sock"
printf 'ping\n' | send_input in1
wait_for 5 grep -q '^ping$' c1.out
close_input in1
wait_exit "$cli" 5
assert_eq 0 "$status" "client's status"
assert_eq "peer=$T/me1.sock"$'\n'"ping" "$(cat c1.out)" "what the client received"
assert_empty c1.err "client's stderr"
[[ ! -e $T/me1.sock ]] || fail "the client left its socket $T/me1.sock behind"

# 2. The address form: unix-dgram:SERVER,bind=PATH; a stale socket at PATH is replaced.
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).bind(sys.argv[1])' \
  "$T/me2.sock"
[[ -S $T/me2.sock ]] || fail "could not make a stale socket"
serve s2
printf 'pong\n' | timeout 10 "$IPCAT" -q 3 "unix-dgram:$T/s2.sock,bind=$T/me2.sock" >c2.out 2>c2.err ||
  fail "address-form client: status $?; stderr: $(show c2.err)"
assert_eq "peer=$T/me2.sock"$'\n'"pong" "$(cat c2.out)" "what the address-form client received"
[[ ! -e $T/me2.sock ]] || fail "the client left its socket $T/me2.sock behind"

# 3. A regular file at PATH is never touched: one error line, status 1.
serve s3
printf 'keep me\n' >"$T/me3.sock"
expect_status 1 "$IPCAT" -Uu -s "$T/me3.sock" "$T/s3.sock" </dev/null >c3.out 2>c3.err
assert_error c3.err "bind unix:$T/me3.sock: a regular file is in the way"
assert_eq "keep me" "$(cat "$T/me3.sock")" "the file at the bind path"

# 4. Only a datagram client takes -s with -U; -p never applies to a Unix socket.
for args in "-U -s $T/me4.sock $T/s3.sock" "-lUu -s $T/me4.sock $T/l.sock" "-Uu -p 4000 $T/s3.sock"; do
  # shellcheck disable=SC2086 # the words of args
  expect_status 2 "$IPCAT" $args </dev/null >u.out 2>u.err
  assert_usage_error u.err
done
[[ ! -e $T/me4.sock && ! -e $T/l.sock ]] || fail "a usage error created a socket"
