#!/usr/bin/env bash
# --allow/--deny on TCP and UDP listeners, with clients bound to other loopback addresses:
# refused TCP clients are closed at once (and logged), refused datagrams are dropped; admitted
# peers are served. Deny wins over allow.
source "$(dirname "$0")/common.sh"

# TCP: only 127.0.0.2 may connect.
"$IPCAT" -v --allow 127.0.0.2/32 -l 127.0.0.1 0 <<<"welcome" >t.out 2>t.err &
lst=$!
port=$(listen_port t.err)
# The refused client is reset: its line was not taken, so it ends with status 1 and one line.
rc=0
echo "from .3" | timeout 5 "$IPCAT" -s 127.0.0.3 127.0.0.1 "$port" >c3.out 2>c3.err || rc=$?
assert_eq "" "$(cat c3.out)" "what the refused client received"
assert_eq 1 "$rc" "the refused client's status"
assert_error c3.err 'Connection reset by peer|not delivered$'
wait_for 5 grep -q '^Refused a connection from tcp:127.0.0.3:[0-9]*: not in any --allow block$' t.err
echo "from .2" | timeout 5 "$IPCAT" -s 127.0.0.2 127.0.0.1 "$port" >c2.out 2>c2.err
assert_eq "welcome" "$(cat c2.out)" "what the admitted client received"
wait_exit "$lst" 5
assert_eq 0 "$status" "listener's status"
assert_eq "from .2" "$(cat t.out)" "what the listener received"

# Deny wins over allow.
"$IPCAT" -v --allow 127.0.0.0/8 --deny 127.0.0.4 -l 127.0.0.1 0 <<<"hi" >d.out 2>d.err &
lst=$!
port=$(listen_port d.err)
timeout 5 "$IPCAT" -s 127.0.0.4 127.0.0.1 "$port" </dev/null >d4.out 2>/dev/null || true
assert_eq "" "$(cat d4.out)" "what the denied client received"
wait_for 5 grep -q '^Refused a connection from tcp:127.0.0.4:[0-9]*: denied by 127.0.0.4$' d.err
timeout 5 "$IPCAT" -s 127.0.0.5 127.0.0.1 "$port" </dev/null >d5.out 2>/dev/null
assert_eq "hi" "$(cat d5.out)" "what an allowed client received"
wait_exit "$lst" 5

# UDP: datagrams from a refused peer are dropped and do not become the peer answered.
"$IPCAT" -v --deny 127.0.0.3 -ul 127.0.0.1 0 >u.out 2>u.err &
lst=$!
port=$(listen_port u.err)
python3 - "$port" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
bad = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); bad.bind(("127.0.0.3", 0))
good = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); good.bind(("127.0.0.2", 0))
bad.sendto(b"bad-1\n", ("127.0.0.1", port)); time.sleep(0.2)
good.sendto(b"good-1\n", ("127.0.0.1", port)); time.sleep(0.2)
bad.sendto(b"bad-2\n", ("127.0.0.1", port)); time.sleep(0.2)
good.sendto(b"good-2\n", ("127.0.0.1", port)); time.sleep(0.2)
PY
wait_for 5 grep -q good-2 u.out
kill -TERM "$lst"
wait_exit "$lst" 5
assert_eq $'good-1\ngood-2' "$(cat u.out)" "datagrams the listener passed on"

expect_status 2 "$IPCAT" --allow 10.0.0.0/33 -l 0
expect_status 2 "$IPCAT" --allow 127.0.0.1 -lU "$T/x.sock"
expect_status 2 "$IPCAT" --deny 127.0.0.1 127.0.0.1 80
