#!/usr/bin/env bash
# Unix datagrams larger than UDP's 65,507 bytes go through a datagram bridge whole (100,000 and
# 200,000 bytes), and a datagram too large for its destination (100,000 bytes into UDP) is
# reported in one line, never cut silently; the bridge goes on with the next one.
source "$(dirname "$0")/common.sh"
need python3

cat >big.py <<'PY'
import hashlib, os, socket, sys
kind = sys.argv[1]
if kind == "recv":        # recv PATH N: bind PATH, log the size and sha256 of N datagrams
    path, n = sys.argv[2], int(sys.argv[3])
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    s.bind(path)
    s.settimeout(10)
    with open(path + ".log", "w", buffering=1) as log:
        for _ in range(n):
            d = s.recv(1 << 20)
            log.write(f"{len(d)} {hashlib.sha256(d).hexdigest()}\n")
elif kind == "udp-recv":  # udp-recv PORTFILE N: log sizes of N UDP datagrams
    pf, n = sys.argv[2], int(sys.argv[3])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    open(pf + ".tmp", "w").write(str(s.getsockname()[1]))
    os.rename(pf + ".tmp", pf)
    s.settimeout(10)
    with open(pf + ".log", "w", buffering=1) as log:
        for _ in range(n):
            log.write(f"{len(s.recv(1 << 17))}\n")
elif kind == "send":      # send PATH SIZE...: one datagram of each size (pattern by size)
    path = sys.argv[2]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
    for size in sys.argv[3:]:
        d = bytes((i * 7 + int(size)) % 251 for i in range(int(size)))
        s.sendto(d, path)
        print(f"{len(d)} {hashlib.sha256(d).hexdigest()}")
PY

python3 big.py recv "$T/b.sock" 2 &
wait_socket "$T/b.sock"
"$IPCAT" "unix-dgram-listen:$T/a.sock" "unix-dgram:$T/b.sock" >bridge.out 2>bridge.err &
bridge=$!
wait_socket "$T/a.sock"
python3 big.py send "$T/a.sock" 100000 200000 >sent.log
wait_for 5 has_lines "$T/b.sock.log" 2
assert_eq "$(cat sent.log)" "$(cat "$T/b.sock.log")" "sizes and digests of the datagrams through the bridge"
kill -TERM "$bridge"
wait_exit "$bridge" 5
assert_empty bridge.err "bridge's stderr"

# Into UDP, 100,000 bytes cannot go as one datagram: one line, and the next one still passes.
python3 big.py udp-recv udp.port 1 &
wait_for 10 test -f udp.port
"$IPCAT" "unix-dgram-listen:$T/c.sock" "udp:127.0.0.1:$(cat udp.port)" >u.out 2>u.err &
bridge=$!
wait_socket "$T/c.sock"
python3 big.py send "$T/c.sock" 100000 1000 >/dev/null
wait_for 5 has_lines udp.port.log 1
assert_eq 1000 "$(cat udp.port.log)" "the datagram after the one too large"
assert_error u.err 'a datagram of 100000 bytes is too large for it; dropped$'
kill -TERM "$bridge"
wait_exit "$bridge" 5
