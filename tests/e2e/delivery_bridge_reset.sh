#!/usr/bin/env bash
# Delivery through a bridge: `ipcat -k LISTEN tcp:127.0.0.1:PORT` in front of a TCP backend that
# resets its first 4 connections without reading anything. Each client's 1 MiB (from a file and
# from a pipe) is thrown away behind the bridge: its session fails and the bridge says so, one
# line a client. A TCP client must see it too: the bridge resets it, and it ends with status 1
# and one line "ipcat: ... not delivered". A Unix stream client has no reset: one that still had
# bytes in flight gets the same status 1, but one whose last byte was already read by the bridge
# sees an ordinary close; for it the bridge's line is the record (the man page says so). The
# bridge keeps serving: the 5th client, which the backend reads in full, ends with status 0 and
# its 1 MiB delivered. SIGTERM then stops the bridge (143, socket file removed).
E2E=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/common.sh
source "$E2E/common.sh"
# shellcheck source=tests/e2e/delivery.bash
source "$E2E/delivery.bash"
need python3

head -c "$MiB" /dev/urandom >one.bin

for kind in tcp unix; do
  start_sink "backend-$kind" tcp reset 4
  backend=${A[0]}
  if [[ $kind == tcp ]]; then
    "$IPCAT" -v -k tcp-listen:127.0.0.1:0 "$backend" </dev/null >"bridge-$kind.out" 2>"bridge-$kind.err" &
    bridge=$!
    to=(127.0.0.1 "$(listen_port "bridge-$kind.err")")
  else
    "$IPCAT" -k "unix-listen:$T/b.sock" "$backend" </dev/null >"bridge-$kind.out" 2>"bridge-$kind.err" &
    bridge=$!
    wait_socket "$T/b.sock"
    to=(-U "$T/b.sock")
  fi

  # client NAME SOURCE: one client of the bridge, its 1 MiB from a file or a pipe; sets status.
  client() {
    status=0
    if [[ $2 == file ]]; then
      timeout -k 1 10 "$IPCAT" "${to[@]}" <one.bin >"$1.out" 2>"$1.err" || status=$?
    else
      timeout -k 1 10 "$IPCAT" "${to[@]}" < <(cat one.bin) >"$1.out" 2>"$1.err" || status=$?
    fi
  }

  # reset_seen NAME WHAT: the client NAME failed with one line: its data not delivered, or the
  # bridge's reset already arrived while it was connecting (then it sent nothing).
  reset_seen() {
    echo "$2: status $status, stderr $(show "$T/$1.err")"
    if ((status != 1)) || ! one_error_line "$T/$1.err" 'not delivered$|: Connection reset by peer$'; then
      case_failed "$2: expected status 1 and one line, got $status, $(show "$T/$1.err")"
    fi
  }

  i=0
  for source in file pipe file pipe; do
    i=$((i + 1))
    client "$kind-c$i" "$source"
    if [[ $kind == tcp || $status != 0 ]]; then
      reset_seen "$kind-c$i" "$kind client $i (data from a $source), the backend resets"
    else
      assert_empty "$kind-c$i.err" "$kind client $i: stderr of a client that saw a close"
    fi
    kill -0 "$bridge" 2>/dev/null || fail "the $kind bridge ended after client $i (status: $(wait "$bridge"; echo $?), stderr $(show "bridge-$kind.err"))"
  done
  wait_for 5 has_lines "$T/backend-$kind.conns" 4
  # One line from the bridge for each client whose session failed.
  wait_for 5 test "$(grep -c '^ipcat: connection from ' "bridge-$kind.err")" -eq 4

  client "$kind-c5" file
  expect_normal_end "$kind-c5" "$kind client 5, the backend reads everything"
  wait_for 5 has_lines "$T/backend-$kind.conns" 5
  got=$(sed -n 5p "$T/backend-$kind.conns")
  [[ $got == "$MiB" ]] || case_failed "$kind client 5: the backend got $got bytes of $MiB"
  assert_eq "reset reset reset reset" "$(head -n 4 "$T/backend-$kind.conns" | tr '\n' ' ' | sed 's/ $//')" "what the backend did with connections 1-4"

  kill -TERM "$bridge"
  wait_exit "$bridge" 5
  assert_eq 143 "$status" "the $kind bridge's status after SIGTERM"
  [[ ! -e $T/b.sock ]] || fail "the bridge left its socket file"
  stop_sink
done
finish
