#!/usr/bin/env bash
# `ipcat unix-listen:s tcp:127.0.0.1:PORT` bridges a Unix client to a TCP listener: the
# client's data arrives at the TCP side, the reply comes back, everyone exits 0.
source "$(dirname "$0")/common.sh"

head -c 300K /dev/urandom | base64 >reply
head -c 200K /dev/urandom | base64 >request
"$IPCAT" -lv 127.0.0.1 0 <reply >tcp.out 2>tcp.err &
tcp=$!
port=$(listen_port tcp.err)

"$IPCAT" -v unix-listen:"$T/s" tcp:127.0.0.1:"$port" >br.out 2>br.err &
br=$!
wait_listening br.err
assert_eq "Listening on unix:$T/s" "$(head -n 1 br.err)" "bridge's first -v line"

timeout 10 "$IPCAT" -U "$T/s" <request >cli.out 2>cli.err || fail "client exited with status $?"
assert_same_file reply cli.out
assert_empty cli.err "client's stderr"
wait_exit "$tcp" 5
assert_eq 0 "$status" "TCP listener's status"
assert_same_file request tcp.out
wait_exit "$br" 5
assert_eq 0 "$status" "bridge's status"
assert_empty br.out "bridge's stdout"
grep -qE "^Connected to tcp:127\.0\.0\.1:$port\$" br.err || fail "no 'Connected to tcp:127.0.0.1:$port' line: $(show br.err)"
[[ ! -e $T/s ]] || fail "the bridge left its socket file"

# The other way round: tcp-listen to a Unix listener, and a short request/response.
"$IPCAT" -v -lU "$T/u" -c 'tr a-z A-Z' 2>u.err &
u=$!
wait_listening u.err
"$IPCAT" -v tcp-listen:127.0.0.1:0 unix:"$T/u" 2>br2.err &
br2=$!
port2=$(listen_port br2.err)
got=$(printf 'across\n' | timeout 10 "$IPCAT" 127.0.0.1 "$port2" 2>cli2.err) || fail "TCP client exited with status $?"
assert_eq ACROSS "$got" "reply through tcp-listen -> unix -> tr"
wait_exit "$br2" 5
assert_eq 0 "$status" "second bridge's status"
wait_exit "$u" 5
assert_eq 0 "$status" "Unix listener's status"
