#!/usr/bin/env bash
# Two-address form `ipcat fifo:p unix:s`: what writers put into the FIFO reaches a Unix listener
# (`ipcat -lU s`); the relay outlives the FIFO's writers, so a second writer gets through too.
source "$(dirname "$0")/common.sh"

"$IPCAT" -v -lU "$T/s" </dev/null >lst.out 2>lst.err &
lst=$!
wait_listening lst.err
"$IPCAT" fifo:"$T/p" unix:"$T/s" </dev/null >br.out 2>br.err &
br=$!
wait_for 5 test -p "$T/p"
wait_for 5 grep -q '^Connection from ' lst.err

seq -f 'first-%g' 1 1000 | timeout 10 "$IPCAT" - fifo:"$T/p" || fail "first writer exited with status $?"
wait_for 5 has_lines lst.out 1000
printf 'second writer\n' | timeout 10 "$IPCAT" - fifo:"$T/p" || fail "second writer exited with status $?"
wait_for 5 has_lines lst.out 1001
sleep 0.3
cmp -s lst.out <(seq -f 'first-%g' 1 1000; echo 'second writer') || fail "the listener did not get exactly the writers' lines"
still_running "$br"
still_running "$lst"
assert_empty br.out "relay's stdout"
assert_empty br.err "relay's stderr"

# Stopping the relay ends the listener's session normally.
kill -TERM "$br"
wait_exit "$br" 5
assert_eq 143 "$status" "relay's status after SIGTERM"
wait_exit "$lst" 5
assert_eq 0 "$status" "listener's status once the relay is gone"
[[ -p $T/p ]] || fail "the FIFO did not outlive the relay"
