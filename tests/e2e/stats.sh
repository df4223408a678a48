#!/usr/bin/env bash
# --stats: exactly one line on stderr at exit, with the byte counts each way.
source "$(dirname "$0")/common.sh"

head -c 12345 /dev/urandom >up.bin
head -c 6789 /dev/urandom >down.bin

# No -v on the listener (its stderr is for the stats line only): the client retries until it
# listens.
"$IPCAT" --stats -lU "$T/s.sock" <down.bin >l.out 2>l.stats &
lst=$!
timeout 10 "$IPCAT" --stats --retry --retry-interval 50ms -U "$T/s.sock" <up.bin >c.out 2>c.err || fail "client exited with status $?"
wait_exit "$lst" 5
assert_eq 0 "$status" "listener's status"
assert_same_file up.bin l.out
assert_same_file down.bin c.out

assert_eq 1 "$(line_count c.err)" "lines on the client's stderr with --stats"
grep -qE '(^|[^0-9.,])12345([^0-9.,]|$)' c.err || fail "client's stats do not show 12345 bytes sent: $(show c.err)"
grep -qE '(^|[^0-9.,])6789([^0-9.,]|$)' c.err || fail "client's stats do not show 6789 bytes received: $(show c.err)"
assert_eq 1 "$(line_count l.stats)" "stats lines on the listener's stderr"
grep -qE '(^|[^0-9.,])12345([^0-9.,]|$)' l.stats || fail "listener's stats do not show 12345 bytes received: $(show l.stats)"
grep -qE '(^|[^0-9.,])6789([^0-9.,]|$)' l.stats || fail "listener's stats do not show 6789 bytes sent: $(show l.stats)"

# Without --stats, nothing.
"$IPCAT" -v -lU "$T/n.sock" <down.bin >/dev/null 2>n.l.err &
wait_listening n.l.err
timeout 10 "$IPCAT" -U "$T/n.sock" <up.bin >/dev/null 2>n.c.err || fail "client exited with status $?"
assert_empty n.c.err "client's stderr without --stats"
