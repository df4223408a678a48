# Helpers of the load scenarios (tests/e2e/load_*.sh), sourced after common.sh; E2E is
# tests/e2e. The scenarios run ipcat as an unprivileged user (nobody) with the limits a user
# has, in front of tests/e2e/sink.py (mode count, run as root so it is never the bottleneck),
# and start the clients together with tests/e2e/clients.py.

MiB=$((1024 * 1024))
# The system's python3: one found first on root's PATH may live where the user cannot reach.
PY=/usr/bin/python3
[[ -x $PY ]] || PY=$(command -v python3)
USER_NAME=nobody
USER_GROUP=nogroup

# need_user: skip unless we are root and setpriv can become the unprivileged user.
need_user() {
  need setpriv python3
  ((EUID == 0)) || { echo "SKIP: needs root to run ipcat as $USER_NAME" >&2; exit 77; }
  setpriv --reuid="$USER_NAME" --regid="$USER_GROUP" --clear-groups true 2>/dev/null ||
    { echo "SKIP: cannot become $USER_NAME with setpriv" >&2; exit 77; }
  # The temp dir is root's and 0700: the user gets its own directory $U inside it.
  chmod 755 "$T"
  U=$T/u
  mkdir "$U"
  chown "$USER_NAME:$USER_GROUP" "$U"
}

# as_user LIMITS COMMAND...: becomes COMMAND (exec) run as the unprivileged user, its
# descriptor limits set first by the shell command LIMITS (e.g. 'ulimit -Sn 1024'). Call it in
# the background or in a subshell: the pid of the job is then COMMAND's.
as_user() {
  local limits=$1
  shift
  # shellcheck disable=SC2016 # expanded by the inner bash
  exec setpriv --reuid="$USER_NAME" --regid="$USER_GROUP" --clear-groups \
    bash -c "$limits"' && exec "$@"' as_user "$@"
}

# start_count_sink: sink.py counting bytes per connection on 127.0.0.1 (port 0), as root with
# its soft descriptor limit at the hard one. It reads nothing until $T/sink.go exists (see
# run_clients). Sets SINK_ADDR (tcp:127.0.0.1:PORT).
start_count_sink() {
  (
    ulimit -Sn "$(ulimit -Hn)"
    exec "$PY" "$E2E/sink.py" tcp 127.0.0.1 "$T/sink" count "$T/sink.go"
  ) 2>"$T/sink.err" &
  wait_for 10 test -f "$T/sink.port"
  SINK_ADDR=tcp:127.0.0.1:$(cat "$T/sink.port")
}

# start_bridge LIMITS [OPTIONS]: `ipcat -k unix-listen:$U/b.sock[OPTIONS] $SINK_ADDR` as the
# user with those limits (OPTIONS: the listening address's, e.g. ",tls,cert=..."); sets bridge
# (its pid).
# In the ASan+UBSan build, the sanitizer runtime checks a vptr by writing the vtable's memory
# into a pipe(2) of its own; at the descriptor limit that fails with EMFILE and it reports a
# correct object as having an "invalid vptr" (see fault_fd_limit.sh). That check is made
# recoverable here, so that the false report does not end the bridge.
start_bridge() {
  if sanitized_build; then
    export UBSAN_OPTIONS=halt_on_error=0:print_stacktrace=0
  fi
  as_user "$1" "$IPCAT" -k "unix-listen:$U/b.sock${2:-}" "$SINK_ADDR" </dev/null >"$T/bridge.out" 2>"$T/bridge.err" &
  bridge=$!
  wait_socket "$U/b.sock"
}

# need_hard_limit N: skip unless the user's hard descriptor limit (with soft 1024) leaves room
# for N sessions of two descriptors each.
need_hard_limit() {
  local hard
  hard=$(as_user 'ulimit -Sn 1024' bash -c 'ulimit -Hn')
  echo "user limits: soft 1024, hard $hard"
  [[ $hard == unlimited ]] || ((hard > 2 * $1 + 64)) ||
    { echo "SKIP: the hard descriptor limit ($hard) is too low for $1 sessions" >&2; exit 77; }
}

# delivery_problems N: after client_counts and sink_settled, adds to the array problems what
# is wrong with N clients that should all have delivered 1 MiB: a status, a stderr line, bytes
# or connections missing at the sink.
delivery_problems() {
  local n=$1 errs
  ((ok == n)) || problems+=("$((n - ok)) of $n clients did not exit 0 ($failed failed, $hung hung); first: $(awk '$2 != "0" { print; exit }' "$U/clients/status")")
  errs=$(find "$U/clients" -name '*.err' -size +0 | wc -l)
  ((errs == 0)) || problems+=("$errs clients wrote to stderr, e.g. $(show "$(find "$U/clients" -name '*.err' -size +0 | head -1)")")
  ((total == n * MiB)) || problems+=("the sink received $total bytes, expected $((n * MiB)) ($((total * 100 / (n * MiB)))%)")
  ((conns == n)) || problems+=("the sink saw $conns connections, expected $n")
  ((wrong == 0)) || problems+=("$wrong connections at the sink did not carry exactly 1 MiB")
}

# nofile_limits PID: "SOFT HARD" of PID's RLIMIT_NOFILE.
nofile_limits() { awk '/^Max open files/ { print $4, $5 }' "/proc/$1/limits"; }

# run_clients N SECONDS [ADDRESS]: N clients `ipcat -U $U/b.sock < $U/one.bin` (or `ipcat -
# ADDRESS`) started together as the user (soft limit 1024), waited for SECONDS at most; their
# statuses in $U/clients/status, stderr in $U/clients/I.err. So that the N sessions are open at the same time (a client
# alone is done in a millisecond), the sink reads nothing until every client has been started
# and its connections have stopped arriving (all N there, or none new for 1 s); then it reads
# everything. Sets wall (seconds, the first start to the last exit), arrived (connections the
# sink had before it started reading).
run_clients() {
  local n=$1 bound=$2 cpid last=-1 stable=0 deadline client=(-U "$U/b.sock")
  [[ -z ${3:-} ]] || client=(- "$3")
  [[ -f $U/one.bin ]] || head -c "$MiB" /dev/urandom >"$U/one.bin"
  mkdir -p "$U/clients"
  chown "$USER_NAME:$USER_GROUP" "$U/clients"
  as_user 'ulimit -Sn 1024' "$PY" "$E2E/clients.py" "$n" "$U/one.bin" "$U/clients" "$bound" \
    "$IPCAT" "${client[@]}" >"$T/clients.wall" 2>"$T/clients.err" &
  cpid=$!
  wait_for 60 test -f "$U/clients/started"
  deadline=$((SECONDS + 15))
  while ((SECONDS < deadline)); do
    arrived=$(line_count "$T/sink.accepted")
    ((arrived >= n)) && break
    if ((arrived == last)); then
      stable=$((stable + 1))
      ((stable >= 20)) && break
    else
      stable=0
    fi
    last=$arrived
    sleep 0.05
  done
  touch "$T/sink.go"
  wait_exit "$cpid" $((bound + 15))
  ((status == 0)) || fail "clients.py failed (status $status): $(show "$T/clients.err")"
  wall=$(cat "$T/clients.wall")
}

# sink_settled N: wait (10 s at most) until the sink has seen N connections end, or its count
# stops growing for 1 s; sets conns (connections ended), total (their bytes), wrong (how many
# did not carry exactly 1 MiB).
sink_settled() {
  local want=$1 last=-1 stable=0 deadline=$((SECONDS + 10))
  while ((SECONDS < deadline)); do
    conns=$(line_count "$T/sink.conns")
    ((conns >= want)) && break
    if ((conns == last)); then
      stable=$((stable + 1))
      ((stable >= 20)) && break
    else
      stable=0
    fi
    last=$conns
    sleep 0.05
  done
  conns=$(line_count "$T/sink.conns")
  total=$(awk '{ s += $1 } END { print s + 0 }' "$T/sink.conns" 2>/dev/null || echo 0)
  wrong=$(awk -v m="$MiB" '$1 != m { n++ } END { print n + 0 }' "$T/sink.conns" 2>/dev/null || echo 0)
}

# client_counts: sets ok (clients with status 0), failed (non-zero), hung (killed at the bound).
client_counts() {
  ok=$(awk '$2 == "0" { n++ } END { print n + 0 }' "$U/clients/status")
  hung=$(awk '$2 == "hang" { n++ } END { print n + 0 }' "$U/clients/status")
  failed=$(awk '$2 != "0" && $2 != "hang" { n++ } END { print n + 0 }' "$U/clients/status")
}
