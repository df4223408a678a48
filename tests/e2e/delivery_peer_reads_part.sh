#!/usr/bin/env bash
# Delivery: a peer that reads exactly 1 MiB of the 4 MiB ipcat sends and then closes. The other
# 3 MiB are either still held by ipcat or thrown away by the peer's kernel (a reset): status 1
# and one line "ipcat: ... not delivered". Over TCP and a Unix stream socket, the data from a
# pipe and from a regular file (the sendfile path).
# Then the race in between: the peer reads exactly what it was sent (1 MiB) while the pipe is
# momentarily empty, and closes. A pipe that then gives more is status 1 and one line; one that
# ends instead lost nothing: status 0.
E2E=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/common.sh
source "$E2E/common.sh"
# shellcheck source=tests/e2e/delivery.bash
source "$E2E/delivery.bash"
need python3

for kind in tcp unix; do
  for source in pipe file; do
    name=$kind-$source
    start_sink "$name" "$kind" partial "$MiB"
    run_ipcat "$name" "$source" "${S[@]}"
    expect_not_delivered "$name" "$kind, data from a $source, the peer reads 1 MiB of 4"
    stop_sink
  done
done
for kind in tcp unix; do
  name=$kind-refill
  start_sink "$name" "$kind" partial "$MiB"
  run_ipcat "$name" refill "${S[@]}"
  expect_not_delivered "$name" "$kind, the peer reads the first 1 MiB while the pipe is empty, then more comes"
  stop_sink
  name=$kind-pause-end
  start_sink "$name" "$kind" partial "$MiB"
  run_ipcat "$name" pause-end "${S[@]}"
  expect_normal_end "$name" "$kind, the peer reads the whole 1 MiB while the pipe is empty, then it ends"
  stop_sink
done
finish
