#!/usr/bin/env bash
# A consumer whose stdin is /dev/null (its input ends at once, so it half-closes) still
# receives everything the producer sends, and both end with status 0.
source "$(dirname "$0")/common.sh"

head -c 1M /dev/urandom | base64 >data.txt

# A producer whose input is a file.
"$IPCAT" -v -lU "$T/a.sock" <data.txt >prod.out 2>prod.err &
prod=$!
wait_listening prod.err
timeout 20 "$IPCAT" -U "$T/a.sock" </dev/null >cons.out 2>cons.err || fail "consumer exited with status $?"
assert_same_file data.txt cons.out
assert_empty cons.err "consumer's stderr"
wait_exit "$prod" 5
assert_eq 0 "$status" "producer's status"
assert_empty prod.out "producer's stdout"

# A producer that is the UUID generator, over TCP.
"$IPCAT" --uuid --count 1000 -v -l 127.0.0.1 0 >prod2.out 2>prod2.err &
prod=$!
port=$(listen_port prod2.err)
timeout 20 "$IPCAT" 127.0.0.1 "$port" </dev/null >cons2.out 2>cons2.err || fail "consumer exited with status $?"
assert_eq 1000 "$(line_count cons2.out)" "UUIDs received"
is_uuid_lines cons2.out || fail "not UUID lines"
assert_empty cons2.err "consumer's stderr"
wait_exit "$prod" 5
assert_eq 0 "$status" "producer's status"
