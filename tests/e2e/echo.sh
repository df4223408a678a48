#!/usr/bin/env bash
# --echo copies every byte sent to stderr, and a closed stderr does not stop the relay.
source "$(dirname "$0")/common.sh"

{ seq 1 2000; head -c 100000 /dev/urandom; } >data.bin

"$IPCAT" -v -lU "$T/e.sock" </dev/null >l.out 2>l.err &
lst=$!
wait_listening l.err
timeout 10 "$IPCAT" --echo -U "$T/e.sock" <data.bin >c.out 2>c.err || fail "client exited with status $?"
wait_exit "$lst" 5
assert_same_file data.bin l.out
assert_same_file data.bin c.err

# The generator to stdout: stderr gets the same lines.
timeout 10 "$IPCAT" --uuid --count 5 --echo >g.out 2>g.err || fail "status $?"
assert_eq 5 "$(line_count g.out)" "UUIDs"
assert_same_file g.out g.err

# stderr is a pipe whose reader is gone: the data still all goes through.
"$IPCAT" -v -lU "$T/f.sock" </dev/null >l2.out 2>l2.err &
lst=$!
wait_listening l2.err
mkfifo errpipe
(exec 0<errpipe; head -c 10 >/dev/null) &
timeout 10 "$IPCAT" --echo -U "$T/f.sock" <data.bin >c2.out 2>errpipe || fail "client with a closed stderr exited with status $?"
wait_exit "$lst" 5
assert_same_file data.bin l2.out
