#!/usr/bin/env bash
# Fault injection: more clients than the descriptor limit allows. A -k Unix listener under
# `ulimit -n 64` (its local side the generator, a UUID every 100 ms, or a child per client,
# `-c cat`) gets 200 connections at once while an early client is being served:
# - the early client goes on being served during and after the flood;
# - each of the 200 is either served or refused cleanly (EOF or reset within 1 s, none left
#   hanging), and at least one is served;
# - the listener neither dies nor spins (under 0.3 s of CPU over 2 s, during the flood and after);
# - once the 200 have closed, it recovers: its descriptors are released and a new client is served;
# - SIGTERM still stops it (143, socket file removed).
source "$(dirname "$0")/common.sh"
need python3

# In the ASan+UBSan build, the sanitizer runtime checks a vptr by writing the vtable's memory
# into a pipe(2) of its own; at the descriptor limit that fails with EMFILE and it reports a
# correct object as having an "invalid vptr" ("<memory cannot be printed>"). Those reports are
# let through (the check is recoverable, fatal only by default) and counted; any other report
# fails the scenario, as does any other line on the listener's stderr.

# check_listener_stderr NAME [EXPECTED_LINE]: the listener's stderr holds nothing but those
# false reports and EXPECTED_LINE (an error it reports for each client it could not serve).
check_listener_stderr() {
  local err=$1.err expected=${2:-} reports vptrs probes rest
  reports=$(grep -c 'runtime error:' "$err" || true)
  vptrs=$(grep -c 'note: object has invalid vptr$' "$err" || true)
  probes=$(grep -c '^<memory cannot be printed>$' "$err" || true)
  rest=$(grep -Ev 'runtime error: .* address 0x[0-9a-f]+ which does not point to an object of type|note: object has invalid vptr$|^<memory cannot be printed>$' "$err" || true)
  if [[ -n $expected ]]; then
    rest=$(grep -vxF -- "$expected" <<<"$rest" || true)
  fi
  [[ -z $rest ]] || fail "$1: the listener wrote to stderr: $(head -c 600 <<<"$rest")"
  ((reports == vptrs && reports == probes)) ||
    fail "$1: a sanitizer report other than the EMFILE vptr probe: $(head -c 600 "$err")"
  if ((reports > 0)); then
    echo "$1: $reports vptr reports from the sanitizer runtime's failed pipe(2) probe at the fd limit, let through"
  fi
}

HZ=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
fd_count() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 | wc -l; }

# cpu_over_2s PID WHAT: fail if PID uses 0.3 s of CPU or more in the next 2 s.
cpu_over_2s() {
  local pid=$1 what=$2 a b
  a=$(cpu_ticks "$pid")
  sleep 2
  still_running "$pid"
  b=$(cpu_ticks "$pid")
  echo "$what: listener used $(((b - a) * 1000 / HZ)) ms of CPU in 2 s, holds $(fd_count "$pid") descriptors"
  (((b - a) * 10 < 3 * HZ)) || fail "$what: the listener spins: $(((b - a) * 1000 / HZ)) ms of CPU in 2 s"
}

# flood.py PATH N NAME: open N connections to PATH at once, send "probe\n" on each; after 1 s
# classify each (served: data came; eof; reset; silent: nothing at all) into NAME.stats; hold
# them until the file NAME.release appears (30 s at most), then close them all.
cat >flood.py <<'PY'
import os, socket, sys, time
path, n, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
socks, failed = [], []
for i in range(n):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(5)
    try:
        s.connect(path)
        socks.append(s)
    except OSError as e:
        failed.append(type(e).__name__)
        s.close()
for s in socks:
    try:
        s.send(b"probe\n")
    except OSError:
        pass
time.sleep(1)
served = eof = reset = silent = 0
for s in socks:
    s.setblocking(False)
    try:
        data = s.recv(65536)
        if data:
            served += 1
        else:
            eof += 1
    except BlockingIOError:
        silent += 1
    except ConnectionError:
        reset += 1
with open(name + ".stats.tmp", "w") as f:
    f.write(f"{served} {eof} {reset} {silent} {len(failed)} {','.join(sorted(set(failed)))}\n")
os.rename(name + ".stats.tmp", name + ".stats")
deadline = time.monotonic() + 30
while not os.path.exists(name + ".release") and time.monotonic() < deadline:
    time.sleep(0.05)
for s in socks:
    s.close()
PY

# scenario NAME EXPECTED_ERR ARGS...: the listener is `ipcat -lkU $T/NAME.sock ARGS` under
# ulimit -n 64; EXPECTED_ERR is the one line it may write for a client it cannot serve.
scenario() {
  local name=$1 expected_err=$2 served eof reset silent failed kinds
  shift 2
  local sock=$T/$name.sock
  # No -v: a flood of "Refused a client" events is not what is tested here.
  (
    ulimit -n 64
    if sanitized_build; then
      export UBSAN_OPTIONS=halt_on_error=0:print_stacktrace=0
    fi
    exec "$IPCAT" -lkU "$sock" "$@"
  ) </dev/null >"$name.out" 2>"$name.err" &
  local lst=$!
  wait_socket "$sock"

  # The early client: its input stays open; it gets UUIDs, or the echo of what it sends.
  open_input "$name.early.in"
  "$IPCAT" -U "$sock" <"$name.early.in" >"$name.early.out" 2>"$name.early.err" &
  local early=$!
  printf 'early 1\n' | send_input "$name.early.in"
  wait_for 5 has_lines "$name.early.out" 1

  python3 flood.py "$sock" 200 "$T/$name" 2>"$name.flood.err" &
  local flood=$!
  wait_for 15 test -f "$name.stats"
  read -r served eof reset silent failed kinds <"$name.stats"
  echo "$name: of 200 clients, $served served, $eof EOF, $reset reset, $silent left hanging, $failed failed to connect ${kinds:-}"
  still_running "$lst"
  ((silent == 0)) || fail "$name: $silent of 200 clients neither served nor refused after 1 s"
  ((failed == 0)) || fail "$name: $failed of 200 clients could not connect (${kinds:-})"
  ((served >= 1)) || fail "$name: no client of the flood was served"
  ((served + eof + reset == 200)) || fail "$name: $served + $eof + $reset != 200"

  # During the flood: no spinning, and the early client is still served.
  local before
  before=$(line_count "$name.early.out")
  printf 'early 2\n' | send_input "$name.early.in"
  cpu_over_2s "$lst" "$name, 200 clients held"
  wait_for 5 has_lines "$name.early.out" $((before + 1))
  still_running "$early"

  # The flood goes away: the listener gives its descriptors back and serves a new client.
  touch "$name.release"
  wait_exit "$flood" 10
  local t0=$SECONDS
  until (($(fd_count "$lst") <= 20)); do
    ((SECONDS - t0 < 5)) || fail "$name: the listener still holds $(fd_count "$lst") descriptors 5 s after the flood closed"
    sleep 0.05
  done
  cpu_over_2s "$lst" "$name, after the flood"
  local got rc=0
  got=$(printf 'late\n' | timeout -k 1 5 "$IPCAT" -q 1 -U "$sock" 2>"$name.late.err" | head -n 2) || rc=$?
  assert_eq 0 "$rc" "$name: status of a new client after the flood"
  [[ -n $got ]] || fail "$name: a new client after the flood got nothing"
  before=$(line_count "$name.early.out")
  printf 'early 3\n' | send_input "$name.early.in"
  wait_for 5 has_lines "$name.early.out" $((before + 1))
  still_running "$early"

  kill -TERM "$lst"
  wait_exit "$lst" 5
  assert_eq 143 "$status" "$name: listener's status after SIGTERM"
  [[ ! -e $sock ]] || fail "$name: socket file left"
  check_listener_stderr "$name" "$expected_err"
  close_input "$name.early.in"
  wait_exit "$early" 5
  assert_eq 0 "$status" "$name: early client's status"
  assert_empty "$name.early.err" "$name: early client's stderr"
}

scenario gen "" --uuid --interval 100ms
is_uuid_lines gen.early.out || fail "gen: the early client got something else than UUIDs: $(head -c 200 gen.early.out)"
scenario cat "ipcat: exec cat: Too many open files" -c cat
assert_eq $'early 1\nearly 2\nearly 3' "$(cat cat.early.out)" "cat: what the early client got back"
