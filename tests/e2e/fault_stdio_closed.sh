#!/usr/bin/env bash
# Fault injection on ipcat's own stdin and stdout, over Unix and TCP:
# - stdout closed early (`ipcat ... | head -c 10`) while a full-speed stream comes in: a quiet
#   end with status 0, for a client (its input /dev/null or held open), a listener and the
#   generator; the producer on the other side ends with status 1 and one line saying its bytes
#   were not delivered (or 0, when the consumer had taken all it was sent; see producer_end).
# - stdin closed (`ipcat ... <&-`): the same as an empty input; the peer sees EOF at once, and
#   what the peer sends is still received (client and listener).
# - stdout a full device (`> /dev/full`) while data comes in: status 1 and exactly one line,
#   "ipcat: ...: No space left on device" (client and listener); the peer, whose bytes were
#   not all taken, ends with status 1 and one "not delivered" line.
source "$(dirname "$0")/common.sh"
need python3
[[ -c /dev/full ]] || { echo "SKIP: no /dev/full" >&2; exit 77; }

# Bounded runs: ipcat must end by itself; SIGTERM after the bound, SIGKILL 1 s later.
run() { timeout -k 1 "$@"; }

# listen MODE NAME: L for MODE (unix, tcp); start the listener with stderr in NAME.err, then
# `connect MODE NAME` sets C. A Unix listener needs no -v (its stderr stays clean).
# producer_end WHAT FILE: the producer whose consumer stopped ended with status 1 and one
# "not delivered" line, since its bytes were not all taken; or, when the consumer had read all
# that was sent before it stopped and the input had nothing more waiting, with status 0 and
# nothing on stderr (everything it read was delivered).
producer_end() {
  if ((status == 0)); then
    assert_empty "$2" "$1: stderr of a producer that ended with status 0"
  else
    assert_eq 1 "$status" "$1: producer's status"
    assert_error "$2" 'not delivered$'
  fi
}

# errors FILE: FILE without -v's event lines, into FILE.rest.
errors() { grep -vE '^(Listening on|Connection from|Connected to) ' "$1" >"$1.rest" || true; }

# ---------------------------------------------------------------------------------------------
# 1. stdout closed early.

# head10 NAME INPUT ARGS...: `ipcat ARGS <INPUT | head -c 10`; sets $rc (ipcat's status) and
# $took (ms until ipcat ended); head's bytes in NAME.got, ipcat's stderr in NAME.cons.err.
head10() {
  local name=$1 input=$2 start
  shift 2
  start=$(now_ms)
  set +e +o pipefail
  run 10 "$IPCAT" "$@" <"$input" 2>"$name.cons.err" | head -c 10 >"$name.got"
  rc=${PIPESTATUS[0]}
  set -e -o pipefail
  took=$(($(now_ms) - start))
}

open_input held
for mode in unix tcp; do
  for input in /dev/null held; do
    n=head-$mode-${input##*/}
    listen "$mode" "$n"
    "$IPCAT" "${L[@]}" >/dev/null 2>"$n.err" < <(head -c 1G /dev/zero) &
    prod=$!
    connect "$mode" "$n"
    head10 "$n" "$input" "${C[@]}"
    echo "$n: client into head -c 10 ended after $took ms, status $rc"
    assert_eq 0 "$rc" "$n: status of the client whose stdout closed"
    assert_empty "$n.cons.err" "$n: client's stderr"
    assert_eq 10 "$(wc -c <"$n.got")" "$n: bytes head got"
    wait_exit "$prod" 5
    errors "$n.err"
    producer_end "$n: producer once its consumer's stdout closed" "$n.err.rest"

    [[ $mode == tcp || ! -e $T/$n.sock ]] || fail "$n: socket file left"
  done

  # The listener is the consumer whose stdout closes; the client sends 1 GiB.
  n=head-$mode-listener
  listen "$mode" "$n"
  start=$(now_ms)
  {
    set +e +o pipefail
    run 10 "$IPCAT" "${L[@]}" <held 2>"$n.err" | head -c 10 >"$n.got"
    echo "${PIPESTATUS[0]}" >"$n.rc"
  } &
  connect "$mode" "$n"
  "$IPCAT" "${C[@]}" >/dev/null 2>"$n.prod.err" < <(head -c 1G /dev/zero) &
  prod=$!
  wait_for 12 test -s "$n.rc"
  echo "$n: listener into head -c 10 ended after $(($(now_ms) - start)) ms, status $(cat "$n.rc")"
  assert_eq 0 "$(cat "$n.rc")" "$n: status of the listener whose stdout closed"
  errors "$n.err"
  assert_empty "$n.err.rest" "$n: listener's stderr"
  assert_eq 10 "$(wc -c <"$n.got")" "$n: bytes head got"
  wait_exit "$prod" 5
  producer_end "$n: producer once its consumer's stdout closed" "$n.prod.err"

  [[ $mode == tcp || ! -e $T/$n.sock ]] || fail "$n: socket file left"
done

head10 gen /dev/null --uuid
assert_eq 0 "$rc" "status of ipcat --uuid | head -c 10"
assert_empty gen.cons.err "stderr of ipcat --uuid | head -c 10"
close_input held

# ---------------------------------------------------------------------------------------------
# 2. stdout is /dev/full while a stream comes in.
for mode in unix tcp; do
  n=full-$mode-client
  listen "$mode" "$n"
  "$IPCAT" "${L[@]}" >/dev/null 2>"$n.err" < <(head -c 1G /dev/zero) &
  prod=$!
  connect "$mode" "$n"
  rc=0
  run 10 "$IPCAT" "${C[@]}" </dev/null >/dev/full 2>"$n.cons.err" || rc=$?
  assert_eq 1 "$rc" "$n: status of \`ipcat ${C[*]} >/dev/full\`"
  assert_error "$n.cons.err" 'No space left on device'
  wait_exit "$prod" 5
  errors "$n.err"
  producer_end "$n: producer once its consumer failed" "$n.err.rest"


  n=full-$mode-listener
  listen "$mode" "$n"
  run 10 "$IPCAT" "${L[@]}" </dev/null >/dev/full 2>"$n.err" &
  lst=$!
  connect "$mode" "$n"
  "$IPCAT" "${C[@]}" >/dev/null 2>"$n.prod.err" < <(head -c 1G /dev/zero) &
  prod=$!
  wait_exit "$lst" 10
  assert_eq 1 "$status" "$n: status of \`ipcat ${L[*]} >/dev/full\`"
  errors "$n.err"
  assert_error "$n.err.rest" 'No space left on device'
  [[ $mode == tcp || ! -e $T/$n.sock ]] || fail "$n: socket file left"
  wait_exit "$prod" 5
  producer_end "$n: producer once its consumer failed" "$n.prod.err"

done

# ---------------------------------------------------------------------------------------------
# 3. stdin closed. peer.py MODE ROLE NAME: a Unix (path $T/NAME.sock) or TCP (127.0.0.1, port
# written to $T/NAME.port) peer. ROLE server: accept one client, read until EOF (5 s bound),
# log "EOF after N bytes" (or "no EOF") in $T/NAME.log, then send "reply after eof\n" and close.
# ROLE client: connect (port or path in argv[4]), send "hello\n" without half-closing, read
# until EOF (5 s bound), log "EOF after N bytes: DATA" (or "no EOF"), then close.
cat >peer.py <<'PY'
import os, socket, sys
mode, role, name = sys.argv[1:4]
t = os.environ["T"]
log = open(f"{t}/{name}.log", "w")
def read_to_eof(c):
    c.settimeout(5)
    data = b""
    try:
        while True:
            b = c.recv(65536)
            if not b:
                return data, True
            data += b
    except (socket.timeout, ConnectionError):
        return data, False
if role == "server":
    if mode == "unix":
        s = socket.socket(socket.AF_UNIX)
        s.bind(f"{t}/{name}.sock")
    else:
        s = socket.socket(socket.AF_INET)
        s.bind(("127.0.0.1", 0))
    s.listen(1)
    with open(f"{t}/{name}.port.tmp", "w") as f:
        f.write(str(s.getsockname()[1]) if mode == "tcp" else "unix")
    os.rename(f"{t}/{name}.port.tmp", f"{t}/{name}.port")
    s.settimeout(10)
    c, _ = s.accept()
    data, eof = read_to_eof(c)
    log.write(f"EOF after {len(data)} bytes\n" if eof else "no EOF\n")
    log.flush()
    c.sendall(b"reply after eof\n")
    c.close()
else:
    if mode == "unix":
        c = socket.socket(socket.AF_UNIX)
        c.connect(sys.argv[4])
    else:
        c = socket.socket(socket.AF_INET)
        c.connect(("127.0.0.1", int(sys.argv[4])))
    c.sendall(b"hello\n")
    data, eof = read_to_eof(c)
    log.write(f"EOF after {len(data)} bytes: {data!r}\n" if eof else "no EOF\n")
    log.flush()
    c.close()
PY

for mode in unix tcp; do
  # A client with its stdin closed.
  n=stdin-$mode-client
  python3 peer.py "$mode" server "$n" 2>"$n.peer.err" &
  peer=$!
  wait_for 10 test -f "$n.port"
  if [[ $mode == unix ]]; then C=(-U "$T/$n.sock"); else C=(127.0.0.1 "$(cat "$n.port")"); fi
  rc=0
  run 5 "$IPCAT" "${C[@]}" <&- >"$n.out" 2>"$n.err" || rc=$?
  wait_exit "$peer" 5
  [[ $(cat "$n.log") == "EOF after 0 bytes" ]] ||
    fail "$n: \`ipcat ${C[*]} <&-\` should send EOF at once; the server saw '$(cat "$n.log")' in 5 s; ipcat's status $rc (124: still running after 5 s; 137: it ignored SIGTERM too)"
  assert_eq 0 "$rc" "$n: status of \`ipcat ${C[*]} <&-\`"
  assert_eq "reply after eof" "$(cat "$n.out")" "$n: what \`ipcat ${C[*]} <&-\` received"
  assert_empty "$n.err" "$n: stderr of \`ipcat ${C[*]} <&-\`"

  # A listener with its stdin closed.
  n=stdin-$mode-listener
  listen "$mode" "$n"
  run 8 "$IPCAT" "${L[@]}" <&- >"$n.out" 2>"$n.err" &
  lst=$!
  connect "$mode" "$n"
  if [[ $mode == unix ]]; then where=$T/$n.sock; else where=${C[1]}; fi
  python3 peer.py "$mode" client "$n" "$where" 2>"$n.peer.err" &
  peer=$!
  wait_exit "$peer" 8
  [[ $(cat "$n.log") == "EOF after 0 bytes: b''" ]] ||
    fail "$n: \`ipcat ${L[*]} <&-\` should send EOF at once; the client saw '$(cat "$n.log")' in 5 s (stdout so far: $(show "$n.out"))"
  wait_exit "$lst" 10
  assert_eq 0 "$status" "$n: status of \`ipcat ${L[*]} <&-\`"
  assert_eq hello "$(cat "$n.out")" "$n: what \`ipcat ${L[*]} <&-\` received"
  errors "$n.err"
  assert_empty "$n.err.rest" "$n: stderr of \`ipcat ${L[*]} <&-\`"
done
