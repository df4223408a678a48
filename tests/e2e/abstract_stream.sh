#!/usr/bin/env bash
# Unix stream sockets in the Linux abstract namespace (@NAME): listen and connect (netcat form
# and address form), no file created anywhere in the working directory, the name is gone when
# the listener exits, a second listener on a live name is "address in use".
source "$(dirname "$0")/common.sh"

name=ipcat-e2e-$$-$RANDOM
bound() { grep -qE "(^| )@$1\$" /proc/net/unix; }

head -c 200K /dev/urandom | base64 >reply
printf 'request over @%s\n' "$name" >request
"$IPCAT" -v -lU "@$name" <reply >lst.out 2>lst.err &
lst=$!
wait_listening lst.err
assert_eq "Listening on unix:@$name" "$(head -n 1 lst.err)" "listener's -v line"
[[ -r /proc/net/unix ]] && { bound "$name" || fail "@$name is not in /proc/net/unix"; }

# A second listener on the same live name: address in use, status 1.
expect_status 1 "$IPCAT" -lU "@$name" </dev/null >dup.out 2>dup.err
assert_error dup.err 'in use'

timeout 10 "$IPCAT" -U "@$name" <request >cli.out 2>cli.err || fail "client exited with status $?"
assert_same_file reply cli.out
assert_empty cli.err "client's stderr"
wait_exit "$lst" 5
assert_eq 0 "$status" "listener's status"
assert_same_file request lst.out
if [[ -r /proc/net/unix ]] && bound "$name"; then
  fail "@$name is still bound after the listener exited"
fi

# Address form: unix-listen:@NAME with a child, unix:@NAME.
"$IPCAT" -v unix-listen:"@$name-2" 'exec:tr a-z A-Z' 2>lst2.err &
lst2=$!
wait_listening lst2.err
got=$(printf 'abstract\n' | timeout 10 "$IPCAT" - unix:"@$name-2" 2>cli2.err) || fail "address-form client exited with status $?"
assert_eq ABSTRACT "$got" "reply from unix-listen:@$name-2 through tr"
wait_exit "$lst2" 5
assert_eq 0 "$status" "address-form listener's status"

# Connecting to an abstract name nobody listens on: refused, status 1, one line.
expect_status 1 "$IPCAT" -U "@$name-none" </dev/null >none.out 2>none.err
assert_error none.err "@$name-none"

# No file named like the socket anywhere under the working directory.
found=$(find "$T" -name "*$name*" -printf '%P\n')
assert_eq "" "$found" "files named after the abstract sockets"
