# Common helpers for the end-to-end scenarios. Source it first:
#   source "$(dirname "$0")/../e2e/common.sh"   (or ./common.sh from tests/e2e)
# It gives: set -euo pipefail, a private temp dir $T (removed at exit), a trap that kills
# every background process the scenario started, bounded waits, and assertions.
set -euo pipefail

: "${IPCAT:?IPCAT must point at the ipcat binary (ctest sets it)}"
T=$(mktemp -d "${TMPDIR:-/tmp}/ipcat-test.XXXXXX")
export T
cd "$T"

_cleanup() {
  local rc=$?
  # Kill whatever the scenario left running (children of this shell and their children).
  local pids
  pids=$(jobs -p 2>/dev/null || true)
  if [[ -n $pids ]]; then
    kill $pids 2>/dev/null || true
    sleep 0.1
    kill -9 $pids 2>/dev/null || true
  fi
  wait 2>/dev/null || true
  if ((rc != 0)) && [[ -d $T ]]; then
    echo "--- scenario failed (status $rc); files in $T:" >&2
    for f in "$T"/*.err "$T"/*.log; do
      [[ -f $f ]] && { echo "--- $f" >&2; head -c 4000 "$f" >&2; echo >&2; }
    done
  fi
  rm -rf "$T"
  exit $rc
}
trap _cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# fail MESSAGE: stop the scenario with a message.
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# wait_for SECONDS COMMAND...: run COMMAND every 50 ms until it succeeds; fail after SECONDS.
wait_for() {
  local limit=$1
  shift
  local deadline=$((SECONDS + limit))
  until "$@" 2>/dev/null; do
    ((SECONDS < deadline)) || fail "timed out after ${limit}s waiting for: $*"
    sleep 0.05
  done
}

# wait_socket PATH: wait (10 s at most) until PATH is a socket.
wait_socket() { wait_for 10 test -S "$1"; }

# wait_exit PID SECONDS: wait for PID to end within SECONDS; sets $status to its exit status.
wait_exit() {
  local pid=$1 limit=$2
  local deadline=$((SECONDS + limit))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      fail "process $pid still running after ${limit}s"
    fi
    sleep 0.05
  done
  status=0
  wait "$pid" || status=$?
}

# listen_port FILE: wait for a "Listening on ...:PORT" line (from -v) in FILE; print PORT.
listen_port() {
  local file=$1 line
  wait_for 10 grep -q '^Listening on ' "$file"
  line=$(grep -m1 '^Listening on ' "$file")
  echo "${line##*:}"
}

# expect_status WANT COMMAND...: run COMMAND (10 s bound); fail unless it exits with WANT.
expect_status() {
  local want=$1
  shift
  local got=0
  timeout 10 "$@" || got=$?
  ((got == want)) || fail "expected status $want, got $got from: $*"
}

# assert_eq WANT GOT [WHAT]
assert_eq() {
  [[ $1 == "$2" ]] || fail "${3:-value}: expected '$1', got '$2'"
}

# assert_same_file A B: same bytes (by sha256).
assert_same_file() {
  local a b
  a=$(sha256sum <"$1" | cut -d' ' -f1)
  b=$(sha256sum <"$2" | cut -d' ' -f1)
  [[ $a == "$b" ]] || fail "$1 and $2 differ ($(stat -c %s "$1") vs $(stat -c %s "$2") bytes)"
}

# is_uuid_lines FILE: every line is a lowercase UUID.
is_uuid_lines() {
  ! grep -vqE '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' "$1"
}

# sanitized_build: true when $IPCAT was built with AddressSanitizer (-DIPCAT_SANITIZE=...).
sanitized_build() { grep -qa __asan_init "$IPCAT"; }

# need COMMAND...: skip the scenario (status 77) when a tool is missing.
need() {
  local c
  for c in "$@"; do
    if ! command -v "$c" >/dev/null; then
      # scripts/test installs every tool first (IPCAT_NO_SKIP=1): a tool missing there is a
      # missing install step, a failure; elsewhere (the image's build stage) a skip.
      [[ ${IPCAT_NO_SKIP:-0} == 1 ]] && fail "$c not installed (scripts/setup should install it)"
      echo "SKIP: $c not installed" >&2
      exit 77
    fi
  done
}

# ---------------------------------------------------------------------------------------------
# Helpers added for the scenarios below; the ones above keep their behaviour.

# now_ms: milliseconds since the epoch.
now_ms() { date +%s%3N; }

# line_count FILE: number of lines in FILE (0 if it does not exist yet).
line_count() {
  if [[ -f $1 ]]; then wc -l <"$1"; else echo 0; fi
}

# has_lines FILE N: FILE has at least N lines (for wait_for).
has_lines() { (($(line_count "$1") >= $2)); }

# wait_listening FILE: wait (10 s at most) for the "Listening on ..." line of -v in FILE.
wait_listening() { wait_for 10 grep -q '^Listening on ' "$1"; }

# wait_exit_within PID MS: like wait_exit, but with a bound in milliseconds, counted from now;
# sets $status and $elapsed_ms.
wait_exit_within() {
  local pid=$1 limit=$2 start
  start=$(now_ms)
  while kill -0 "$pid" 2>/dev/null; do
    if (($(now_ms) - start > limit)); then
      fail "process $pid still running after ${limit} ms"
    fi
    sleep 0.02
  done
  # shellcheck disable=SC2034 # for the caller
  elapsed_ms=$(($(now_ms) - start))
  status=0
  wait "$pid" || status=$?
}

# still_running PID: fail unless PID is alive.
still_running() { kill -0 "$1" 2>/dev/null || fail "process $1 ended, expected it still running"; }

# show FILE: FILE's content, quoted on one line, for failure messages.
show() { printf '%q' "$(cat "$1" 2>/dev/null)"; }

# assert_error FILE [ERE]: FILE (a captured stderr) is exactly one line that starts with
# "ipcat: " and, if ERE is given, matches it (grep -E).
assert_error() {
  local f=$1
  [[ $(wc -l <"$f") -eq 1 && -z $(tail -c 1 "$f" | tr -d '\n') ]] ||
    fail "$f: expected exactly one line, got $(show "$f")"
  [[ $(head -c 7 "$f") == "ipcat: " ]] || fail "$f: expected a line starting 'ipcat: ', got $(show "$f")"
  if (($# >= 2)); then
    grep -qE -- "$2" "$f" || fail "$f: expected a line matching /$2/, got $(show "$f")"
  fi
}

# assert_no_error_line FILE [WHAT]: no line of FILE (a captured stderr) is an "ipcat: " error.
assert_no_error_line() {
  if grep '^ipcat: ' "$1" >"$1.errors"; then
    fail "${2:-$1}: unexpected error: $(show "$1.errors")"
  fi
}

# assert_usage_error FILE: one "ipcat: ..." line ending with the --help hint.
assert_usage_error() { assert_error "$1" "\(try 'ipcat --help'\)$"; }

# assert_empty FILE [WHAT]
assert_empty() { [[ ! -s $1 ]] || fail "${2:-$1}: expected nothing, got $(show "$1")"; }

# need_ipv6: skip the scenario (status 77) when ::1 cannot be bound.
need_ipv6() {
  python3 -c 'import socket; s = socket.socket(socket.AF_INET6); s.bind(("::1", 0))' 2>/dev/null ||
    { echo "SKIP: no IPv6 loopback (::1)" >&2; exit 77; }
}

# Held-open inputs. open_input NAME makes the FIFO $T/NAME and starts a background `sleep`
# that holds it open for writing, so a reader of $T/NAME never sees EOF until close_input NAME.
# send_input NAME writes its own stdin into the FIFO (the holder keeps it open afterwards).
open_input() {
  mkfifo "$T/$1"
  sleep 600 >"$T/$1" &
  echo $! >"$T/$1.holder"
}
send_input() { timeout 10 cat >"$T/$1" || fail "could not write to input $1"; }
close_input() {
  local pid
  pid=$(cat "$T/$1.holder")
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Listen and connect arguments for a transport MODE: unix, tcp4 (127.0.0.1) or tcp6 (::1).
# listen_args MODE NAME sets the array L (NAME makes a Unix path $T/NAME.sock unique);
# run "$IPCAT" -v "${L[@]}" 2>ERRFILE, then connect_args MODE NAME ERRFILE sets the array C
# once the listener is ready (its "Listening on" line is there).
listen_args() {
  case $1 in
    unix) L=(-lU "$T/$2.sock") ;;
    tcp4) L=(-l 127.0.0.1 0) ;;
    tcp6) L=(-l ::1 0) ;;
    *) fail "listen_args: unknown mode $1" ;;
  esac
}
connect_args() {
  case $1 in
    unix) wait_listening "$3"; C=(-U "$T/$2.sock") ;;
    tcp4) C=(127.0.0.1 "$(listen_port "$3")") ;;
    tcp6) C=(::1 "$(listen_port "$3")") ;;
    *) fail "connect_args: unknown mode $1" ;;
  esac
}

# pty_runner: print the path of a python3 wrapper, `python3 PATH COMMAND...`, that runs COMMAND
# with its stdin a pseudo-terminal that stays open and silent (stdout and stderr are the
# wrapper's), passes SIGTERM and SIGINT on, and exits with COMMAND's status (128+N for a
# signal). If PTY_FLAGS_FILE is set, it writes "nonblocking" or "blocking" there: the state in
# which COMMAND left the terminal's open file description.
pty_runner() {
  local f=$T/.pty_run.py
  [[ -f $f ]] || cat >"$f" <<'PY'
import fcntl, os, pty, signal, subprocess, sys
master, slave = pty.openpty()
child = subprocess.Popen(sys.argv[1:], stdin=slave)
def forward(sig, frame):
    child.send_signal(sig)
signal.signal(signal.SIGTERM, forward)
signal.signal(signal.SIGINT, forward)
rc = child.wait()
flags_file = os.environ.get("PTY_FLAGS_FILE")
if flags_file:
    nonblocking = fcntl.fcntl(slave, fcntl.F_GETFL) & os.O_NONBLOCK
    with open(flags_file, "w") as f:
        f.write("nonblocking\n" if nonblocking else "blocking\n")
sys.exit(rc if rc >= 0 else 128 - rc)
PY
  echo "$f"
}

# uuid_re: the ERE of one UUID line (any version, RFC 9562 variant).
# shellcheck disable=SC2034 # for the scenarios
uuid_re='^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'

# bulk_scenario MODE: 16 MiB of random bytes each way through MODE (see listen_args), intact:
# client to server (files on both ends), server to client (pipes on both ends), both at once.
bulk_scenario() {
  local mode=$1 srv rc
  head -c 16M /dev/urandom >a.bin
  head -c 16M /dev/urandom >b.bin
  local want_listen='^Listening on unix:'"$T"'/r1\.sock$'
  [[ $mode == tcp4 ]] && want_listen='^Listening on tcp:127\.0\.0\.1:[0-9]+$'
  [[ $mode == tcp6 ]] && want_listen='^Listening on tcp:\[::1\]:[0-9]+$'

  # 1. Client to server; stdin and stdout are regular files.
  listen_args "$mode" r1
  "$IPCAT" -v "${L[@]}" </dev/null >r1.srv.out 2>r1.srv.err &
  srv=$!
  connect_args "$mode" r1 r1.srv.err
  grep -qE "$want_listen" r1.srv.err || fail "-v line: $(show r1.srv.err)"
  timeout 60 "$IPCAT" "${C[@]}" <a.bin >r1.cli.out 2>r1.cli.err || fail "client to server: client exited with status $?"
  wait_exit "$srv" 10
  assert_eq 0 "$status" "client to server: listener's status"
  assert_same_file a.bin r1.srv.out
  assert_empty r1.cli.out "client to server: client's stdout"
  assert_empty r1.cli.err "client to server: client's stderr"

  # 2. Server to client; stdin and stdout are pipes.
  listen_args "$mode" r2
  mkfifo r2.fifo
  cat r2.fifo >r2.srv.out &
  # shellcheck disable=SC2002 # stdin must be a pipe here
  cat a.bin | "$IPCAT" -v "${L[@]}" 2>r2.srv.err >r2.fifo &
  srv=$!
  connect_args "$mode" r2 r2.srv.err
  {
    rc=0
    timeout 60 "$IPCAT" "${C[@]}" </dev/null 2>r2.cli.err || rc=$?
    echo "$rc" >r2.cli.rc
  } | sha256sum | cut -d' ' -f1 >r2.sum
  assert_eq 0 "$(cat r2.cli.rc)" "server to client: client's status"
  assert_eq "$(sha256sum <a.bin | cut -d' ' -f1)" "$(cat r2.sum)" "server to client: sha256 of what the client got"
  assert_empty r2.cli.err "server to client: client's stderr"
  wait_exit "$srv" 10
  assert_eq 0 "$status" "server to client: listener's status"
  assert_empty r2.srv.out "server to client: listener's stdout"

  # 3. Both ways at once.
  listen_args "$mode" r3
  "$IPCAT" -v "${L[@]}" <a.bin >r3.srv.out 2>r3.srv.err &
  srv=$!
  connect_args "$mode" r3 r3.srv.err
  timeout 60 "$IPCAT" "${C[@]}" <b.bin >r3.cli.out 2>r3.cli.err || fail "both ways: client exited with status $?"
  wait_exit "$srv" 10
  assert_eq 0 "$status" "both ways: listener's status"
  assert_same_file b.bin r3.srv.out
  assert_same_file a.bin r3.cli.out
  assert_empty r3.cli.err "both ways: client's stderr"
}

# udp_peer_script: print the path of a python3 UDP peer, `python3 PATH NAME [PEER_PORT]`. It
# binds 127.0.0.1:0 and writes its port to $T/NAME.port; it sends "hello\n" to PEER_PORT if given;
# it logs each datagram it receives as one line of hex in $T/NAME.log, and answers "ping\n" with
# "pong\n" to the sender.
udp_peer_script() {
  local f=$T/.udp_peer.py
  [[ -f $f ]] || cat >"$f" <<'PY'
import os, socket, sys
name = sys.argv[1]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
t = os.environ["T"]
with open(f"{t}/{name}.port.tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
os.rename(f"{t}/{name}.port.tmp", f"{t}/{name}.port")
if len(sys.argv) > 2:
    s.sendto(b"hello\n", ("127.0.0.1", int(sys.argv[2])))
with open(f"{t}/{name}.log", "a") as log:
    while True:
        data, peer = s.recvfrom(70000)
        log.write(data.hex() + "\n")
        log.flush()
        if data == b"ping\n":
            s.sendto(b"pong\n", peer)
PY
  echo "$f"
}

# hex TEXT: TEXT as one line of hex (as udp_peer_script logs it).
hex() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }

# size_at_least FILE N: FILE exists and holds at least N bytes (for wait_for).
size_at_least() { [[ -f $1 ]] && (($(stat -c %s "$1") >= $2)); }

# listen unix|tcp|tls NAME: sets L to ipcat's listening arguments for that transport (tls: TCP
# with --ssl, the certificates of tls_certs.sh, sourced first).
# connect unix|tcp|tls NAME: waits for that listener, then sets C to the arguments reaching it
# (tcp and tls read the port from NAME.err, written by the listener's -v).
listen() {
  case $1 in
    unix) L=(-lU "$T/$2.sock") ;;
    tcp) L=(-v -l 127.0.0.1 0) ;;
    tls) L=(-v -l 127.0.0.1 0 --ssl --ssl-cert "$T/server.pem" --ssl-key "$T/server.key") ;;
  esac
}
connect() {
  case $1 in
    unix) wait_socket "$T/$2.sock"; C=(-U "$T/$2.sock") ;;
    tcp) C=(127.0.0.1 "$(listen_port "$2.err")") ;;
    tls) C=(--ssl --ssl-trustfile "$T/ca.pem" localhost "$(listen_port "$2.err")") ;;
  esac
}

# write_counter: writes count.py into $T. `python3 count.py NAME` reads stdin to EOF, keeping
# the byte count in NAME.count (updated every 50 ms); at EOF the total also goes to NAME.eof.
write_counter() {
  cat >"$T/count.py" <<'PY'
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
}

# counted_at_least NAME BYTES: the counter NAME has seen at least BYTES (for wait_for).
# shellcheck disable=SC2317 # called through wait_for
counted_at_least() { [[ -f $1.count ]] && (($(cat "$1.count") >= $2)); }

# completion_setup: for the completion scenarios, sets opts to every option --help lists
# (short and long), and F to a directory holding a.sock, a.other and dir.d/, what the paths
# complete to.
completion_setup() {
  timeout 10 "$IPCAT" --help >"$T/help.txt" || fail "ipcat --help: status $?"
  mapfile -t opts < <(grep -oE -- '--[a-z][a-z-]*|(^|[ ,])-[a-zA-Z46]\b' "$T/help.txt" |
    sed -E 's/^[ ,]//' | sort -u)
  ((${#opts[@]} >= 30)) || fail "parsed only ${#opts[@]} options from --help"
  F=$T/files
  mkdir -p "$F/dir.d"
  : >"$F/a.sock"
  : >"$F/a.other"
}

# Completion scenarios: each defines `answers KEY`, which writes the candidates for query KEY,
# one a line, to $T/replies, and `query_text KEY`, the command line as a message shows it.
# offers KEY WORD...: query KEY offers every WORD.
offers() {
  local key=$1 w
  shift
  answers "$key"
  for w in "$@"; do
    grep -qxF -- "$w" "$T/replies" ||
      fail "'$(query_text "$key")<TAB>' does not offer '$w'; it offers: $(tr '\n' ' ' <"$T/replies")"
  done
}
# offers_only KEY WORD...: query KEY offers exactly the WORDs.
offers_only() {
  local key=$1
  shift
  offers "$key" "$@"
  (($(wc -l <"$T/replies") == $#)) ||
    fail "'$(query_text "$key")<TAB>' offers more than $*: $(tr '\n' ' ' <"$T/replies")"
}
