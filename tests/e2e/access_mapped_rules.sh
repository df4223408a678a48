#!/usr/bin/env bash
# --allow/--deny written as IPv4-mapped IPv6 (::ffff:a.b.c.d[/N], N >= 96) are the IPv4 rules
# they stand for: real TCP clients bound to 127.0.0.2 and 127.0.0.3, on an IPv4 listener and on
# a dual-stack one (IPv4 clients arrive there as mapped addresses), and UDP datagrams.
source "$(dirname "$0")/common.sh"
need python3

# serve NAME ARGS...: a one-client listener that sends "welcome"; sets lst and port.
serve() {
  local name=$1
  shift
  "$IPCAT" -v "$@" <<<"welcome" >"$name.out" 2>"$name.err" &
  lst=$!
  port=$(listen_port "$name.err")
}

# --deny ::ffff:127.0.0.2 refuses 127.0.0.2 and admits 127.0.0.3.
serve deny --deny ::ffff:127.0.0.2 -l 127.0.0.1 0
echo "from .2" | timeout 5 "$IPCAT" -s 127.0.0.2 127.0.0.1 "$port" >d2.out 2>/dev/null || true
assert_eq "" "$(cat d2.out)" "what the denied client (127.0.0.2) received"
wait_for 5 grep -q '^Refused a connection from tcp:127.0.0.2:[0-9]*: denied by ::ffff:127.0.0.2$' deny.err
echo "from .3" | timeout 5 "$IPCAT" -s 127.0.0.3 127.0.0.1 "$port" >d3.out 2>d3.err
assert_eq "welcome" "$(cat d3.out)" "what the admitted client (127.0.0.3) received"
wait_exit "$lst" 5
assert_eq 0 "$status" "listener's status"
assert_eq "from .3" "$(cat deny.out)" "what the listener received"

# --allow ::ffff:127.0.0.0/104 is 127.0.0.0/8: it admits 127.0.0.1.
serve allow --allow ::ffff:127.0.0.0/104 -l 127.0.0.1 0
echo "from .1" | timeout 5 "$IPCAT" 127.0.0.1 "$port" >a1.out 2>a1.err
assert_eq "welcome" "$(cat a1.out)" "what the allowed client (127.0.0.1) received"
wait_exit "$lst" 5
assert_eq 0 "$status" "listener's status"
assert_eq "from .1" "$(cat allow.out)" "what the listener received"

# The same on a dual-stack listener (no host): a mapped rule and a mapped peer.
serve dual --deny ::ffff:127.0.0.2/128 -l 0
echo "from .2" | timeout 5 "$IPCAT" -s 127.0.0.2 127.0.0.1 "$port" >x2.out 2>/dev/null || true
assert_eq "" "$(cat x2.out)" "dual stack: what the denied client received"
wait_for 5 grep -q '^Refused a connection from tcp:127.0.0.2:[0-9]*: denied by ::ffff:127.0.0.2/128$' dual.err
echo "from .3" | timeout 5 "$IPCAT" -s 127.0.0.3 127.0.0.1 "$port" >x3.out 2>x3.err
assert_eq "welcome" "$(cat x3.out)" "dual stack: what the admitted client received"
wait_exit "$lst" 5

# UDP: datagrams from a peer denied by a mapped rule are dropped.
"$IPCAT" -v --deny ::ffff:127.0.0.3 -ul 127.0.0.1 0 >u.out 2>u.err &
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
