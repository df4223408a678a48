#!/usr/bin/env bash
# nc.openbsd's socket flags reach the sockets: -T (TOS / traffic class) and -M (TTL / hop
# limit) show in the datagrams a python peer receives (IP_RECVTOS, IP_RECVTTL), on a client
# and on a listener; -I/-O (SO_RCVBUF/SO_SNDBUF) in `ss -tm` on both ends of a TCP connection;
# -b allows a broadcast destination. Bad values are usage errors.
source "$(dirname "$0")/common.sh"
need python3 ss

# A UDP peer that reports "TOS TTL" of the first datagram it gets, and answers "pong".
cat >peer.py <<'PY'
import os, socket, sys
fam = socket.AF_INET6 if sys.argv[1] == "6" else socket.AF_INET
host = "::1" if fam == socket.AF_INET6 else "127.0.0.1"
s = socket.socket(fam, socket.SOCK_DGRAM)
if fam == socket.AF_INET6:
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVTCLASS, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVHOPLIMIT, 1)
else:
    s.setsockopt(socket.IPPROTO_IP, socket.IP_RECVTOS, 1)
    s.setsockopt(socket.IPPROTO_IP, getattr(socket, "IP_RECVTTL", 12), 1)
s.settimeout(10)
if len(sys.argv) > 2:  # talk first to a listener, then read its reply
    s.sendto(b"ping\n", (host, int(sys.argv[2])))
else:
    s.bind((host, 0))
    with open(os.environ["T"] + "/peer.port.tmp", "w") as f:
        f.write(str(s.getsockname()[1]))
    os.rename(os.environ["T"] + "/peer.port.tmp", os.environ["T"] + "/peer.port")
data, anc, _, addr = s.recvmsg(100, 256)
vals = {}
for level, kind, raw in anc:
    vals[kind] = raw[0] if len(raw) == 1 else int.from_bytes(raw[:4], sys.byteorder)
tos = vals.get(socket.IPV6_TCLASS if fam == socket.AF_INET6 else socket.IP_TOS, -1)
ttl = vals.get(socket.IPV6_HOPLIMIT if fam == socket.AF_INET6 else socket.IP_TTL, -1)
print(tos, ttl)
if len(sys.argv) == 2:
    s.sendto(b"pong\n", addr)
PY

# Client: -T lowdelay (0x10 = 16) -M 7.
rm -f peer.port
python3 peer.py 4 >c4.out &
peer=$!
wait_for 10 test -f peer.port
echo ping | timeout 10 "$IPCAT" -u -q 0.5 -T lowdelay -M 7 127.0.0.1 "$(cat peer.port)" >/dev/null ||
  fail "UDP client with -T -M: status $?"
wait_exit "$peer" 10
assert_eq "16 7" "$(cat c4.out)" "TOS and TTL of the client's datagram (-T lowdelay -M 7)"

# Listener: -T af21 (0x48 = 72) -M 9 on its answer.
"$IPCAT" -v -u -l 127.0.0.1 0 -T af21 -M 9 -c 'head -1' 2>l4.err >/dev/null &
lst=$!
port=$(listen_port l4.err)
timeout 10 python3 peer.py 4 "$port" >l4.out || fail "python peer of the UDP listener: status $?"
assert_eq "72 9" "$(cat l4.out)" "TOS and TTL of the listener's reply (-T af21 -M 9)"
kill "$lst" 2>/dev/null || true

# IPv6: the traffic class and the hop limit (a number in hex for -T).
if python3 -c 'import socket; socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).bind(("::1", 0))' 2>/dev/null; then
  rm -f peer.port
  python3 peer.py 6 >c6.out &
  peer=$!
  wait_for 10 test -f peer.port
  echo ping | timeout 10 "$IPCAT" -6 -u -q 0.5 -T 0x28 -M 3 ::1 "$(cat peer.port)" >/dev/null ||
    fail "UDP IPv6 client with -T -M: status $?"
  wait_exit "$peer" 10
  assert_eq "40 3" "$(cat c6.out)" "traffic class and hop limit of the IPv6 datagram (-T 0x28 -M 3)"
fi

# -I/-O on both ends of a TCP connection: the kernel doubles what was asked (rb/tb in ss -tm).
"$IPCAT" -v -l 127.0.0.1 0 -I 65536 -O 131072 </dev/null >/dev/null 2>t.err &
lst=$!
port=$(listen_port t.err)
open_input cin
"$IPCAT" -I 32768 -O 49152 127.0.0.1 "$port" <"$T/cin" >/dev/null 2>c.err &
cli=$!
wait_for 10 grep -q '^Connection from ' t.err
ss -Htnm "( sport = :$port or dport = :$port )" >ss.out
grep -qE "rb65536,t0,tb98304" ss.out || fail "client's buffers (rb65536 tb98304) not in: $(show ss.out)"
grep -qE "rb131072,t0,tb262144" ss.out || fail "listener's buffers (rb131072 tb262144) not in: $(show ss.out)"
close_input cin
wait_exit "$cli" 5
wait_exit "$lst" 5

# -b: a broadcast destination needs SO_BROADCAST.
expect_status 1 "$IPCAT" -u 127.255.255.255 9 </dev/null 2>b1.err
assert_error b1.err 'Permission denied'
echo x | expect_status 0 "$IPCAT" -u -b -q 0 127.255.255.255 9 2>b2.err
assert_empty b2.err "stderr of -b"

# Usage errors: bad values, flags with nothing to apply to.
for args in "-T bogus 127.0.0.1 1" "-T 256 127.0.0.1 1" "-M 0 127.0.0.1 1" "-I 0 127.0.0.1 1" \
  "-O x 127.0.0.1 1" "-b 127.0.0.1 1" "-T ef -U $T/none.sock"; do
  # shellcheck disable=SC2086
  expect_status 2 "$IPCAT" $args </dev/null 2>u.err
  assert_usage_error u.err
done
