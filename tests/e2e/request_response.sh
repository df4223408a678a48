#!/usr/bin/env bash
# `printf req | ipcat host port`: the client's input ends at once, and it still gets the whole
# reply and exits 0. Servers: socat running `tr a-z A-Z` (Unix and TCP), and an ipcat listener
# whose stdin is a file.
source "$(dirname "$0")/common.sh"
need socat

# socat upper-casing server on a Unix socket, one child per connection.
socat -d -d -t 5 UNIX-LISTEN:"$T/up.sock",fork EXEC:'tr a-z A-Z' 2>socat-unix.log &
wait_for 10 grep -q 'listening on' socat-unix.log

got=$(printf 'hello world\n' | timeout 10 "$IPCAT" -U "$T/up.sock" 2>r1.err) || fail "client exited with status $?"
assert_eq "HELLO WORLD" "$got" "reply"
assert_empty r1.err "client's stderr"

# -N is accepted for nc scripts (half-closing is the default anyway).
got=$(printf 'dash n\n' | timeout 10 "$IPCAT" -N -U "$T/up.sock" 2>rN.err) || fail "client with -N exited with status $?"
assert_eq "DASH N" "$got" "reply with -N"

# A reply of 1.3 MiB to a request of 1.3 MiB, the request from a pipe.
head -c 1M /dev/urandom | base64 >req.txt
tr '[:lower:]' '[:upper:]' <req.txt >want.txt
# shellcheck disable=SC2002 # the request comes from a pipe
cat req.txt | timeout 20 "$IPCAT" -U "$T/up.sock" >r2.out 2>r2.err || fail "client exited with status $?"
assert_same_file want.txt r2.out
assert_empty r2.err "client's stderr"

# The same over TCP.
socat -d -d -t 5 TCP-LISTEN:0,bind=127.0.0.1,reuseaddr,fork EXEC:'tr a-z A-Z' 2>socat-tcp.log &
wait_for 10 grep -q 'listening on' socat-tcp.log
port=$(grep -m1 'listening on' socat-tcp.log | grep -oE '[0-9]+$')
got=$(printf 'hello tcp\n' | timeout 10 "$IPCAT" 127.0.0.1 "$port" 2>r3.err) || fail "client exited with status $?"
assert_eq "HELLO TCP" "$got" "reply over TCP"
assert_empty r3.err "client's stderr"
# shellcheck disable=SC2002 # the request comes from a pipe
cat req.txt | timeout 20 "$IPCAT" 127.0.0.1 "$port" >r4.out 2>r4.err || fail "client exited with status $?"
assert_same_file want.txt r4.out

# An ipcat listener whose stdin is a file serves the reply.
head -c 256K /dev/urandom >reply.bin
"$IPCAT" -v -l 127.0.0.1 0 <reply.bin >srv.out 2>srv.err &
srv=$!
port=$(listen_port srv.err)
printf 'GET / HTTP/1.0\r\n\r\n' | timeout 10 "$IPCAT" 127.0.0.1 "$port" >r5.out 2>r5.err || fail "client exited with status $?"
assert_same_file reply.bin r5.out
assert_empty r5.err "client's stderr"
wait_exit "$srv" 5
assert_eq 0 "$status" "listener's status"
assert_eq "$(printf 'GET / HTTP/1.0\r\n\r\n' | od -c)" "$(od -c <srv.out)" "request seen by the listener"
