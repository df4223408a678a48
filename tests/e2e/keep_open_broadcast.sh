#!/usr/bin/env bash
# -k with stdio: clients are served concurrently; every client's data goes to stdout, whole
# lines never interleaved (3 clients x 2,000 lines of 100 bytes at once), each client's lines in
# order; stdin goes to every connected client.
source "$(dirname "$0")/common.sh"

pad=$(head -c 80 /dev/zero | tr '\0' x)
for c in 1 2 3; do
  seq -f "client$c-%06g-$pad" 1 2000 >"lines$c"
done
sort lines1 lines2 lines3 >want.sorted

open_input srv_in
"$IPCAT" -v -k -lU "$T/k.sock" <srv_in >srv.out 2>srv.err &
lst=$!
wait_listening srv.err

# The clients' inputs are files: they send everything, half-close, and stay connected (the
# listener's input is still open) until the listener's input ends.
for c in 1 2 3; do
  "$IPCAT" -U "$T/k.sock" <"lines$c" >"cli$c.out" 2>"cli$c.err" &
  eval "cli$c=\$!"
done
wait_for 30 has_lines srv.out 6000
sleep 0.2
assert_eq 6000 "$(line_count srv.out)" "lines on the listener's stdout"
sort srv.out | cmp -s - want.sorted || fail "the listener's stdout is not exactly the clients' lines (torn or mixed lines)"
for c in 1 2 3; do
  grep "^client$c-" srv.out | cmp -s - "lines$c" || fail "client $c's lines are out of order"
done
for c in 1 2 3; do
  eval "still_running \$cli$c"
done

# Broadcast: the listener's stdin reaches every client.
printf 'to everyone\n' | send_input srv_in
for c in 1 2 3; do
  wait_for 5 grep -qx 'to everyone' "cli$c.out"
done
printf 'second\n' | send_input srv_in
for c in 1 2 3; do
  wait_for 5 grep -qx 'second' "cli$c.out"
done

# The listener's input ends: every client gets EOF and ends with status 0.
close_input srv_in
for c in 1 2 3; do
  eval "wait_exit \$cli$c 5"
  assert_eq 0 "$status" "client $c's status"
  assert_eq $'to everyone\nsecond' "$(cat "cli$c.out")" "client $c received"
  assert_empty "cli$c.err" "client $c's stderr"
done
assert_eq 6000 "$(line_count srv.out)" "lines on the listener's stdout at the end"
kill -TERM "$lst"
wait_exit "$lst" 5
assert_eq 143 "$status" "listener's status after SIGTERM"
[[ ! -e $T/k.sock ]] || fail "socket file left"
