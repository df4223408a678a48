#!/usr/bin/env bash
# ipcat as server, socat as client, over Unix and TCP: 4 MiB of random bytes client to server,
# server to client, and both ways at once; checked by sha256; both exit on their own.
# socat runs one-way (-u) for the one-way transfers; both ways, it gets -t 5: its default
# -t 0.5 (how long it waits for the other way after one has ended) can cut a transfer short.
source "$(dirname "$0")/common.sh"
need socat
PEER=socat

peer_client() {
  local to
  case $1 in
    unix) to=UNIX-CONNECT:$3 ;;
    tcp) to=TCP:127.0.0.1:$3 ;;
  esac
  case $2 in
    c2s) exec socat -u - "$to" ;;
    s2c) exec socat -u "$to" - ;;
    both) exec socat -t 5 - "$to" ;;
  esac
}

run_server_cases
