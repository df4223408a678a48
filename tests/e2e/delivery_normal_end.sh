#!/usr/bin/env bash
# Delivery, the normal ends that stay status 0 with nothing on stderr:
# - a peer that reads everything (4 MiB, from a pipe and from a file) and then closes;
# - `echo req | ipcat HOST PORT` (and the request from a file) against a server that answers
#   and closes: the whole answer arrives;
# - `ipcat ... | head -c 10` against a server that floods: a closed stdout is a quiet end;
# - `ipcat --uuid` (no --count) into a consumer that reads 5 lines and leaves: a generator has
#   no end, so its consumer leaving is normal.
# Each over TCP and a Unix stream socket.
E2E=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/common.sh
source "$E2E/common.sh"
# shellcheck source=tests/e2e/delivery.bash
source "$E2E/delivery.bash"
need python3

for kind in tcp unix; do
  # A peer that takes everything.
  for source in pipe file; do
    name=all-$kind-$source
    start_sink "$name" "$kind" all
    run_ipcat "$name" "$source" "${S[@]}"
    expect_normal_end "$name" "$kind, data from a $source, the peer reads everything"
    wait_for 5 test -s "$T/$name.conns"
    got=$(cat "$T/$name.conns")
    [[ $got == $((4 * MiB)) ]] || case_failed "$kind, data from a $source: the peer got $got bytes of $((4 * MiB))"
    stop_sink
  done

  # A request and its answer: from a pipe (echo) and from a file.
  name=answer-$kind-pipe
  start_sink "$name" "$kind" answer
  status=0
  echo req | timeout -k 1 10 "$IPCAT" "${S[@]}" >"$T/$name.out" 2>"$T/$name.err" || status=$?
  expect_normal_end "$name" "$kind, echo req | ipcat"
  [[ $(cat "$T/$name.out") == answer ]] || case_failed "$kind, echo req | ipcat: got $(show "$T/$name.out")"
  name=answer-$kind-file
  echo req >"$T/req.txt"
  status=0
  timeout -k 1 10 "$IPCAT" "${S[@]}" <"$T/req.txt" >"$T/$name.out" 2>"$T/$name.err" || status=$?
  expect_normal_end "$name" "$kind, ipcat < req.txt"
  [[ $(cat "$T/$name.out") == answer ]] || case_failed "$kind, ipcat < req.txt: got $(show "$T/$name.out")"
  stop_sink

  # A flood into `| head -c 10`.
  name=flood-$kind
  start_sink "$name" "$kind" flood
  {
    rc=0
    timeout -k 1 10 "$IPCAT" "${S[@]}" </dev/null 2>"$T/$name.err" || rc=$?
    echo "$rc" >"$T/$name.rc"
  } | head -c 10 >"$T/$name.out"
  status=$(cat "$T/$name.rc")
  expect_normal_end "$name" "$kind, ipcat | head -c 10 against a flood"
  [[ $(stat -c %s "$T/$name.out") == 10 ]] || case_failed "$kind, ipcat | head -c 10: head got $(stat -c %s "$T/$name.out") bytes"
  stop_sink

  # The generator into a consumer that leaves after 5 lines.
  name=uuid-$kind
  start_sink "$name" "$kind" lines 5
  run_ipcat "$name" null --uuid "${S[@]}"
  expect_normal_end "$name" "$kind, ipcat --uuid into a consumer that reads 5 lines"
  stop_sink
done
finish
