#!/usr/bin/env bash
# --chat: lines are prefixed with their sender, "<user2> ", and arrivals and departures are
# announced in ncat's words; stdout gets the prefixed lines.
source "$(dirname "$0")/common.sh"
need python3
client="$IPCAT_SOURCE_DIR/tests/e2e/svc_broker_client.py"

"$IPCAT" -v --chat -l 127.0.0.1 0 </dev/null >l.out 2>l.err &
lst=$!
port=$(listen_port l.err)
connected() { (($(grep -c '^Connection from ' l.err) >= $1)); }

# Each client waits for what it must have seen before it speaks or leaves.
python3 "$client" "$port" a.log 0.2 '?<user2> hi from b' 'hi from a' '?<user2> is disconnected' &
a=$!
wait_for 5 connected 1
python3 "$client" "$port" b.log 0 '?already connected' 'hi from b' '?<user1> hi from a' &
b=$!
wait_exit "$b" 15
assert_eq 0 "$status" "second client's status"
wait_exit "$a" 15
assert_eq 0 "$status" "first client's status"
assert_eq "<announce> 127.0.0.1 is connected as <user1>.
<announce> already connected: nobody.
<announce> 127.0.0.1 is connected as <user2>.
<user2> hi from b
<announce> <user2> is disconnected." "$(cat a.log)" "what the first client saw"
assert_eq "<announce> 127.0.0.1 is connected as <user2>.
<announce> already connected: 127.0.0.1 as <user1>.
<user1> hi from a" "$(cat b.log)" "what the second client saw"
assert_eq "<user2> hi from b
<user1> hi from a" "$(cat l.out)" "stdout"
kill -TERM "$lst"
wait_exit "$lst" 5
assert_eq 143 "$status" "broker's status after SIGTERM"
