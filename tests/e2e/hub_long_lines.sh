#!/usr/bin/env bash
# -k with stdio: a line is written whole.
# - A 300,000-byte line sent in two parts: once it is past the hub's buffer, its client owns
#   stdout until the newline; the lines another client sends meanwhile come after it, never
#   inside it.
# - A client's last line without a newline gets one when the client ends: it is not glued to
#   the next client's line.
source "$(dirname "$0")/common.sh"

"$IPCAT" -v -lkU "$T/k.sock" </dev/null >srv.out 2>srv.err &
lst=$!
wait_listening srv.err

open_input a_in
"$IPCAT" -U "$T/k.sock" <a_in >a.out 2>a.err &
cli_a=$!
head -c 100000 /dev/zero | tr '\0' x | send_input a_in
wait_for 10 size_at_least srv.out 65536

# Another client sends two lines and ends while the long line is unfinished.
printf 'b1\nb2\n' | timeout 10 "$IPCAT" -U "$T/k.sock" >b.out 2>b.err || fail "client b failed"
sleep 0.3
{ head -c 200000 /dev/zero | tr '\0' x; echo; } | send_input a_in
close_input a_in
wait_exit "$cli_a" 5
assert_eq 0 "$status" "client a's status"

# A last line without a newline, then another client's line.
printf 'c-last' | timeout 10 "$IPCAT" -U "$T/k.sock" >c.out 2>c.err || fail "client c failed"
wait_for 5 grep -q 'c-last' srv.out
printf 'd-line\n' | timeout 10 "$IPCAT" -U "$T/k.sock" >d.out 2>d.err || fail "client d failed"
wait_for 5 grep -q 'd-line' srv.out
sleep 0.2

{ head -c 300000 /dev/zero | tr '\0' x; printf '\nb1\nb2\nc-last\nd-line\n'; } >want
if ! cmp -s want srv.out; then
  fail "the listener's stdout is not the long line whole, then b1, b2, c-last, d-line: $(awk '{ print length($0) }' srv.out | head -10 | tr '\n' ' ')"
fi
still_running "$lst"
kill -TERM "$lst"
wait_exit "$lst" 5
assert_eq 143 "$status" "listener's status after SIGTERM"
assert_no_error_line srv.err "listener's stderr"
