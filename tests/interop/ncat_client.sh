#!/usr/bin/env bash
# ipcat as client, ncat as server, over Unix and TCP: 4 MiB of random bytes client to server,
# server to client, and both ways at once; checked by sha256; both exit on their own.
# One way, the sending ncat is --send-only and the receiving one --recv-only; both ways, ncat
# runs plain. Its TCP listener is on port 0, which ncat does not report (it prints ":0"): the
# real port is read from ss.
source "$(dirname "$0")/common.sh"
need ncat
PEER=ncat

peer_server() {
  local at
  case $1 in
    unix) at=(-lU "$3") ;;
    tcp) at=(-l 127.0.0.1 0) ;;
  esac
  case $2 in
    c2s) exec ncat --recv-only "${at[@]}" ;;
    s2c) exec ncat --send-only "${at[@]}" ;;
    both) exec ncat "${at[@]}" ;;
  esac
}

run_client_cases
