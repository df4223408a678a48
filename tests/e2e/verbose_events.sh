#!/usr/bin/env bash
# -v events, one line each on stderr, in exactly these shapes:
#   Listening on unix:PATH | tcp:127.0.0.1:PORT | tcp:[::]:PORT | udp:127.0.0.1:PORT
#   Connection from tcp:127.0.0.1:PORT | unix:...      Connected to tcp:127.0.0.1:PORT | unix:PATH
# and the listen forms -l host port, -l port, -l -p port.
source "$(dirname "$0")/common.sh"

# only_events FILE ERE...: every line of FILE matches one of the EREs, and each ERE some line.
only_events() {
  local f=$1 re all=""
  shift
  for re in "$@"; do
    grep -qE "$re" "$f" || fail "$f: no line matching /$re/ in $(show "$f")"
    all="$all|($re)"
  done
  if grep -vE "${all#|}" "$f" >"$f.other"; then
    fail "$f: unexpected lines: $(show "$f.other")"
  fi
}

# Unix.
"$IPCAT" -v -lU "$T/v.sock" <<<"x" >/dev/null 2>u.l.err &
lst=$!
wait_listening u.l.err
timeout 10 "$IPCAT" -v -U "$T/v.sock" </dev/null >/dev/null 2>u.c.err || fail "client's status $?"
wait_exit "$lst" 5
only_events u.l.err "^Listening on unix:$T/v\.sock$" '^Connection from unix:'
assert_eq "Listening on unix:$T/v.sock" "$(head -n 1 u.l.err)" "first line"
only_events u.c.err "^Connected to unix:$T/v\.sock$"

# TCP on 127.0.0.1.
"$IPCAT" -v -l 127.0.0.1 0 <<<"x" >/dev/null 2>t.l.err &
lst=$!
port=$(listen_port t.l.err)
timeout 10 "$IPCAT" -v 127.0.0.1 "$port" </dev/null >/dev/null 2>t.c.err || fail "client's status $?"
wait_exit "$lst" 5
only_events t.l.err "^Listening on tcp:127\.0\.0\.1:$port$" '^Connection from tcp:127\.0\.0\.1:[0-9]+$'
only_events t.c.err "^Connected to tcp:127\.0\.0\.1:$port$"
cport=$(grep -m1 '^Connection from' t.l.err | grep -oE '[0-9]+$')
[[ $cport != "$port" && $cport -gt 0 ]] || fail "client port $cport"

# -l PORT (no host): dual-stack [::] when the host has IPv6.
if python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::", 0))' 2>/dev/null; then
  any_re='^Listening on tcp:\[::\]:[0-9]+$'
else
  any_re='^Listening on tcp:0\.0\.0\.0:[0-9]+$'
fi
"$IPCAT" -v -l 0 <<<"x" >/dev/null 2>a.l.err &
lst=$!
port=$(listen_port a.l.err)
grep -qE "$any_re" a.l.err || fail "-l 0: $(show a.l.err)"
got=$(timeout 10 "$IPCAT" 127.0.0.1 "$port" </dev/null) || fail "IPv4 client of -l 0: status $?"
assert_eq x "$got" "received from -l 0 over IPv4"
wait_exit "$lst" 5
assert_eq 0 "$status" "listener's status"

# -l -p PORT.
"$IPCAT" -v -l -p 0 <<<"x" >/dev/null 2>p.l.err &
lst=$!
port=$(listen_port p.l.err)
grep -qE "$any_re" p.l.err || fail "-l -p 0: $(show p.l.err)"
got=$(timeout 10 "$IPCAT" 127.0.0.1 "$port" </dev/null) || fail "client of -l -p 0: status $?"
assert_eq x "$got" "received from -l -p 0"
wait_exit "$lst" 5

# UDP.
"$IPCAT" -v -u -l 127.0.0.1 0 </dev/null >/dev/null 2>d.l.err &
lst=$!
listen_port d.l.err >/dev/null
only_events d.l.err '^Listening on udp:127\.0\.0\.1:[0-9]+$'
kill -TERM "$lst"
wait_exit "$lst" 5
