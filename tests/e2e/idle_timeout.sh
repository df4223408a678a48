#!/usr/bin/env bash
# -i SECS ends a session without data in either direction for SECS with status 1 and one line;
# data in one direction only keeps it alive.
source "$(dirname "$0")/common.sh"

open_input l_in
open_input c_in

# Nothing flows: the client gives up after about 1 s.
"$IPCAT" -v -lU "$T/idle.sock" <l_in >l.out 2>l.err &
lst=$!
wait_listening l.err
start=$(now_ms)
"$IPCAT" -i 1 -U "$T/idle.sock" <c_in >c.out 2>c.err &
cli=$!
wait_exit "$cli" 5
took=$(($(now_ms) - start))
assert_eq 1 "$status" "status of an idle session with -i 1"
assert_error c.err
((took >= 900 && took < 3000)) || fail "-i 1 ended the session after $took ms"
# The listener sees its peer gone: a normal end.
wait_exit "$lst" 5
assert_eq 0 "$status" "listener's status"

# -i on the listener side, TCP.
"$IPCAT" -v -i 1 -l 127.0.0.1 0 <l_in >l2.out 2>l2.err &
lst=$!
port=$(listen_port l2.err)
"$IPCAT" 127.0.0.1 "$port" <c_in >c2.out 2>c2.err &
cli=$!
wait_exit "$lst" 5
assert_eq 1 "$status" "listener's status with -i 1"
grep '^ipcat: ' l2.err >l2.errors || true
assert_error l2.errors
kill -TERM "$cli" 2>/dev/null || true
wait_exit "$cli" 5

# A UUID every 300 ms, one direction only: no idle timeout for 2.5 s.
"$IPCAT" -v --uuid --interval 300ms -lU "$T/busy.sock" >/dev/null 2>l3.err &
prod=$!
wait_listening l3.err
"$IPCAT" -i 1 -U "$T/busy.sock" <c_in >c3.out 2>c3.err &
cli=$!
sleep 2.5
still_running "$cli"
has_lines c3.out 6 || fail "only $(line_count c3.out) UUIDs in 2.5 s"
assert_empty c3.err "client's stderr"
kill -TERM "$prod"
wait_exit "$cli" 5
assert_eq 0 "$status" "client's status once the producer stopped"
