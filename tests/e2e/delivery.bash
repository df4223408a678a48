# Helpers of the delivery scenarios (tests/e2e/delivery_*.sh), sourced after common.sh.
# The peers are tests/e2e/sink.py (see its header for the modes); E2E is tests/e2e.

SINK_PY=$E2E/sink.py
MiB=$((1024 * 1024))

# start_sink NAME KIND MODE [ARG]: starts sink.py serving MODE on KIND (tcp: 127.0.0.1, port 0;
# unix: $T/NAME.sock) and waits until it listens. Sets S to ipcat's arguments reaching it
# (127.0.0.1 PORT, or -U PATH), A to the same as one address (tcp:127.0.0.1:PORT, unix:PATH) and
# sink_pid.
start_sink() {
  local name=$1 kind=$2 where port
  shift 2
  where=127.0.0.1
  [[ $kind == unix ]] && where=$T/$name.sock
  python3 "$SINK_PY" "$kind" "$where" "$T/$name" "$@" 2>"$T/$name.sink.err" &
  sink_pid=$!
  wait_for 10 test -f "$T/$name.port"
  port=$(cat "$T/$name.port")
  if [[ $kind == tcp ]]; then
    S=(127.0.0.1 "$port") A=("tcp:127.0.0.1:$port")
  else
    S=(-U "$where") A=("unix:$where")
  fi
}

# stop_sink: ends the sink started last.
stop_sink() {
  kill "$sink_pid" 2>/dev/null || true
  wait "$sink_pid" 2>/dev/null || true
}

# big_file: $T/big.bin, 4 MiB of random bytes (made once).
big_file() {
  [[ -f $T/big.bin ]] || head -c $((4 * MiB)) /dev/urandom >"$T/big.bin"
}

# run_ipcat NAME SOURCE ARGS...: runs `ipcat ARGS` (10 s bound), its stdin SOURCE: pipe
# (`head -c 4M /dev/zero |`), file ($T/big.bin, the sendfile path), null (/dev/null), refill
# (a pipe that gives 1 MiB, is empty for 0.1 s, then gives 1 MiB more) or pause-end (1 MiB, then
# 0.1 s later its end); its
# stdout NAME.out, its stderr NAME.err. Sets status (124: it hung).
run_ipcat() {
  local name=$1 source=$2
  shift 2
  status=0
  case $source in
    pipe) timeout -k 1 10 "$IPCAT" "$@" < <(head -c $((4 * MiB)) /dev/zero) >"$T/$name.out" 2>"$T/$name.err" || status=$? ;;
    refill) timeout -k 1 10 "$IPCAT" "$@" < <(head -c "$MiB" /dev/zero; sleep 0.1; head -c "$MiB" /dev/zero) >"$T/$name.out" 2>"$T/$name.err" || status=$? ;;
    pause-end) timeout -k 1 10 "$IPCAT" "$@" < <(head -c "$MiB" /dev/zero; sleep 0.1) >"$T/$name.out" 2>"$T/$name.err" || status=$? ;;
    file) big_file && { timeout -k 1 10 "$IPCAT" "$@" <"$T/big.bin" >"$T/$name.out" 2>"$T/$name.err" || status=$?; } ;;
    null) timeout -k 1 10 "$IPCAT" "$@" </dev/null >"$T/$name.out" 2>"$T/$name.err" || status=$? ;;
    *) fail "run_ipcat: unknown source $source" ;;
  esac
}

# Each case is checked to the end and its failure noted; finish fails the scenario at the end
# if any case failed, so one run shows every case that breaks the promise.
failures=()
case_failed() {
  echo "FAILED CASE: $*" >&2
  failures+=("$*")
}
finish() {
  if ((${#failures[@]} > 0)); then
    fail "${#failures[@]} case(s) failed: $(printf '%s; ' "${failures[@]}")"
  fi
  echo "every case passed"
}

# one_error_line FILE ERE: FILE is exactly one line, starting "ipcat: " and matching ERE.
one_error_line() {
  [[ $(wc -l <"$1") -eq 1 && -z $(tail -c 1 "$1" | tr -d '\n') ]] &&
    [[ $(head -c 7 "$1") == "ipcat: " ]] && grep -qE -- "$2" "$1"
}

# expect_not_delivered NAME WHAT: ipcat's run NAME ended with status 1 and exactly one stderr
# line, "ipcat: ... not delivered" (the stable part of both forms:
# "ipcat: write ENDPOINT: STRERROR: N bytes not delivered" and
# "ipcat: read|write ENDPOINT: Connection reset by peer: sent data not delivered").
expect_not_delivered() {
  local name=$1 what=$2
  echo "$what: status $status, stderr $(show "$T/$name.err")"
  if ((status != 1)); then
    case_failed "$what: expected status 1, got $status (stderr $(show "$T/$name.err"))"
  elif ! one_error_line "$T/$name.err" 'not delivered'; then
    case_failed "$what: expected one line 'ipcat: ... not delivered' on stderr, got $(show "$T/$name.err")"
  fi
}

# expect_normal_end NAME WHAT: ipcat's run NAME ended with status 0 and wrote nothing on stderr.
expect_normal_end() {
  local name=$1 what=$2
  echo "$what: status $status, stderr $(show "$T/$name.err")"
  if ((status != 0)); then
    case_failed "$what: expected status 0, got $status (stderr $(show "$T/$name.err"))"
  elif [[ -s $T/$name.err ]]; then
    case_failed "$what: expected nothing on stderr, got $(show "$T/$name.err")"
  fi
}
