#!/usr/bin/env bash
# -C: every LF sent (left to right) becomes CRLF, as nc -C does (a CR already there is kept,
# so "\r\n" goes out as "\r\r\n"); what comes back is not changed.
source "$(dirname "$0")/common.sh"

printf 'x\ny\n' >back.txt
"$IPCAT" -v -lU "$T/c.sock" <back.txt >got.txt 2>l.err &
lst=$!
wait_listening l.err
printf 'a\nb\n' | timeout 10 "$IPCAT" -C -U "$T/c.sock" >reply.txt || fail "client: status $?"
wait_exit "$lst" 10
assert_eq "$(printf 'a\r\nb\r\n' | od -An -c)" "$(od -An -c <got.txt)" "-C output"
assert_eq "$(printf 'x\ny\n' | od -An -c)" "$(od -An -c <reply.txt)" "the reply (not changed)"

"$IPCAT" -v -lU "$T/d.sock" >got2.txt 2>l2.err &
lst=$!
wait_listening l2.err
printf 'a\r\nno newline' | timeout 10 "$IPCAT" --crlf -U "$T/d.sock" || fail "client: status $?"
wait_exit "$lst" 10
assert_eq "$(printf 'a\r\r\nno newline' | od -An -c)" "$(od -An -c <got2.txt)" "--crlf output"
