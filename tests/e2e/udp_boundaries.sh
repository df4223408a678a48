#!/usr/bin/env bash
# UDP keeps boundaries: each chunk read from stdin is one datagram, the UUID generator sends one
# line a datagram, and a received datagram (up to 60,000 bytes) is written out whole.
source "$(dirname "$0")/common.sh"
need python3
peer=$(udp_peer_script)

python3 "$peer" sink &
wait_for 10 test -f sink.port
port=$(cat sink.port)

# A line source: 5 UUIDs, 5 datagrams of 37 bytes.
timeout 10 "$IPCAT" --uuid --count 5 -u 127.0.0.1 "$port" >u.out 2>u.err || fail "uuid client exited with status $?"
assert_empty u.err "uuid client's stderr"
wait_for 5 has_lines sink.log 5
assert_eq 5 "$(line_count sink.log)" "datagrams for 5 UUIDs"
while read -r h; do
  line=$(python3 -c 'import sys; print(bytes.fromhex(sys.argv[1]).decode(), end="")' "$h")
  [[ ${#h} -eq 74 && $line =~ ^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$ ]] ||
    fail "datagram is not one UUID line: $h"
done <sink.log

# Chunks written one at a time to stdin (a pipe), each after the previous one arrived.
open_input in
"$IPCAT" -u 127.0.0.1 "$port" <in >c.out 2>c.err &
cli=$!
before=$(line_count sink.log)
printf 'ping\n' | send_input in
wait_for 5 has_lines sink.log $((before + 1))
printf 'second chunk\n' | send_input in
wait_for 5 has_lines sink.log $((before + 2))
head -c 4000 /dev/zero | tr '\0' x | send_input in
wait_for 5 has_lines sink.log $((before + 3))
assert_eq "$(hex $'ping\n')" "$(sed -n "$((before + 1))p" sink.log)" "first datagram"
assert_eq "$(hex $'second chunk\n')" "$(sed -n "$((before + 2))p" sink.log)" "second datagram"
assert_eq "$(hex "$(head -c 4000 /dev/zero | tr '\0' x)")" "$(sed -n "$((before + 3))p" sink.log)" "third datagram (4000 bytes)"
# The answer to the ping came back to the client's stdout.
wait_for 5 grep -qx pong c.out
close_input in
wait_exit "$cli" 5
assert_eq 0 "$status" "client's status after its input ended"
assert_empty c.err "client's stderr"

# A listener writes each datagram whole: 3 bytes, then 60,000 bytes.
"$IPCAT" -v -u -l 127.0.0.1 0 </dev/null >l.out 2>l.err &
lst=$!
lport=$(listen_port l.err)
grep -qxE 'Listening on udp:127\.0\.0\.1:[0-9]+' l.err || fail "-v line: $(show l.err)"
python3 - "$lport" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"abc", ("127.0.0.1", int(sys.argv[1])))
s.sendto(bytes(i % 251 for i in range(60000)), ("127.0.0.1", int(sys.argv[1])))
PY
python3 -c 'import sys; sys.stdout.buffer.write(b"abc" + bytes(i % 251 for i in range(60000)))' >want.bin
wait_for 5 size_at_least l.out 60003
assert_same_file want.bin l.out
kill -TERM "$lst"
wait_exit "$lst" 5
assert_eq 143 "$status" "UDP listener's status after SIGTERM"
