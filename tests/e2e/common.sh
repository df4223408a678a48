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

# need COMMAND...: skip the scenario (status 77) when a tool is missing.
need() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null || { echo "SKIP: $c not installed" >&2; exit 77; }
  done
}
