#!/usr/bin/env bash
# --no-shutdown: the end of the client's input does not half-close the socket, so a server that
# reads until EOF (socat -u) keeps waiting; by default it gets EOF at once.
source "$(dirname "$0")/common.sh"
need socat

# server NAME: socat reading the socket $T/NAME.sock into NAME.got until EOF; sets $srv.
server() {
  socat -d -d -u UNIX-LISTEN:"$T/$1.sock" CREATE:"$T/$1.got" 2>"$1.socat.log" &
  srv=$!
  wait_for 10 grep -q 'listening on' "$1.socat.log"
}

# Default: half-close, the server sees EOF and ends; then the client ends.
server default
echo hi | "$IPCAT" -U "$T/default.sock" >default.out 2>default.err &
cli=$!
wait_exit "$srv" 3
assert_eq hi "$(cat default.got)" "server received"
wait_exit "$cli" 3
assert_eq 0 "$status" "client's status"

# --no-shutdown: no EOF for the server.
server noshut
echo hi | "$IPCAT" --no-shutdown -U "$T/noshut.sock" >noshut.out 2>noshut.err &
cli=$!
wait_for 5 grep -qx hi noshut.got
sleep 1
still_running "$srv"
still_running "$cli"
kill -TERM "$cli"
wait_exit "$srv" 3
wait_exit "$cli" 3

# --no-shutdown -q 1: the client quits after 1 s, closing the socket; the server ends then.
server noshutq
start=$(now_ms)
echo hi | "$IPCAT" --no-shutdown -q 1 -U "$T/noshutq.sock" >noshutq.out 2>noshutq.err &
cli=$!
wait_exit "$cli" 5
took=$(($(now_ms) - start))
assert_eq 0 "$status" "client's status with --no-shutdown -q 1"
((took >= 900)) || fail "--no-shutdown -q 1: the client ended after $took ms"
wait_exit "$srv" 3
assert_eq hi "$(cat noshutq.got)" "server received"
