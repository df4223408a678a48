#!/usr/bin/env bash
# `ipcat -l PORT` listens on [::] dual-stack: IPv4 and IPv6 clients both reach it; -4 and -6
# restrict it. Skipped without IPv6.
source "$(dirname "$0")/common.sh"
need_ipv6

for client in 127.0.0.1 ::1; do
  "$IPCAT" -v -l 0 <<<"hello $client" >"$client.l.out" 2>"$client.l.err" &
  lst=$!
  port=$(listen_port "$client.l.err")
  grep -qxE 'Listening on tcp:\[::\]:[0-9]+' "$client.l.err" || fail "-v line: $(show "$client.l.err")"
  got=$(echo "from $client" | timeout 10 "$IPCAT" "$client" "$port" 2>"$client.c.err") || fail "client $client: status $?"
  assert_eq "hello $client" "$got" "client $client received"
  wait_exit "$lst" 5
  assert_eq 0 "$status" "listener's status"
  assert_eq "from $client" "$(cat "$client.l.out")" "listener received from $client"
done

# -v over IPv6: addresses in brackets.
"$IPCAT" -v -l ::1 0 <<<"x" >/dev/null 2>v6.l.err &
lst=$!
port=$(listen_port v6.l.err)
timeout 10 "$IPCAT" -v ::1 "$port" </dev/null >/dev/null 2>v6.c.err || fail "IPv6 client: status $?"
wait_exit "$lst" 5
assert_eq "Listening on tcp:[::1]:$port" "$(sed -n 1p v6.l.err)" "listener's first -v line"
grep -qxE 'Connection from tcp:\[::1\]:[0-9]+' v6.l.err || fail "listener's -v lines: $(show v6.l.err)"
assert_eq "Connected to tcp:[::1]:$port" "$(cat v6.c.err)" "client's -v line"

# -6 -l PORT: IPv6 only; an IPv4 client is refused.
"$IPCAT" -v -6 -l 0 <<<"six" >l6.out 2>l6.err &
lst=$!
port=$(listen_port l6.err)
expect_status 1 "$IPCAT" 127.0.0.1 "$port" </dev/null >c4.out 2>c4.err
assert_error c4.err 'Connection refused'
got=$(timeout 10 "$IPCAT" ::1 "$port" </dev/null) || fail "IPv6 client of -6 -l: status $?"
assert_eq six "$got" "received from -6 -l"
wait_exit "$lst" 5

# -4 -l PORT: IPv4 only, on 0.0.0.0.
"$IPCAT" -v -4 -l 0 <<<"four" >l4.out 2>l4.err &
lst=$!
port=$(listen_port l4.err)
grep -qxE 'Listening on tcp:0\.0\.0\.0:[0-9]+' l4.err || fail "-4 -l 0 -v line: $(show l4.err)"
expect_status 1 "$IPCAT" ::1 "$port" </dev/null >c6.out 2>c6.err
assert_error c6.err 'Connection refused'
got=$(timeout 10 "$IPCAT" 127.0.0.1 "$port" </dev/null) || fail "IPv4 client of -4 -l: status $?"
assert_eq four "$got" "received from -4 -l"
wait_exit "$lst" 5
