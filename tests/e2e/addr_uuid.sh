#!/usr/bin/env bash
# The generator as an address: `uuid,count=3 -` prints 3 v4 UUIDs; `uuid:v7,count=1000 -` prints
# 1000 strictly increasing v7 UUIDs; type names are case-insensitive; interval= paces it.
source "$(dirname "$0")/common.sh"

timeout 10 "$IPCAT" uuid,count=3 - </dev/null >v4.out 2>v4.err || fail "uuid,count=3 - exited with status $?"
assert_eq 3 "$(line_count v4.out)" "lines from uuid,count=3"
assert_eq 3 "$(grep -cE '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' v4.out)" "v4 UUID lines"
assert_eq 3 "$(sort -u v4.out | wc -l)" "distinct UUIDs"
assert_empty v4.err "stderr"

timeout 10 "$IPCAT" uuid:v7,count=1000 - </dev/null >v7.out 2>v7.err || fail "uuid:v7,count=1000 - exited with status $?"
assert_eq 1000 "$(line_count v7.out)" "lines from uuid:v7,count=1000"
assert_eq 1000 "$(grep -cE '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' v7.out)" "v7 UUID lines"
LC_ALL=C sort -c -u v7.out 2>sort.err || fail "v7 UUIDs are not strictly increasing: $(show sort.err)"
# Its timestamp (the first 48 bits) is close to now.
ts_ms=$((16#$(head -n 1 v7.out | tr -d - | cut -c1-12)))
now=$(now_ms)
((ts_ms <= now && now - ts_ms < 60000)) || fail "v7 timestamp $ts_ms ms is not within a minute before now ($now ms)"

# Case-insensitive type and version; count=0 prints nothing.
timeout 10 "$IPCAT" UUID:V7,count=2 - </dev/null >up.out || fail "UUID:V7,count=2 - exited with status $?"
assert_eq 2 "$(grep -cE '^[0-9a-f]{8}-[0-9a-f]{4}-7' up.out)" "v7 lines from UUID:V7,count=2"
timeout 10 "$IPCAT" uuid,count=0 - </dev/null >zero.out || fail "uuid,count=0 - exited with status $?"
assert_empty zero.out "output of count=0"

# interval=200ms: three UUIDs take at least 400 ms (and not much longer).
start=$(now_ms)
timeout 10 "$IPCAT" uuid,count=3,interval=200ms - </dev/null >paced.out || fail "paced generator exited with status $?"
took=$(($(now_ms) - start))
assert_eq 3 "$(line_count paced.out)" "lines from the paced generator"
echo "uuid,count=3,interval=200ms took $took ms" >&2
((took >= 380 && took < 2000)) || fail "uuid,count=3,interval=200ms took $took ms (expected about 400-600)"

# The generator as the left address of a relay into a Unix listener.
"$IPCAT" -v -lU "$T/s" </dev/null >lst.out 2>lst.err &
lst=$!
wait_listening lst.err
timeout 10 "$IPCAT" uuid:v7,count=500 unix:"$T/s" </dev/null || fail "uuid:v7,count=500 unix:s exited with status $?"
wait_exit "$lst" 5
assert_eq 0 "$status" "listener's status"
assert_eq 500 "$(line_count lst.out)" "UUIDs received by the listener"
LC_ALL=C sort -c -u lst.out || fail "the UUIDs received are not strictly increasing"
