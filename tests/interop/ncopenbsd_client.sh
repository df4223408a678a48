#!/usr/bin/env bash
# ipcat as client, nc.openbsd as server, over Unix and TCP: 4 MiB of random bytes client to
# server, server to client, and both ways at once; checked by sha256; both exit on their own.
# The sending nc.openbsd gets -N (without it, it does not exit after its input ends). Its TCP
# listener is on port 0; the real port is read from the kernel's table (ss).
# Debian's nc.openbsd as a listener quits as soon as its network input ends ("listen and net
# in gone, queues empty, done" in its readwrite()), dropping what it has not sent yet. ipcat
# half-closes when its stdin ends, at once with stdin /dev/null, so a receiving ipcat client is
# run the way a receiving nc client is: without the half-close (--no-shutdown), or never
# reading its input (-d). Both must get everything. Both ways at once, ipcat runs with
# --no-shutdown too (nc.openbsd could otherwise quit before it has read all its input): it
# closes once its input is sent and nc.openbsd's data has ended.
source "$(dirname "$0")/common.sh"
need nc.openbsd
PEER=nc.openbsd

peer_server() {
  local at
  case $1 in
    unix) at=(-lU "$3") ;;
    tcp) at=(-l 127.0.0.1 0) ;;
  esac
  case $2 in
    c2s) exec nc.openbsd "${at[@]}" ;;
    s2c | both) exec nc.openbsd -N "${at[@]}" ;;
  esac
}

make_input
for mode in unix tcp; do
  ipcat_client_case "$mode" c2s
  ipcat_client_case "$mode" s2c --no-shutdown
  ipcat_client_case "$mode" s2c -d
  ipcat_client_case "$mode" both --no-shutdown
done
