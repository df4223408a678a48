#!/usr/bin/env bash
# Fault injection: SIGINT and SIGTERM in the middle of a full-speed transfer, over Unix, TCP
# and TLS, to a listener and to a client, sending or receiving. The signalled ipcat exits with 130 (INT)
# or 143 (TERM) within 2 s and no error line; a Unix listener removes its socket file; its
# peer ends within 2 s with status 0 or 1 and at most one line; and the pipes ipcat shared with
# the shell (stdin and stdout) are left blocking (O_NONBLOCK clear, seen with fcntl from a
# process that shares them, after ipcat is gone).
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/tls_certs.sh"
need python3

MiB=$((1024 * 1024))

write_counter

# flags.py FD: "nonblocking" or "blocking", the O_NONBLOCK state of FD's open file description.
cat >flags.py <<'PY'
import fcntl, os, sys
fd = int(sys.argv[1])
print("nonblocking" if fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_NONBLOCK else "blocking")
PY

# subject NAME SOURCE ARGS...: run `ipcat ARGS` (SIGINT at its default disposition) in the
# background with stdin a pipe from SOURCE (zeros: 1 GiB of zeros; idle: a pipe that stays open
# and silent, from a held-open FIFO) and stdout a pipe into a counter (NAME.count). Its pid goes to NAME.pid; once it
# has ended, its status goes to NAME.rc, and the O_NONBLOCK state of the two pipes, seen by the
# shell that shares them, to NAME.flags ("IN OUT").
subject() {
  local name=$1 source=$2
  shift 2
  local src=(head -c 1G /dev/zero)
  if [[ $source == idle ]]; then
    # A held-open FIFO (its holder is a job of this shell, so the cleanup stops it).
    open_input "$name.in"
    src=(cat "$T/$name.in")
  fi
  {
    env --default-signal=INT "$IPCAT" "$@" <&0 2>"$name.err" &
    echo $! >"$name.pid"
    rc=0
    wait $! || rc=$?
    echo "$(python3 flags.py 0) $(python3 flags.py 1)" >"$name.flags"
    echo "$rc" >"$name.rc"
  } < <("${src[@]}") | python3 count.py "$name" &
  wait_for 5 test -s "$name.pid"
}

# listen MODE NAME / connect MODE NAME (L, C; -v only for TCP, where the port is needed).

# peer_check PID ERRFILE WHAT: the peer ends within 2 s, status 0 or 1, at most one line
# besides -v's events.
peer_check() {
  wait_exit_within "$1" 2000
  ((status == 0 || status == 1)) || fail "$3: the peer's status $status (expected 0 or 1)"
  grep -vE '^(Listening on|Connection from|Connected to|TLS) ' "$2" >"$2.rest" || true
  (($(wc -l <"$2.rest") <= 1)) || fail "$3: the peer wrote more than one line: $(show "$2.rest")"
}

for mode in unix tcp tls; do
  for sig in INT:130 TERM:143; do
    name=${sig%:*}
    want=${sig#*:}
    for role in listener-sending listener-receiving client-sending client-receiving; do
      n=$mode-$name-$role
      sock=
      case $role in
        listener-sending)
          listen "$mode" "$n"
          subject "$n" zeros "${L[@]}"
          connect "$mode" "$n"
          mkfifo "$n.peer.fifo"
          python3 count.py "$n.peer" <"$n.peer.fifo" &
          "$IPCAT" "${C[@]}" </dev/null >"$n.peer.fifo" 2>"$n.peer.err" &
          peer=$!
          flowing=$n.peer
          [[ $mode == unix ]] && sock=$T/$n.sock
          ;;
        listener-receiving)
          listen "$mode" "$n"
          subject "$n" idle "${L[@]}"
          connect "$mode" "$n"
          "$IPCAT" "${C[@]}" < <(head -c 1G /dev/zero) >/dev/null 2>"$n.peer.err" &
          peer=$!
          flowing=$n
          [[ $mode == unix ]] && sock=$T/$n.sock
          ;;
        client-sending)
          listen "$mode" "$n.peer"
          mkfifo "$n.peer.fifo"
          python3 count.py "$n.peer" <"$n.peer.fifo" &
          "$IPCAT" "${L[@]}" </dev/null >"$n.peer.fifo" 2>"$n.peer.err" &
          peer=$!
          connect "$mode" "$n.peer"
          subject "$n" zeros "${C[@]}"
          flowing=$n.peer
          ;;
        client-receiving)
          listen "$mode" "$n.peer"
          "$IPCAT" "${L[@]}" < <(head -c 1G /dev/zero) >/dev/null 2>"$n.peer.err" &
          peer=$!
          connect "$mode" "$n.peer"
          subject "$n" idle "${C[@]}"
          flowing=$n
          ;;
      esac
      wait_for 10 counted_at_least "$flowing" $((32 * MiB))
      pid=$(cat "$n.pid")
      kill -s "$name" "$pid"
      start=$(now_ms)
      while kill -0 "$pid" 2>/dev/null && (($(now_ms) - start < 5000)); do
        sleep 0.01
      done
      took=$(($(now_ms) - start))
      # The status is written after two python runs (the pipes' flags): seconds when loaded.
      wait_for 20 test -s "$n.rc"
      echo "$n: ended $took ms after SIG$name with status $(cat "$n.rc"); pipes: $(cat "$n.flags")"
      ((took < 2000)) || fail "$n: SIG$name took $took ms to end ipcat"
      assert_eq "$want" "$(cat "$n.rc")" "$n: status after SIG$name"
      grep -vE '^(Listening on|Connection from|Connected to|TLS) ' "$n.err" >"$n.err.rest" || true
      assert_empty "$n.err.rest" "$n: stderr after SIG$name"
      assert_eq "blocking blocking" "$(cat "$n.flags")" "$n: O_NONBLOCK state of the stdin and stdout pipes after SIG$name"
      if [[ -n $sock ]]; then
        [[ ! -e $sock ]] || fail "$n: socket file left after SIG$name"
      fi
      peer_check "$peer" "$n.peer.err" "$n"
      if [[ $role == client-* && $mode == unix ]]; then
        [[ ! -e $T/$n.peer.sock ]] || fail "$n: the listening peer left its socket file"
      fi
    done
  done
done
