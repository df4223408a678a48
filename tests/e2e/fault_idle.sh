#!/usr/bin/env bash
# Fault injection: a client that connects and then sends nothing, to a listener with -i 1.
# - One-shot listener (Unix and TCP): the session ends after about 1 s (0.9 to 3 s), the listener
#   exits with status 1 and one line containing "idle"; the client sees EOF; the Unix socket
#   file is removed.
# - `-k -i 1`: only the idle client's session ends (it sees EOF after about 1 s); the listener
#   goes on: a client sending a line every 300 ms keeps its session for 2.5 s and more, a client
#   arriving after the timeout is served; SIGTERM stops it (143).
source "$(dirname "$0")/common.sh"
need python3

# idle.py MODE WHERE NAME: connect (Unix path or TCP port on 127.0.0.1), send nothing, wait for
# EOF (8 s bound); NAME.log gets "EOF after MS" or "no EOF".
cat >idle.py <<'PY'
import socket, sys, time
mode, where, name = sys.argv[1:4]
if mode == "unix":
    c = socket.socket(socket.AF_UNIX)
    c.connect(where)
else:
    c = socket.socket(socket.AF_INET)
    c.connect(("127.0.0.1", int(where)))
start = time.monotonic()
c.settimeout(8)
result = "no EOF"
try:
    while True:
        if not c.recv(65536):
            result = f"EOF after {int((time.monotonic() - start) * 1000)}"
            break
except socket.timeout:
    pass
except ConnectionError as e:
    result = f"EOF after {int((time.monotonic() - start) * 1000)} ({type(e).__name__})"
with open(name + ".log", "w") as f:
    f.write(result + "\n")
PY

# eof_ms NAME: the milliseconds in NAME.log ("EOF after MS"), or fail.
eof_ms() {
  local line
  line=$(cat "$1.log")
  [[ $line =~ ^EOF\ after\ ([0-9]+) ]] || fail "$1: the idle client saw: $line"
  echo "${BASH_REMATCH[1]}"
}

open_input held

# 1. One-shot listeners.
for mode in unix tcp; do
  n=once-$mode
  if [[ $mode == unix ]]; then
    "$IPCAT" -i 1 -lU "$T/$n.sock" <held >"$n.out" 2>"$n.err" &
    lst=$!
    wait_socket "$T/$n.sock"
    where=$T/$n.sock
  else
    "$IPCAT" -v -i 1 -l 127.0.0.1 0 <held >"$n.out" 2>"$n.err" &
    lst=$!
    where=$(listen_port "$n.err")
  fi
  start=$(now_ms)
  python3 idle.py "$mode" "$where" "$T/$n" &
  cli=$!
  wait_exit "$lst" 15
  took=$(($(now_ms) - start))
  echo "$n: listener ended $took ms after the client connected, status $status"
  assert_eq 1 "$status" "$n: status of the one-shot listener with -i 1"
  # The upper bound only catches a session -i failed to end: it also covers the client's own
  # start (python, seconds on a loaded machine under the sanitizers); the client's own
  # measure of its EOF, below, is the precise one.
  ((took >= 900 && took < 12000)) || fail "$n: -i 1 ended the session after $took ms"
  grep -vE '^(Listening on|Connection from) ' "$n.err" >"$n.err.rest" || true
  assert_error "$n.err.rest" 'idle'
  [[ $mode == tcp || ! -e $T/$n.sock ]] || fail "$n: socket file left"
  # The client logs its EOF at once; its exit (python under the sanitizers on a loaded
  # machine) may take longer.
  wait_exit "$cli" 15
  ms=$(eof_ms "$n")
  ((ms >= 900 && ms < 3000)) || fail "$n: the idle client saw EOF after $ms ms"
  assert_empty "$n.out" "$n: listener's stdout"
done

# 2. -k: only the idle client's session ends. The local side is a child per client (-c cat:
# each client gets its own lines back) or stdio (the listener's stdin goes to every client,
# every client's lines go to its stdout).
for kind in cat stdio; do
  for mode in unix tcp; do
    n=keep-$kind-$mode
    local_side=()
    [[ $kind == cat ]] && local_side=(-c cat)
    if [[ $mode == unix ]]; then
      "$IPCAT" -k -i 1 -lU "$T/$n.sock" "${local_side[@]}" <held >"$n.out" 2>"$n.err" &
      lst=$!
      wait_socket "$T/$n.sock"
      where=$T/$n.sock
      C=(-U "$T/$n.sock")
    else
      "$IPCAT" -v -k -i 1 -l 127.0.0.1 0 "${local_side[@]}" <held >"$n.out" 2>"$n.err" &
      lst=$!
      where=$(listen_port "$n.err")
      C=(127.0.0.1 "$where")
    fi
    # A busy client: a line every 300 ms for 3 s; its input then stays open.
    open_input "$n.busy.in"
    "$IPCAT" "${C[@]}" <"$n.busy.in" >"$n.busy.out" 2>"$n.busy.err" &
    busy=$!
    (
      for i in $(seq 1 10); do
        printf 'busy %d\n' "$i"
        sleep 0.3
      done >"$T/$n.busy.in"
    ) &
    feeder=$!
    start=$(now_ms)
    python3 idle.py "$mode" "$where" "$T/$n.idle" &
    idle=$!
    wait_exit "$idle" 10
    ms=$(eof_ms "$n.idle")
    echo "$n: the idle client saw EOF after $ms ms"
    ((ms >= 900 && ms < 3000)) || fail "$n: the idle client's session ended after $ms ms"
    still_running "$lst"
    still_running "$busy"

    # A client arriving now is served.
    printf 'late client\n' | timeout -k 1 5 "$IPCAT" "${C[@]}" >"$n.late.out" 2>"$n.late.err" &
    late=$!
    if [[ $kind == cat ]]; then
      wait_exit "$late" 5
      assert_eq 0 "$status" "$n: late client's status"
      assert_eq "late client" "$(cat "$n.late.out")" "$n: what the late client got back"
    else
      wait_for 5 grep -qx 'late client' "$n.out"
      printf 'to everyone\n' | send_input held
      wait_for 5 grep -qx 'to everyone' "$n.busy.out"
    fi

    wait_exit "$feeder" 6
    took=$(($(now_ms) - start))
    ((took >= 2500)) || fail "$n: the busy client's lines took only $took ms"
    if [[ $kind == cat ]]; then
      wait_for 5 grep -qx 'busy 10' "$n.busy.out"
      assert_eq 10 "$(grep -c '^busy ' "$n.busy.out")" "$n: busy client's lines echoed back"
    else
      wait_for 5 grep -qx 'busy 10' "$n.out"
      assert_eq 10 "$(grep -c '^busy ' "$n.out")" "$n: busy client's lines on the listener's stdout"
    fi
    still_running "$lst"
    still_running "$busy"

    kill -TERM "$lst"
    wait_exit "$lst" 5
    assert_eq 143 "$status" "$n: listener's status after SIGTERM"
    [[ $mode == tcp || ! -e $T/$n.sock ]] || fail "$n: socket file left"
    # (Over TCP the busy client, its input still open, only sees a half-close: close its input.)
    close_input "$n.busy.in"
    wait_exit "$busy" 5
    assert_eq 0 "$status" "$n: busy client's status once the listener stopped"
    assert_empty "$n.busy.err" "$n: busy client's stderr"
    [[ $kind == cat ]] || wait_exit "$late" 5
    # At most one error line (for the one idle session), and it names the idle timeout; -v's
    # events (TCP) are the other lines.
    if [[ $mode == unix ]]; then cp "$n.err" "$n.err.rest"; else grep '^ipcat: ' "$n.err" >"$n.err.rest" || true; fi
    if [[ -s $n.err.rest ]]; then
      assert_error "$n.err.rest" 'idle'
    fi
  done
done
close_input held
