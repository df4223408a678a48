#!/usr/bin/env bash
# -lkU with -c: a child per client, clients served concurrently. Three clients at once, each
# with 20,000 lines of its own, each get back exactly their own data upper-cased.
source "$(dirname "$0")/common.sh"

"$IPCAT" -v -lkU "$T/k.sock" -c 'tr a-z A-Z' >srv.out 2>srv.err &
srv=$!
wait_listening srv.err

for c in 1 2 3; do
  seq -f "client$c-line-%g-abcdefghijklmnopqrstuvwxyz" 1 20000 >"in$c"
  tr '[:lower:]' '[:upper:]' <"in$c" >"want$c"
done
# The inputs are held open, so all three clients are connected, with a child each, at once
# before any of them sends.
pids=()
for c in 1 2 3; do
  open_input "hold$c"
  "$IPCAT" -U "$T/k.sock" <"hold$c" >"out$c" 2>"err$c" &
  pids+=($!)
done
connections() { (($(grep -c '^Connection from ' srv.err) >= $1)); }
wait_for 10 connections 3
# (tr buffers its output until its input ends, so nothing comes back before that.)
started() { (($(grep -c "^Started 'tr a-z A-Z' (pid [0-9]*)\$" srv.err) >= $1)); }
wait_for 10 started 3
for c in 1 2 3; do
  still_running "${pids[c - 1]}"
done
start=$(now_ms)
senders=()
for c in 1 2 3; do
  send_input "hold$c" <"in$c" &
  senders+=($!)
done
for c in 1 2 3; do
  wait_exit "${senders[c - 1]}" 20
  assert_eq 0 "$status" "sending client $c's input"
done
for c in 1 2 3; do
  close_input "hold$c"
done
for c in 1 2 3; do
  wait_exit "${pids[c - 1]}" 20
  assert_eq 0 "$status" "client $c's status"
  assert_empty "err$c" "client $c's stderr"
done
echo "3 x 20,000 lines through 3 children in $(($(now_ms) - start)) ms" >&2
for c in 1 2 3; do
  cmp -s "out$c" "want$c" || fail "client $c did not get back exactly its own data upper-cased ($(line_count "out$c") lines)"
done
still_running "$srv"
assert_empty srv.out "listener's stdout"
kill -TERM "$srv"
wait_exit "$srv" 5
assert_eq 143 "$status" "listener's status after SIGTERM"
[[ ! -e $T/k.sock ]] || fail "socket file left"
assert_eq 3 "$(grep -c "^Command 'tr a-z A-Z' exited with status 0\$" srv.err)" "children that exited with status 0"
