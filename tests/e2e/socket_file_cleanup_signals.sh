#!/usr/bin/env bash
# A Unix listener removes the socket file it created when it ends: after its session (status 0),
# on SIGINT (130) and on SIGTERM (143), waiting or in a session; but not a file that has
# replaced its socket in the meantime.
source "$(dirname "$0")/common.sh"
need python3

# start NAME [ARGS...]: a listener on $T/NAME.sock with SIGINT at its default disposition (as
# in a terminal; background jobs of a script ignore it otherwise); sets $lst.
start() {
  local name=$1
  shift
  env --default-signal=INT "$IPCAT" -v "$@" -lU "$T/$name.sock" </dev/null >"$name.out" 2>"$name.err" &
  lst=$!
  wait_listening "$name.err"
}

# After a normal session.
start normal
echo hi | timeout 10 "$IPCAT" -U "$T/normal.sock" >/dev/null || fail "client exited with status $?"
wait_exit "$lst" 5
assert_eq 0 "$status" "status after the session"
[[ ! -e $T/normal.sock ]] || fail "socket file left after a normal end"

# Signals while waiting for a client.
for sig in INT:130 TERM:143; do
  start "wait-${sig%:*}"
  kill -s "${sig%:*}" "$lst"
  wait_exit "$lst" 5
  assert_eq "${sig#*:}" "$status" "status after SIG${sig%:*} while listening"
  [[ ! -e $T/wait-${sig%:*}.sock ]] || fail "socket file left after SIG${sig%:*}"
done

# Signals during a session (the client's input stays open).
open_input cin
for sig in INT:130 TERM:143; do
  name="session-${sig%:*}"
  start "$name" --uuid --interval 100ms
  "$IPCAT" -U "$T/$name.sock" <cin >"$name.cli.out" 2>"$name.cli.err" &
  cli=$!
  wait_for 10 has_lines "$name.cli.out" 2
  kill -s "${sig%:*}" "$lst"
  wait_exit "$lst" 5
  assert_eq "${sig#*:}" "$status" "status after SIG${sig%:*} in a session"
  [[ ! -e $T/$name.sock ]] || fail "socket file left after SIG${sig%:*} in a session"
  wait_exit "$cli" 5
  assert_eq 0 "$status" "client's status once the listener was stopped"
done

# The socket file was replaced by a regular file: it stays.
start replaced-file
rm "$T/replaced-file.sock"
echo "not yours" >"$T/replaced-file.sock"
kill -TERM "$lst"
wait_exit "$lst" 5
assert_eq 143 "$status" "status after SIGTERM"
assert_eq "not yours" "$(cat "$T/replaced-file.sock")" "the file that replaced the socket"

# The socket file was replaced by another socket: it stays.
start replaced-sock
rm "$T/replaced-sock.sock"
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/replaced-sock.sock"
inode=$(stat -c %i "$T/replaced-sock.sock")
kill -TERM "$lst"
wait_exit "$lst" 5
assert_eq 143 "$status" "status after SIGTERM"
[[ -S $T/replaced-sock.sock ]] || fail "the socket that replaced the listener's was removed"
assert_eq "$inode" "$(stat -c %i "$T/replaced-sock.sock")" "inode of the replacing socket"
