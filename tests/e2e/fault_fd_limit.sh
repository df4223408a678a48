#!/usr/bin/env bash
# Fault injection: more clients than the descriptor limit allows. A -k Unix listener runs under
# `ulimit -n 64` (soft and hard, so raising the soft limit gains nothing). At the limit it
# stops accepting and the clients wait in the backlog until sessions end and free descriptors;
# only when nothing frees up for a long while is a waiting client refused, with an error on
# its side and one line on the listener's stderr. So:
# - 200 real clients at once, sessions that end (5 UUIDs, or `-c cat` echoing a line): each
#   either got its full data or exited non-zero with one error line; none hangs; most are
#   served; the listener's CPU stays low;
# - 200 connections held open against an endless generator, while an early client is being
#   served: the listener neither spins nor drops the early client; the waiting ones are
#   refused one at a time (reset, and the listener's line) or, as the served ones close, served;
#   none is left waiting for ever;
# - afterwards it has given its descriptors back, serves a new client, and SIGTERM stops it.
source "$(dirname "$0")/common.sh"
need python3

# In the ASan+UBSan build, the sanitizer runtime checks a vptr by writing the vtable's memory
# into a pipe(2) of its own; at the descriptor limit that fails with EMFILE and it reports a
# correct object as having an "invalid vptr" ("<memory cannot be printed>"). Those reports are
# let through (the check is recoverable, fatal only by default) and counted; any other report
# fails the scenario, as does any other line on the listener's stderr.

# check_listener_stderr NAME [ALLOWED_ERE]: the listener's stderr holds nothing but those
# false reports and lines matching ALLOWED_ERE (what it reports for a client it could not serve).
check_listener_stderr() {
  local err=$1.err expected=${2:-} reports vptrs probes rest
  reports=$(grep -c 'runtime error:' "$err" || true)
  vptrs=$(grep -c 'note: object has invalid vptr$' "$err" || true)
  probes=$(grep -c '^<memory cannot be printed>$' "$err" || true)
  rest=$(grep -Ev 'runtime error: .* address 0x[0-9a-f]+ which does not point to an object of type|note: object has invalid vptr$|^<memory cannot be printed>$' "$err" || true)
  if [[ -n $expected ]]; then
    rest=$(grep -vxE -- "$expected" <<<"$rest" || true)
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

# clients.py PATH N NAME MODE: run N `ipcat -U PATH` clients at once; MODE uuid: stdin
# /dev/null, full data is 5 UUID lines; MODE echo: stdin "line I", full data is that line back.
# Each must end within 60 s. Writes "served failed bad" to NAME.stats, and the first bad
# client's details to NAME.bad (exit 0 without the full data, or an error that is not one
# "ipcat: " line, or still running at the deadline).
cat >clients.py <<'PY'
import os, re, subprocess, sys, time
path, n, name, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
ipcat = os.environ["IPCAT"]
uuid = re.compile(rb"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
procs = []
for i in range(n):
    base = f"{name}.c{i}"
    if mode == "echo":
        with open(base + ".in", "w") as f:
            f.write(f"line {i}\n")
    stdin = open(base + ".in" if mode == "echo" else os.devnull, "rb")
    out = open(base + ".out", "wb")
    err = open(base + ".stderr", "wb")
    procs.append((i, base, subprocess.Popen([ipcat, "-U", path], stdin=stdin, stdout=out, stderr=err)))
    stdin.close(); out.close(); err.close()
deadline = time.monotonic() + 60
served = failed = 0
bad = []
for i, base, p in procs:
    try:
        rc = p.wait(timeout=max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        p.kill(); p.wait()
        bad.append(f"client {i} still running after 60 s")
        continue
    out = open(base + ".out", "rb").read()
    err = open(base + ".stderr", "rb").read()
    if mode == "uuid":
        full = len(out.splitlines()) == 5 and all(uuid.match(l) for l in out.splitlines())
    else:
        full = out == f"line {i}\n".encode()
    if rc == 0 and full and not err:
        served += 1
    elif rc != 0 and err.count(b"\n") == 1 and err.startswith(b"ipcat: ") and err.endswith(b"\n"):
        failed += 1
    else:
        bad.append(f"client {i}: status {rc}, stdout {out[:120]!r}, stderr {err[:200]!r}")
with open(name + ".bad", "w") as f:
    f.write("\n".join(bad[:3]))
with open(name + ".stats", "w") as f:
    f.write(f"{served} {failed} {len(bad)}\n")
PY

# many_clients NAME MODE ALLOWED_ERE ARGS...: the listener is `ipcat -lkU $T/NAME.sock ARGS`
# under ulimit -n 64; clients.py runs 200 clients of MODE against it.
many_clients() {
  local name=$1 mode=$2 allowed=$3 served failed bad
  shift 3
  local sock=$T/$name.sock
  start_listener "$name" "$sock" "$@"
  local a b
  a=$(cpu_ticks "$lst")
  timeout 90 python3 clients.py "$sock" 200 "$T/$name" "$mode" || fail "$name: clients.py: status $?"
  b=$(cpu_ticks "$lst")
  read -r served failed bad <"$name.stats"
  echo "$name: of 200 clients, $served got their full data, $failed exited with an error line, $bad neither; listener: $(((b - a) * 1000 / HZ)) ms of CPU"
  ((bad == 0)) || fail "$name: $bad clients neither served nor refused with an error: $(cat "$name.bad")"
  ((served >= 100)) || fail "$name: only $served of 200 clients were served"
  still_running "$lst"
  (((b - a) * 10 < 50 * HZ)) || fail "$name: the listener used $(((b - a) * 1000 / HZ)) ms of CPU for 200 clients"
  after_load "$name" "$sock" "$allowed"
}

# start_listener NAME SOCK ARGS...: starts `ipcat -lkU SOCK ARGS` under ulimit -n 64 (no -v:
# events for hundreds of clients are not what is tested); sets lst.
start_listener() {
  local name=$1 sock=$2
  shift 2
  (
    ulimit -n 64
    if sanitized_build; then
      export UBSAN_OPTIONS=halt_on_error=0:print_stacktrace=0
    fi
    exec "$IPCAT" -lkU "$sock" "$@"
  ) </dev/null >"$name.out" 2>"$name.err" &
  lst=$!
  wait_socket "$sock"
}

# after_load NAME SOCK ALLOWED_ERE: the listener gives its descriptors back, serves a new
# client, stops on SIGTERM (143, socket file removed), and wrote nothing unexpected.
after_load() {
  local name=$1 sock=$2 allowed=$3 t0=$SECONDS
  until (($(fd_count "$lst") <= 20)); do
    ((SECONDS - t0 < 10)) || fail "$name: the listener still holds $(fd_count "$lst") descriptors 10 s after its clients left"
    sleep 0.05
  done
  local got rc=0
  got=$(printf 'late\n' | timeout -k 1 5 "$IPCAT" -q 1 -U "$sock" 2>"$name.late.err" | head -n 2) || rc=$?
  assert_eq 0 "$rc" "$name: status of a new client afterwards"
  [[ -n $got ]] || fail "$name: a new client afterwards got nothing"
  kill -TERM "$lst"
  wait_exit "$lst" 5
  assert_eq 143 "$status" "$name: listener's status after SIGTERM"
  [[ ! -e $sock ]] || fail "$name: socket file left"
  # The late client reads two lines and leaves: a counted generator says the rest was not
  # delivered, and that line is expected.
  check_listener_stderr "$name" "$allowed|ipcat: connection from unix:$sock: write unix:$sock: .*not delivered"
}

refused_re() { printf '%s' "ipcat: accept unix:$T/$1\\.sock: out of file descriptors; refused a client"; }

many_clients uuid uuid "$(refused_re uuid)" --uuid --count 5 --interval 200ms
many_clients echo echo "$(refused_re echo)|ipcat: exec cat: Too many open files" -c cat

# hold.py PATH N NAME: open N connections to PATH at once and send "probe\n" on each. Then
# watch them (20 s at most): one that gets data is served, one that gets EOF or a reset was
# refused; the rest wait. Once some are refused (or 10 s have passed) write
# "served refused waiting" to NAME.stats1 and wait for NAME.go; from then on close each served
# one, freeing its session, until none waits; write the same to NAME.stats2; hold the rest
# until NAME.release appears (30 s at most).
cat >hold.py <<'PY'
import os, select, socket, sys, time
path, n, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
state = {}
for i in range(n):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(5)
    s.connect(path)
    s.send(b"probe\n")
    s.setblocking(False)
    state[s] = "waiting"
def poll(close_served):
    for s, st in list(state.items()):
        if st != "waiting":
            continue
        try:
            data = s.recv(65536)
            state[s] = "served" if data else "refused"
        except BlockingIOError:
            pass
        except ConnectionError:
            state[s] = "refused"
        if close_served and state[s] == "served":
            s.close()
def write(suffix):
    v = list(state.values())
    with open(f"{name}.{suffix}.tmp", "w") as f:
        f.write(f"{v.count('served')} {v.count('refused')} {v.count('waiting')}\n")
    os.rename(f"{name}.{suffix}.tmp", f"{name}.{suffix}")
deadline = time.monotonic() + 10
while time.monotonic() < deadline and "refused" not in state.values():
    poll(False); time.sleep(0.05)
time.sleep(0.3)
poll(False)
write("stats1")
deadline = time.monotonic() + 10
while not os.path.exists(name + ".go") and time.monotonic() < deadline:
    time.sleep(0.05)
for s, st in state.items():
    if st == "served":
        s.close()
deadline = time.monotonic() + 20
while time.monotonic() < deadline and "waiting" in state.values():
    poll(True); time.sleep(0.05)
write("stats2")
deadline = time.monotonic() + 30
while not os.path.exists(name + ".release") and time.monotonic() < deadline:
    time.sleep(0.05)
PY

name=hold
sock=$T/$name.sock
start_listener "$name" "$sock" --uuid --interval 100ms
# The early client: its input stays open; it gets a UUID every 100 ms.
open_input early.in
"$IPCAT" -U "$sock" <"$T/early.in" >early.out 2>early.err &
early=$!
wait_for 5 has_lines early.out 1
python3 hold.py "$sock" 200 "$T/$name" 2>hold.py.err &
holder=$!
wait_for 20 test -f hold.stats1
read -r served refused waiting <hold.stats1
echo "hold: of 200 held connections, $served served, $refused refused, $waiting waiting in the backlog"
((served >= 20)) || fail "hold: only $served connections were served before the limit"
((refused >= 1)) || fail "hold: no waiting connection was refused in 10 s"
((served + refused + waiting == 200)) || fail "hold: $served + $refused + $waiting != 200"
grep -qxF "ipcat: accept unix:$sock: out of file descriptors; refused a client" hold.err ||
  fail "hold: the listener did not report the refused client: $(show hold.err)"
# At the limit, with clients waiting: no spinning, and the early client is still served.
before=$(line_count early.out)
cpu_over_2s "$lst" "hold, at the limit with clients waiting"
wait_for 5 has_lines early.out $((before + 5))
still_running "$early"
touch hold.go
wait_for 30 test -f hold.stats2
read -r served refused waiting <hold.stats2
echo "hold: as the served ones closed, $served served, $refused refused, $waiting still waiting"
((waiting == 0)) || fail "hold: $waiting connections still waiting once descriptors were free"
touch hold.release
wait_exit "$holder" 10
still_running "$early"
after_load "$name" "$sock" "$(refused_re hold)"
close_input early.in
wait_exit "$early" 5
assert_eq 0 "$status" "hold: early client's status"
assert_empty early.err "hold: early client's stderr"
is_uuid_lines early.out || fail "hold: the early client got something else than UUIDs"
