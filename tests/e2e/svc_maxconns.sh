#!/usr/bin/env bash
# -k -m 2: four clients at once, each served by a child that holds it about a second; at most
# two children run at a time (their start and end marks say so), the others wait in the
# backlog and are all served in the end; -v says once that the cap was reached. -m 0 and -m
# without a listener are usage errors; -m with -l but without -k is harmless.
source "$(dirname "$0")/common.sh"

"$IPCAT" -v -lk -m 2 127.0.0.1 0 \
  -c 'echo "start $$" >>"$T/marks"; sleep 1; echo "end $$" >>"$T/marks"; echo served' 2>l.err &
lst=$!
port=$(listen_port l.err)

clients=()
for n in 1 2 3 4; do
  "$IPCAT" 127.0.0.1 "$port" </dev/null >"c$n.out" 2>"c$n.err" &
  clients+=($!)
done
for p in "${clients[@]}"; do
  wait_exit "$p" 10
  assert_eq 0 "$status" "a client's status"
done
for n in 1 2 3 4; do
  assert_eq served "$(cat "c$n.out")" "what client $n received"
done
# Replay the marks: never more than two children at once, four of each in the end.
most=$(awk '/^start/ {n++; if (n > m) m = n} /^end/ {n--} END {print m}' marks)
assert_eq 2 "$most" "children running at once, at most"
assert_eq 4 "$(grep -c '^start' marks)" "children started"
assert_eq 4 "$(grep -c '^end' marks)" "children ended"
assert_eq 1 "$(grep -c '(-m)' l.err)" "-v lines about the cap"
still_running "$lst"
kill -TERM "$lst"
wait_exit "$lst" 5
assert_eq 143 "$status" "listener's status after SIGTERM"

expect_status 2 "$IPCAT" -lk -m 0 127.0.0.1 0 2>m0.err
expect_status 2 "$IPCAT" -m 2 127.0.0.1 1 2>m2.err
# Without -k there is one client anyway: -m changes nothing (as in ncat).
"$IPCAT" -v -l -m 1 127.0.0.1 0 </dev/null >one.out 2>one.err &
one=$!
port=$(listen_port one.err)
printf 'hello\n' | "$IPCAT" 127.0.0.1 "$port" >/dev/null
wait_exit "$one" 5
assert_eq 0 "$status" "one-client listener's status with -m"
assert_eq hello "$(cat one.out)" "what the one-client listener received"
