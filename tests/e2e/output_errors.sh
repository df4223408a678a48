#!/usr/bin/env bash
# A failing stdout other than a closed pipe (/dev/full: ENOSPC) is a runtime failure: status 1
# and one line naming the error, for the generator and for a client.
source "$(dirname "$0")/common.sh"
[[ -c /dev/full ]] || { echo "SKIP: no /dev/full" >&2; exit 77; }

expect_status 1 "$IPCAT" --uuid --count 10 >/dev/full 2>gen.err
assert_error gen.err 'No space left on device'

"$IPCAT" -v -lU "$T/f.sock" <<<"data for a full disk" >/dev/null 2>l.err &
lst=$!
wait_listening l.err
expect_status 1 "$IPCAT" -U "$T/f.sock" </dev/null >/dev/full 2>c.err
assert_error c.err 'No space left on device'
wait_exit "$lst" 5
assert_eq 0 "$status" "listener's status when its client went away"
