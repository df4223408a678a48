#!/usr/bin/env bash
# Unix datagram sockets, both directions, with a python3 peer that sees datagram boundaries:
# - client (-uU, unix-dgram:): each chunk of input is one datagram, generator lines one each;
#   the client gets the peer's reply and exits about 1 s after its input ends;
# - listener (-luU, unix-dgram-listen:): datagrams received are written out whole, and it
#   answers the peer that spoke last; a relay between two datagram sockets keeps boundaries
#   both ways.
source "$(dirname "$0")/common.sh"
need python3

# dg.py serve NAME ADDR: bind ADDR (@x: abstract), log each datagram as a line of hex in
# $T/NAME.log, answer "ping\n" with "pong\n".
# dg.py send NAME ADDR TARGET EXPECT HEX...: bind ADDR, send each HEX as one datagram to
# TARGET (100 ms apart), then log EXPECT datagrams received (5 s for each) in $T/NAME.log.
cat >dg.py <<'PY'
import os, socket, sys
def addr(a):
    return "\0" + a[1:] if a.startswith("@") else a
t = os.environ["T"]
mode, name, own = sys.argv[1:4]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(addr(own))
log = open(f"{t}/{name}.log", "a")
def record(data):
    log.write(data.hex() + "\n")
    log.flush()
if mode == "serve":
    open(f"{t}/{name}.ready", "w").close()
    while True:
        data, peer = s.recvfrom(70000)
        record(data)
        if data == b"ping\n":
            s.sendto(b"pong\n", peer)
else:
    import time
    target, expect = addr(sys.argv[4]), int(sys.argv[5])
    for h in sys.argv[6:]:
        s.sendto(bytes.fromhex(h), target)
        time.sleep(0.1)
    s.settimeout(5)
    for _ in range(expect):
        record(s.recv(70000))
PY
serve() {
  python3 dg.py serve "$1" "$2" 2>"$1.err" &
  wait_for 5 test -f "$1.ready"
}
b3000=$(head -c 3000 /dev/zero | tr '\0' b)

# 1. ipcat client -> python server: three inputs of different sizes, three datagrams.
serve srv1 "$T/py1.sock"
open_input in1
"$IPCAT" -uU "$T/py1.sock" <in1 >cli1.out 2>cli1.err &
cli1=$!
printf 'one\n' | send_input in1
wait_for 5 has_lines srv1.log 1
printf '%s' "$b3000" | send_input in1
wait_for 5 has_lines srv1.log 2
printf 'ping\n' | send_input in1
wait_for 5 has_lines srv1.log 3
wait_for 5 grep -qx pong cli1.out
close_input in1
wait_exit_within "$cli1" 4000
assert_eq 0 "$status" "datagram client's status"
echo "datagram client exited $elapsed_ms ms after its input ended" >&2
((elapsed_ms >= 500)) || fail "the client exited $elapsed_ms ms after its input ended, without waiting for replies"
printf '%s\n' "$(hex $'one\n')" "$(hex "$b3000")" "$(hex $'ping\n')" >want1
cmp -s want1 srv1.log || fail "datagrams seen by the server: $(awk '{print length($0)/2 " bytes"}' srv1.log | paste -sd,)"
assert_eq pong "$(cat cli1.out)" "client's output (the server's reply)"
assert_empty cli1.err "client's stderr"

# 2. The generator: one UUID line per datagram; the address form unix-dgram:.
serve srv2 "$T/py2.sock"
timeout 10 "$IPCAT" --uuid --count 3 -uU "$T/py2.sock" </dev/null 2>cli2.err || fail "--uuid -uU exited with status $?"
timeout 10 "$IPCAT" uuid,count=2 unix-dgram:"$T/py2.sock" </dev/null 2>cli3.err || fail "uuid unix-dgram: exited with status $?"
wait_for 5 has_lines srv2.log 5
sleep 0.2
assert_eq 5 "$(line_count srv2.log)" "datagrams from 3 + 2 UUIDs"
while read -r h; do
  python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.argv[1]))' "$h" >one.dgram
  assert_eq 37 "$(stat -c %s one.dgram)" "size of a UUID datagram"
  is_uuid_lines one.dgram || fail "a datagram that is not one UUID line: $(show one.dgram)"
done <srv2.log

# 3. python client -> ipcat listener: the data arrives whole, the listener answers the peer.
open_input lin
"$IPCAT" -v -luU "$T/l.sock" <lin >lst.out 2>lst.err &
lst=$!
wait_listening lst.err
python3 dg.py send cl3 "$T/pyc3.sock" "$T/l.sock" 1 "$(hex aaaaaaaaaa)" "$(hex "$b3000")" "$(hex $'c\nc\nc\n')" 2>cl3.err &
cl3=$!
want3="aaaaaaaaaa${b3000}"$'c\nc\nc\n'
wait_for 5 size_at_least lst.out ${#want3}
sleep 0.2
printf '%s' "$want3" >want3
cmp -s want3 lst.out || fail "the listener wrote $(stat -c %s lst.out) bytes, not the 3 datagrams' ${#want3}"
printf 'reply\n' | send_input lin
wait_exit "$cl3" 10
assert_eq 0 "$status" "python client's status (it got a reply)"
assert_eq "$(hex $'reply\n')" "$(cat cl3.log)" "the reply the python client got"
# Its input ending does not end the listener.
close_input lin
sleep 0.5
still_running "$lst"
kill -TERM "$lst"
wait_exit "$lst" 5
assert_eq 143 "$status" "datagram listener's status after SIGTERM"
[[ ! -e $T/l.sock ]] || fail "the datagram listener left its socket file"

# 4. A relay unix-dgram-listen: -> unix-dgram: keeps boundaries both ways.
serve srv4 "$T/py4.sock"
"$IPCAT" -v unix-dgram-listen:"$T/r.sock" unix-dgram:"$T/py4.sock" >relay.out 2>relay.err &
relay=$!
wait_listening relay.err
python3 dg.py send cl4 "$T/pyc4.sock" "$T/r.sock" 1 "$(hex x)" "$(hex "$b3000")" "$(hex $'yy\n')" "$(hex $'ping\n')" 2>cl4.err &
cl4=$!
wait_exit "$cl4" 10
assert_eq 0 "$status" "python client's status (it got the pong back through the relay)"
assert_eq "$(hex $'pong\n')" "$(cat cl4.log)" "reply through the relay"
printf '%s\n' "$(hex x)" "$(hex "$b3000")" "$(hex $'yy\n')" "$(hex $'ping\n')" >want4
cmp -s want4 srv4.log || fail "datagrams through the relay: $(awk '{print length($0)/2 " bytes"}' srv4.log | paste -sd,)"
assert_empty relay.out "relay's stdout"
kill -TERM "$relay"
wait_exit "$relay" 5
assert_eq 143 "$status" "relay's status after SIGTERM"
