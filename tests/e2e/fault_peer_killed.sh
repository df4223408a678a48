#!/usr/bin/env bash
# Fault injection: one peer of a full-speed stream is killed with SIGKILL mid-stream. The
# survivor ends within about 1 s (bound: 2 s) with status 0 or 1 and at most one stderr line
# ("ipcat: ..."), never hangs and never dies of a signal; a Unix listener that survives removes
# its socket file. Over Unix and TCP, with the producer as the listener and as the client, the
# consumer killed and the producer killed; the producer is `head -c 1G /dev/zero | ipcat` or
# the UUID generator; the surviving consumer's input is /dev/null, a held-open pipe (Unix: the
# peer's full close is seen) or a terminal (TCP: the network side ending ends it).
source "$(dirname "$0")/common.sh"
need python3

# count.py NAME: read stdin to EOF, keeping the byte count in NAME.count (updated every 50 ms);
# at EOF, the total goes to NAME.eof too.
cat >count.py <<'PY'
import os, sys, time
name = sys.argv[1]
out = name + ".count"
n = 0
last = 0.0
buf = bytearray(1 << 20)
def save():
    with open(out + ".tmp", "w") as f:
        f.write(str(n))
    os.rename(out + ".tmp", out)
save()
while True:
    k = os.readv(0, [buf])
    if k == 0:
        break
    n += k
    now = time.monotonic()
    if now - last > 0.05:
        save()
        last = now
save()
with open(name + ".eof", "w") as f:
    f.write(str(n))
PY

# counted_at_least NAME BYTES: the counter NAME has seen at least BYTES (for wait_for).
# shellcheck disable=SC2317 # called through wait_for
counted_at_least() { [[ -f $1.count ]] && (($(cat "$1.count") >= $2)); }

# counter NAME: start a counter reading the FIFO $T/NAME.fifo (whoever writes there is counted).
counter() {
  mkfifo "$T/$1.fifo"
  python3 count.py "$T/$1" <"$T/$1.fifo" &
}

# listen MODE NAME: set L (listen arguments) for MODE (unix or tcp); after starting the listener
# with -v and stderr in NAME.err, `connect MODE NAME` sets C (connect arguments).
listen() {
  case $1 in
    unix) L=(-lU "$T/$2.sock") ;;
    tcp) L=(-l 127.0.0.1 0) ;;
  esac
}
connect() {
  case $1 in
    unix) wait_listening "$2.err"; C=(-U "$T/$2.sock") ;;
    tcp) C=(127.0.0.1 "$(listen_port "$2.err")") ;;
  esac
}

# kill9 PID: SIGKILL and reap (bash's "Killed" note goes nowhere).
kill9() {
  kill -KILL "$1"
  wait "$1" 2>/dev/null || true
}

# survivor PID ERRFILE WHAT [SOCKET]: PID ends within 2 s with status 0 or 1 and at most one
# stderr line besides -v's events, an "ipcat: " line; SOCKET (a Unix listener's) is removed.
survivor() {
  local pid=$1 err=$2 what=$3 sock=${4:-}
  wait_exit_within "$pid" 2000
  echo "$what: survivor ended after ${elapsed_ms} ms with status $status"
  ((status == 0 || status == 1)) || fail "$what: survivor's status $status (expected 0 or 1)"
  grep -vE '^(Listening on|Connection from|Connected to) ' "$err" >"$err.rest" || true
  (($(wc -l <"$err.rest") <= 1)) || fail "$what: more than one stderr line: $(show "$err.rest")"
  if [[ -s $err.rest ]]; then
    assert_error "$err.rest"
  fi
  if [[ -n $sock ]]; then
    [[ ! -e $sock ]] || fail "$what: the surviving listener left its socket file $sock"
  fi
}

MiB=$((1024 * 1024))
for mode in unix tcp; do
  sockfile() { if [[ $mode == unix ]]; then echo "$T/$1.sock"; fi; }

  # 1. Producer listens (1 GiB of zeros), consumer connects; the consumer is killed.
  n=$mode-lp-kc
  listen "$mode" "$n"
  "$IPCAT" -v "${L[@]}" >/dev/null 2>"$n.err" < <(head -c 1G /dev/zero) &
  prod=$!
  connect "$mode" "$n"
  counter "$n"
  "$IPCAT" "${C[@]}" </dev/null >"$n.fifo" 2>"$n.cons.err" &
  cons=$!
  wait_for 10 counted_at_least "$n" $((32 * MiB))
  kill9 "$cons"
  survivor "$prod" "$n.err" "$n (listening producer, consumer killed)" "$(sockfile "$n")"

  # 2. Producer listens, consumer connects; the producer is killed.
  n=$mode-lp-kp
  listen "$mode" "$n"
  "$IPCAT" -v "${L[@]}" >/dev/null 2>"$n.err" < <(head -c 1G /dev/zero) &
  prod=$!
  connect "$mode" "$n"
  counter "$n"
  "$IPCAT" "${C[@]}" </dev/null >"$n.fifo" 2>"$n.cons.err" &
  cons=$!
  wait_for 10 counted_at_least "$n" $((32 * MiB))
  kill9 "$prod"
  survivor "$cons" "$n.cons.err" "$n (listening producer killed, consumer)"
  wait_for 5 test -f "$n.eof"
  (($(cat "$n.eof") >= 32 * MiB)) || fail "$n: the consumer delivered only $(cat "$n.eof") bytes"

  # 3. Consumer listens, producer connects; the producer is killed.
  n=$mode-lc-kp
  listen "$mode" "$n"
  counter "$n"
  "$IPCAT" -v "${L[@]}" </dev/null >"$n.fifo" 2>"$n.err" &
  cons=$!
  connect "$mode" "$n"
  "$IPCAT" "${C[@]}" >/dev/null 2>"$n.prod.err" < <(head -c 1G /dev/zero) &
  prod=$!
  wait_for 10 counted_at_least "$n" $((32 * MiB))
  kill9 "$prod"
  survivor "$cons" "$n.err" "$n (listening consumer, producer killed)" "$(sockfile "$n")"
  wait_for 5 test -f "$n.eof"

  # 4. Consumer listens, producer connects; the consumer is killed.
  n=$mode-lc-kc
  listen "$mode" "$n"
  counter "$n"
  "$IPCAT" -v "${L[@]}" </dev/null >"$n.fifo" 2>"$n.err" &
  cons=$!
  connect "$mode" "$n"
  "$IPCAT" "${C[@]}" >/dev/null 2>"$n.prod.err" < <(head -c 1G /dev/zero) &
  prod=$!
  wait_for 10 counted_at_least "$n" $((32 * MiB))
  kill9 "$cons"
  survivor "$prod" "$n.prod.err" "$n (listening consumer killed, producer)"

  # 5. The UUID generator at full speed listens; the consumer is killed.
  n=$mode-gen-kc
  listen "$mode" "$n"
  "$IPCAT" -v --uuid "${L[@]}" >/dev/null 2>"$n.err" &
  prod=$!
  connect "$mode" "$n"
  counter "$n"
  "$IPCAT" "${C[@]}" </dev/null >"$n.fifo" 2>"$n.cons.err" &
  cons=$!
  wait_for 10 counted_at_least "$n" $((32 * MiB))
  kill9 "$cons"
  survivor "$prod" "$n.err" "$n (generator, consumer killed)" "$(sockfile "$n")"

  # 6. The generator is killed; the consumer's input is still open: a held-open pipe over Unix
  # (the peer's full close ends it), a terminal over TCP (the network side ending ends it).
  n=$mode-gen-kp
  listen "$mode" "$n"
  "$IPCAT" -v --uuid "${L[@]}" >/dev/null 2>"$n.err" &
  prod=$!
  connect "$mode" "$n"
  counter "$n"
  if [[ $mode == unix ]]; then
    open_input "$n.in"
    "$IPCAT" "${C[@]}" <"$n.in" >"$n.fifo" 2>"$n.cons.err" &
  else
    python3 "$(pty_runner)" "$IPCAT" "${C[@]}" >"$n.fifo" 2>"$n.cons.err" &
  fi
  cons=$!
  wait_for 10 counted_at_least "$n" $((32 * MiB))
  kill9 "$prod"
  survivor "$cons" "$n.cons.err" "$n (generator killed, consumer with its input open)"
  wait_for 5 test -f "$n.eof"
  [[ $mode == unix ]] && close_input "$n.in"
done
exit 0
