#!/usr/bin/env bash
# An empty datagram is an empty datagram, not the end of the stream: 10, 0 and 20 bytes sent to a
# UDP listener, a Unix datagram listener and a UDP client waiting for replies deliver 30 bytes,
# and a datagram bridge passes the empty one on as an empty datagram.
source "$(dirname "$0")/common.sh"
need python3

cat >dg.py <<'PY'
import socket, sys, time
kind, target = sys.argv[1], sys.argv[2]
if kind == "udp-send":          # send 10, 0, 20 bytes to 127.0.0.1:PORT
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for n in (10, 0, 20):
        s.sendto(b"x" * n, ("127.0.0.1", int(target)))
        time.sleep(0.1)
elif kind == "unix-send":       # the same to a Unix datagram socket
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    for n in (10, 0, 20):
        s.sendto(b"x" * n, target)
        time.sleep(0.1)
elif kind == "udp-replier":     # answer the first datagram with 10, 0, 20 bytes; port in FILE
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    open(target + ".tmp", "w").write(str(s.getsockname()[1]))
    import os; os.rename(target + ".tmp", target)
    s.settimeout(10)
    _, peer = s.recvfrom(65536)
    for n in (10, 0, 20):
        s.sendto(b"y" * n, peer)
        time.sleep(0.1)
elif kind == "udp-sizes":       # log the size of each datagram received (3 at most)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    open(target + ".tmp", "w").write(str(s.getsockname()[1]))
    import os; os.rename(target + ".tmp", target)
    s.settimeout(10)
    with open(target + ".sizes", "w", buffering=1) as log:
        for _ in range(3):
            log.write(f"{len(s.recv(65536))}\n")
PY

# stop_listener PID NAME: SIGTERM, then its output must be the 30 bytes.
stop_and_check() {
  local pid=$1 name=$2
  wait_for 5 size_at_least "$name.out" 30
  sleep 0.2
  kill -TERM "$pid"
  wait_exit "$pid" 5
  assert_eq 143 "$status" "$name: status after SIGTERM (it was still listening)"
  assert_eq 30 "$(wc -c <"$name.out")" "$name: bytes received from 10, 0 and 20"
}

"$IPCAT" -v -ul 127.0.0.1 0 >udp.out 2>udp.err &
lst=$!
port=$(listen_port udp.err)
python3 dg.py udp-send "$port"
stop_and_check "$lst" udp

"$IPCAT" -lUu "$T/d.sock" >unix.out 2>unix.err &
lst=$!
wait_socket "$T/d.sock"
python3 dg.py unix-send "$T/d.sock"
stop_and_check "$lst" unix

# A UDP client whose input stays open: the replies after the empty one still arrive.
python3 dg.py udp-replier replier.port &
wait_for 10 test -f replier.port
{ echo hi; sleep 3; } | timeout 10 "$IPCAT" -u 127.0.0.1 "$(cat replier.port)" >client.out 2>client.err &
cli=$!
wait_for 5 size_at_least client.out 30
assert_eq "$(printf 'y%.0s' $(seq 30))" "$(cat client.out)" "client: the replies of 10, 0 and 20 bytes"
wait_exit "$cli" 8
assert_eq 0 "$status" "client's status"

# A bridge from UDP to UDP passes the empty datagram on.
python3 dg.py udp-sizes sink.port &
wait_for 10 test -f sink.port
"$IPCAT" -v udp-listen:127.0.0.1:0 "udp:127.0.0.1:$(cat sink.port)" >bridge.out 2>bridge.err &
bridge=$!
bport=$(listen_port bridge.err)
python3 dg.py udp-send "$bport"
wait_for 5 has_lines sink.port.sizes 3
assert_eq "10 0 20" "$(tr '\n' ' ' <sink.port.sizes | sed 's/ $//')" "datagram sizes through the bridge"
kill -TERM "$bridge"
wait_exit "$bridge" 5
