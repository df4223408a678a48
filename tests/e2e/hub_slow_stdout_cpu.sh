#!/usr/bin/env bash
# -k with stdio: two clients sending as fast as they can to a listener whose stdout is never
# read. The hub waits for stdout without burning CPU: under 1 s of CPU time over 3 s.
source "$(dirname "$0")/common.sh"

# cpu_ticks PID: user + system time of PID so far, in clock ticks.
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }

# two_connected: the listener has logged two connections.
two_connected() { (($(grep -c '^Connection from' srv.err) >= 2)); }

mkfifo out
sleep 60 <out & # opens stdout's reader and never reads
"$IPCAT" -v -lkU "$T/k.sock" </dev/null >out 2>srv.err &
lst=$!
wait_listening srv.err
for c in 1 2; do
  yes "client $c is sending a line" | "$IPCAT" -U "$T/k.sock" >/dev/null 2>"cli$c.err" &
done
wait_for 10 two_connected
sleep 1 # stdout's pipe fills up, both clients wait for it
still_running "$lst"
tck=$(getconf CLK_TCK)
before=$(cpu_ticks "$lst")
sleep 3
after=$(cpu_ticks "$lst")
used=$((after - before))
((used < tck)) || fail "the hub used $used ticks of CPU ($tck a second) in 3 s while waiting for stdout"
still_running "$lst"
kill -TERM "$lst"
wait_exit "$lst" 5
assert_eq 143 "$status" "listener's status after SIGTERM"
