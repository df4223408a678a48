#!/usr/bin/env bash
# ipcat as server, nc.openbsd as client, over Unix and TCP: 4 MiB of random bytes client to
# server, server to client, and both ways at once; checked by sha256; both exit on their own.
# nc.openbsd exits after its input ends only with -N (it then shuts its write side down), so
# the sending client gets -N; a receiving client exits when ipcat closes.
source "$(dirname "$0")/common.sh"
need nc.openbsd
PEER=nc.openbsd

peer_client() {
  local to
  case $1 in
    unix) to=(-U "$3") ;;
    tcp) to=(127.0.0.1 "$3") ;;
  esac
  case $2 in
    c2s | both) exec nc.openbsd -N "${to[@]}" ;;
    s2c) exec nc.openbsd "${to[@]}" ;;
  esac
}

run_server_cases
