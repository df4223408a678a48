#!/usr/bin/env bash
# Fault injection: one peer of a full-speed stream is killed with SIGKILL mid-stream. The
# survivor ends within about 1 s (bound: 2 s) with status 0 or 1 and at most one stderr line
# ("ipcat: ..."), never hangs and never dies of a signal; a Unix listener that survives removes
# its socket file. Over Unix and TCP, with the producer as the listener and as the client, the
# consumer killed and the producer killed; the producer is `head -c 1G /dev/zero | ipcat` or
# the UUID generator; the surviving consumer's input is /dev/null, a held-open pipe (Unix: the
# peer's full close is seen) or a terminal (TCP: the network side ending ends it). The same
# over TLS on TCP.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/tls_certs.sh"
need python3

write_counter

# counter NAME: start a counter reading the FIFO $T/NAME.fifo (whoever writes there is counted).
counter() {
  mkfifo "$T/$1.fifo"
  python3 count.py "$T/$1" <"$T/$1.fifo" &
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
  grep -vE '^(Listening on|Connection from|Connected to|TLS) ' "$err" >"$err.rest" || true
  (($(wc -l <"$err.rest") <= 1)) || fail "$what: more than one stderr line: $(show "$err.rest")"
  if [[ -s $err.rest ]]; then
    assert_error "$err.rest"
  fi
  if [[ -n $sock ]]; then
    [[ ! -e $sock ]] || fail "$what: the surviving listener left its socket file $sock"
  fi
}

MiB=$((1024 * 1024))

# producer_listens NAME [--uuid]: starts a listening producer (1 GiB of zeros, or the generator)
# and a counter for NAME; sets prod and C (the consumer's connect arguments).
producer_listens() {
  local n=$1
  shift
  listen "$mode" "$n"
  if (($# > 0)); then
    "$IPCAT" -v "$@" "${L[@]}" >/dev/null 2>"$n.err" &
  else
    "$IPCAT" -v "${L[@]}" >/dev/null 2>"$n.err" < <(head -c 1G /dev/zero) &
  fi
  prod=$!
  connect "$mode" "$n"
  counter "$n"
}

# consumer_connects NAME: a consumer with its input at EOF, counted; sets cons, waits for 32 MiB.
consumer_connects() {
  "$IPCAT" "${C[@]}" </dev/null >"$1.fifo" 2>"$1.cons.err" &
  cons=$!
  wait_for 10 counted_at_least "$1" $((32 * MiB))
}

# consumer_listens NAME: a listening consumer, counted, and a producer of 1 GiB of zeros
# connected to it; sets cons and prod, waits for 32 MiB.
consumer_listens() {
  local n=$1
  listen "$mode" "$n"
  counter "$n"
  "$IPCAT" -v "${L[@]}" </dev/null >"$n.fifo" 2>"$n.err" &
  cons=$!
  connect "$mode" "$n"
  "$IPCAT" "${C[@]}" >/dev/null 2>"$n.prod.err" < <(head -c 1G /dev/zero) &
  prod=$!
  wait_for 10 counted_at_least "$n" $((32 * MiB))
}

for mode in unix tcp tls; do
  sockfile() { if [[ $mode == unix ]]; then echo "$T/$1.sock"; fi; }

  # 1. Producer listens (1 GiB of zeros), consumer connects; the consumer is killed.
  n=$mode-lp-kc
  producer_listens "$n"
  consumer_connects "$n"
  kill9 "$cons"
  survivor "$prod" "$n.err" "$n (listening producer, consumer killed)" "$(sockfile "$n")"

  # 2. Producer listens, consumer connects; the producer is killed.
  n=$mode-lp-kp
  producer_listens "$n"
  consumer_connects "$n"
  kill9 "$prod"
  survivor "$cons" "$n.cons.err" "$n (listening producer killed, consumer)"
  wait_for 5 test -f "$n.eof"
  (($(cat "$n.eof") >= 32 * MiB)) || fail "$n: the consumer delivered only $(cat "$n.eof") bytes"

  # 3. Consumer listens, producer connects; the producer is killed.
  n=$mode-lc-kp
  consumer_listens "$n"
  kill9 "$prod"
  survivor "$cons" "$n.err" "$n (listening consumer, producer killed)" "$(sockfile "$n")"
  wait_for 5 test -f "$n.eof"

  # 4. Consumer listens, producer connects; the consumer is killed.
  n=$mode-lc-kc
  consumer_listens "$n"
  kill9 "$cons"
  survivor "$prod" "$n.prod.err" "$n (listening consumer killed, producer)"
  grep -q "not delivered$" "$n.prod.err.rest" ||
    fail "$n: the producer's line does not say what was not delivered: $(show "$n.prod.err.rest")"

  # 5. The UUID generator at full speed listens; the consumer is killed.
  n=$mode-gen-kc
  producer_listens "$n" --uuid
  consumer_connects "$n"
  kill9 "$cons"
  survivor "$prod" "$n.err" "$n (generator, consumer killed)" "$(sockfile "$n")"

  # 6. The generator is killed; the consumer's input is still open: a held-open pipe over Unix
  # (the peer's full close ends it), a terminal over TCP (the network side ending ends it).
  n=$mode-gen-kp
  producer_listens "$n" --uuid
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
