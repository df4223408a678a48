#!/usr/bin/env bash
# The UUID generator with no address prints to stdout: --count N lines, lowercase RFC 9562 v4
# by default or v7 (strictly increasing); --interval paces them.
source "$(dirname "$0")/common.sh"

timeout 10 "$IPCAT" --uuid --count 10 >ten.txt 2>ten.err || fail "status $?"
assert_eq 10 "$(line_count ten.txt)" "lines of --count 10"
assert_eq 370 "$(stat -c %s ten.txt)" "bytes of --count 10"
is_uuid_lines ten.txt || fail "not UUID lines: $(show ten.txt)"
grep -qvE '^.{14}4' ten.txt && fail "default is not version 4: $(show ten.txt)"
assert_empty ten.err

timeout 10 "$IPCAT" --uuid=v4 --count 100000 >v4.txt 2>v4.err || fail "status $?"
assert_eq 100000 "$(line_count v4.txt)" "lines of v4 --count 100000"
is_uuid_lines v4.txt || fail "v4: not UUID lines"
grep -qvE '^.{14}4' v4.txt && fail "v4: not version 4"
assert_eq 100000 "$(sort -u v4.txt | wc -l)" "distinct v4 UUIDs"

timeout 10 "$IPCAT" --uuid=v7 --count 100000 >v7.txt 2>v7.err || fail "status $?"
assert_eq 100000 "$(line_count v7.txt)" "lines of v7 --count 100000"
is_uuid_lines v7.txt || fail "v7: not UUID lines"
grep -qvE '^.{14}7' v7.txt && fail "v7: not version 7"
LC_ALL=C sort -c -u v7.txt 2>/dev/null || fail "v7 UUIDs are not strictly increasing"
assert_empty v7.err
# The time in a v7 UUID (first 48 bits, ms since the epoch) is now, within a minute.
ms=$((16#$(head -n 1 v7.txt | tr -d - | cut -c1-12)))
now=$(now_ms)
((ms > now - 60000 && ms <= now)) || fail "v7 timestamp $ms is not now ($now)"

start=$(now_ms)
timeout 10 "$IPCAT" --uuid --count 3 --interval 300ms >paced.txt || fail "status $?"
took=$(($(now_ms) - start))
assert_eq 3 "$(line_count paced.txt)" "lines of --count 3 --interval 300ms"
((took >= 550 && took < 2000)) || fail "--count 3 --interval 300ms took $took ms"
