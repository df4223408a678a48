#!/usr/bin/env bash
# Unix datagram sockets in the abstract namespace: an ipcat listener on @NAME takes datagrams
# from a python3 peer and answers it; an ipcat client sends to a python3 peer bound to @NAME,
# one datagram per input chunk, and gets its reply. No file is created.
source "$(dirname "$0")/common.sh"
need python3

name=ipcat-e2e-dg-$$-$RANDOM
cat >peer.py <<'PY'
import os, socket, sys, time
mode, own, target = sys.argv[1:4]
t = os.environ["T"]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + own)
log = open(f"{t}/{mode}.log", "a")
if mode == "serve":
    open(f"{t}/serve.ready", "w").close()
    while True:
        data, peer = s.recvfrom(70000)
        log.write(data.hex() + "\n"); log.flush()
        if data == b"ping\n":
            s.sendto(b"pong\n", peer)
else:
    for m in (b"first\n", b"2" * 2000, b"third\n"):
        s.sendto(m, "\0" + target)
        time.sleep(0.1)
    s.settimeout(5)
    data = s.recv(70000)
    log.write(data.hex() + "\n"); log.flush()
PY

# 1. ipcat listener on @NAME; a python peer (itself abstract) sends 3 datagrams and waits for a reply.
open_input lin
"$IPCAT" -v -luU "@$name" <lin >lst.out 2>lst.err &
lst=$!
wait_listening lst.err
assert_eq "Listening on unix:@$name" "$(head -n 1 lst.err)" "listener's -v line"
python3 peer.py send "$name-peer" "$name" 2>send.err &
peer=$!
want=$'first\n'"$(head -c 2000 /dev/zero | tr '\0' 2)"$'third\n'
printf '%s' "$want" >want
wait_for 5 size_at_least lst.out "$(stat -c %s want)"
sleep 0.2
cmp -s want lst.out || fail "the listener wrote $(stat -c %s lst.out) bytes, not the 3 datagrams' $(stat -c %s want)"
printf 'answer\n' | send_input lin
wait_exit "$peer" 10
assert_eq 0 "$status" "python peer's status (it got a reply)"
assert_eq "$(hex $'answer\n')" "$(cat send.log)" "reply the python peer got"
kill -TERM "$lst"
wait_exit "$lst" 5
assert_eq 143 "$status" "listener's status after SIGTERM"
close_input lin

# 2. ipcat client to a python peer bound to @NAME-srv: boundaries kept, the reply comes back.
python3 peer.py serve "$name-srv" - 2>serve.err &
wait_for 5 test -f serve.ready
open_input cin
"$IPCAT" -uU "@$name-srv" <cin >cli.out 2>cli.err &
cli=$!
printf 'x\n' | send_input cin
wait_for 5 has_lines serve.log 1
head -c 3000 /dev/zero | tr '\0' y | send_input cin
wait_for 5 has_lines serve.log 2
printf 'ping\n' | send_input cin
wait_for 5 grep -qx pong cli.out
close_input cin
wait_exit "$cli" 5
assert_eq 0 "$status" "datagram client's status"
printf '%s\n' "$(hex $'x\n')" "$(hex "$(head -c 3000 /dev/zero | tr '\0' y)")" "$(hex $'ping\n')" >want.log
cmp -s want.log serve.log || fail "datagrams the peer saw: $(awk '{print length($0)/2 " bytes"}' serve.log | paste -sd,)"
assert_empty cli.err "client's stderr"

# 3. The address forms, ipcat on both ends: unix-dgram-listen:@NAME and unix-dgram:@NAME.
open_input lin3
"$IPCAT" -v - unix-dgram-listen:"@$name-3" <lin3 >l3.out 2>l3.err &
l3=$!
wait_listening l3.err
open_input cin3
"$IPCAT" - unix-dgram:"@$name-3" <cin3 >c3.out 2>c3.err &
c3=$!
printf 'hello listener\n' | send_input cin3
wait_for 5 grep -qx 'hello listener' l3.out
printf 'hello client\n' | send_input lin3
wait_for 5 grep -qx 'hello client' c3.out
close_input cin3
wait_exit "$c3" 5
assert_eq 0 "$status" "address-form datagram client's status"
kill -TERM "$l3"
wait_exit "$l3" 5
assert_eq 143 "$status" "address-form datagram listener's status after SIGTERM"
close_input lin3

found=$(find "$T" -name "*$name*" -printf '%P\n')
assert_eq "" "$found" "files named after the abstract sockets"
