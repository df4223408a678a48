#!/usr/bin/env bash
# -ulk udp-listen: tcp:HOST:PORT, a UDP-to-TCP bridge: each peer gets its own backend
# connection, and the backend's answers go back to the peer whose connection it was.
source "$(dirname "$0")/common.sh"
need python3 stdbuf
peer="$IPCAT_SOURCE_DIR/tests/e2e/svc_udp_peer.py"

# The backend says which connection (its child's pid) answers, then upper-cases.
"$IPCAT" -v -lk 127.0.0.1 0 -c 'echo "conn $$"; exec stdbuf -o0 tr a-z A-Z' 2>back.err &
back=$!
bport=$(listen_port back.err)
"$IPCAT" -v -k udp-listen:127.0.0.1:0 "tcp:127.0.0.1:$bport" 2>l.err &
lst=$!
port=$(listen_port l.err)

python3 "$peer" 127.0.0.2 "$port" a.log 0.3 'from a' '?FROM A' 'more a' '?MORE A' &
a=$!
python3 "$peer" 127.0.0.3 "$port" b.log 0.3 'from b' '?FROM B' &
b=$!
wait_exit "$a" 10
wait_exit "$b" 10
assert_eq 'FROM A|MORE A' "$(grep -v '^conn ' a.log | paste -sd'|')" "peer a's answers"
assert_eq 'FROM B' "$(grep -v '^conn ' b.log)" "peer b's answers"
ca=$(grep '^conn ' a.log) cb=$(grep '^conn ' b.log)
[[ -n $ca && -n $cb && $ca != "$cb" ]] || fail "expected a connection each, got '$ca' and '$cb'"
assert_eq 2 "$(grep -c '^Connection from tcp:' back.err)" "backend connections"
kill -TERM "$lst" "$back"
wait_exit "$lst" 5
assert_eq 143 "$status" "bridge's status after SIGTERM"
