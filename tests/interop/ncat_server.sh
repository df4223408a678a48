#!/usr/bin/env bash
# ipcat as server, ncat as client, over Unix and TCP: 4 MiB of random bytes client to server,
# server to client, and both ways at once; checked by sha256; both exit on their own.
# One way, the sending ncat is --send-only (so that it exits when its input ends) and the
# receiving one --recv-only; both ways, ncat runs plain.
source "$(dirname "$0")/common.sh"
need ncat
PEER=ncat

peer_client() {
  local to
  case $1 in
    unix) to=(-U "$3") ;;
    tcp) to=(127.0.0.1 "$3") ;;
  esac
  case $2 in
    c2s) exec ncat --send-only "${to[@]}" ;;
    s2c) exec ncat --recv-only "${to[@]}" ;;
    both) exec ncat "${to[@]}" ;;
  esac
}

run_server_cases
