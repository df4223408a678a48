#!/usr/bin/env bash
# Delivery: a peer that accepts, reads nothing and closes after 0.2 s throws away what ipcat
# sent (the kernel answers the unread data with a reset) while ipcat still holds most of the
# 4 MiB. That is not a normal end: status 1 and one line "ipcat: ... not delivered". Over TCP
# and a Unix stream socket, the data from a pipe (`head -c 4M /dev/zero | ipcat ...`) and from
# a regular file (`ipcat ... < big.bin`, the sendfile path).
# For comparison, the same peer with the other tools (checked here): ncat and socat exit 1 with
# "Connection reset by peer"; nc.openbsd exits 0 and the loss goes unnoticed.
E2E=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/common.sh
source "$E2E/common.sh"
# shellcheck source=tests/e2e/delivery.bash
source "$E2E/delivery.bash"
need python3

for kind in tcp unix; do
  for source in pipe file; do
    name=$kind-$source
    start_sink "$name" "$kind" discard 0.2
    run_ipcat "$name" "$source" "${S[@]}"
    expect_not_delivered "$name" "$kind, data from a $source, the peer reads nothing"
    stop_sink
  done
done
finish
