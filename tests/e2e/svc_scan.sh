#!/usr/bin/env bash
# -z scans ports, ranges and lists in parallel and reports them as nc.openbsd does: with -v a
# line per port in port order ("Connection to HOST PORT port [tcp/SERVICE] succeeded!",
# "ipcat: connect to HOST port PORT (tcp) failed: Connection refused"); status 0 when a port is
# open, 1 when none is. -z -u probes UDP (an ICMP port unreachable means closed). -n refuses
# names.
source "$(dirname "$0")/common.sh"
need python3

# A run of 50 free ports on 127.0.0.1 (checked by binding them), with ipcat listening on three.
python3 - >base <<'PY'
import random, socket
for _ in range(200):
    base = random.randrange(20000, 32000)
    socks = []
    try:
        for p in range(base, base + 50):
            s = socket.socket()
            s.bind(("127.0.0.1", p))
            socks.append(s)
    except OSError:
        continue
    finally:
        for s in socks:
            s.close()
    print(base)
    break
PY
base=$(cat base)
[[ -n $base ]] || fail "found no run of 50 free ports"
open_ports=($((base + 3)) $((base + 17)) $((base + 44)))
for p in "${open_ports[@]}"; do
  "$IPCAT" -v -lk 127.0.0.1 "$p" </dev/null >/dev/null 2>"l$p.err" &
done
for p in "${open_ports[@]}"; do
  wait_for 10 grep -q '^Listening on ' "l$p.err"
done
start=$(now_ms)
rc=0
timeout 20 "$IPCAT" -zv -w 5 127.0.0.1 "$base-$((base + 49))" </dev/null >scan.out 2>scan.err || rc=$?
echo "scan of 50 ports: $(($(now_ms) - start)) ms" >&2
assert_eq 0 "$rc" "status of a scan that finds open ports"
assert_empty scan.out "stdout of -z"
assert_eq 50 "$(wc -l <scan.err)" "lines of -zv for 50 ports"
service() { python3 -c 'import socket, sys
try:
    print(socket.getservbyport(int(sys.argv[1]), "tcp"))
except OSError:
    print("*")' "$1"; }
want=()
for ((p = base; p < base + 50; p++)); do
  if [[ " ${open_ports[*]} " == *" $p "* ]]; then
    want+=("Connection to 127.0.0.1 $p port [tcp/$(service "$p")] succeeded!")
  else
    want+=("ipcat: connect to 127.0.0.1 port $p (tcp) failed: Connection refused")
  fi
done
printf '%s\n' "${want[@]}" >want.err
diff want.err scan.err >&2 || fail "the -zv lines differ from nc.openbsd's (want.err vs scan.err above)"

# A list with a name: localhost is shown with its address, as nc.openbsd does.
timeout 10 "$IPCAT" -zv -4 localhost "$((base + 2)),${open_ports[0]}" </dev/null 2>list.err ||
  fail "status $? of a list scan with one open port"
assert_eq "ipcat: connect to localhost (127.0.0.1) port $((base + 2)) (tcp) failed: Connection refused" \
  "$(sed -n 1p list.err)" "first line of the list scan"
[[ $(sed -n 2p list.err) == "Connection to localhost (127.0.0.1) ${open_ports[0]} port [tcp/"*"] succeeded!" ]] ||
  fail "second line of the list scan: $(show list.err)"

# Without -v: nothing on stderr, the status tells; a closed port alone is status 1.
expect_status 1 "$IPCAT" -z 127.0.0.1 "$((base + 1))" </dev/null 2>quiet.err
assert_empty quiet.err "stderr of -z without -v"

# A thousand ports finish in a bounded time (64 probes at a time); the time is printed.
start=$(now_ms)
rc=0
timeout 60 "$IPCAT" -zv -w 2 127.0.0.1 1-1000 </dev/null 2>many.err || rc=$?
took=$(($(now_ms) - start))
echo "scan of 1000 ports on 127.0.0.1: $took ms (status $rc)" >&2
((rc == 0 || rc == 1)) || fail "status $rc of the 1000-port scan"
assert_eq 1000 "$(wc -l <many.err)" "lines of -zv for 1000 ports"
((took < 30000)) || fail "1000 ports took $took ms"

# UDP: a bound socket answers nothing (open), a closed port sends ICMP port unreachable.
python3 - <<'PY' &
import os, socket, time
t = os.environ["T"]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
c.bind(("127.0.0.1", 0))
closed = c.getsockname()[1]
c.close()
with open(t + "/udp.tmp", "w") as f:
    f.write(f"{s.getsockname()[1]} {closed}\n")
os.rename(t + "/udp.tmp", t + "/udp.ports")
time.sleep(30)
PY
wait_for 10 test -f udp.ports
read -r uopen uclosed <udp.ports
timeout 10 "$IPCAT" -zvu 127.0.0.1 "$uopen" </dev/null 2>u1.err || fail "status $? of -zu on a bound UDP port"
grep -qE "^Connection to 127\.0\.0\.1 $uopen port \[udp/[^]]+\] succeeded!$" u1.err ||
  fail "-zvu line for an open UDP port: $(show u1.err)"
expect_status 1 "$IPCAT" -zvu 127.0.0.1 "$uclosed" </dev/null 2>u2.err
assert_empty u2.err "-zvu on a closed UDP port (nc.openbsd prints nothing)"
timeout 10 "$IPCAT" -zvu 127.0.0.1 "$uclosed,$uopen" </dev/null 2>u3.err || fail "status $? of a UDP list with an open port"
assert_eq 1 "$(wc -l <u3.err)" "lines of a UDP list scan with one open port"

# -n: a name is an error (one line, status 1), a numeric address is fine.
expect_status 1 "$IPCAT" -n -z localhost "${open_ports[0]}" </dev/null 2>n1.err
assert_error n1.err 'numeric'
expect_status 1 "$IPCAT" -n localhost "${open_ports[0]}" </dev/null 2>n2.err
assert_error n2.err 'numeric'
expect_status 0 "$IPCAT" -n -z 127.0.0.1 "${open_ports[0]}" </dev/null

# A bad list is a usage error.
expect_status 2 "$IPCAT" -z 127.0.0.1 30-20 </dev/null 2>bad.err
assert_usage_error bad.err
