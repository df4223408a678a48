#!/usr/bin/env bash
# ipcat as client, socat as server, over Unix and TCP: 4 MiB of random bytes client to server,
# server to client, and both ways at once; checked by sha256; both exit on their own.
# socat runs one-way (-u) for the one-way transfers; both ways, it gets -t 5: its default
# -t 0.5 (how long it waits for the other way after one has ended) can cut a transfer short.
source "$(dirname "$0")/common.sh"
need socat
PEER=socat

peer_server() {
  local at
  case $1 in
    unix) at=UNIX-LISTEN:$3 ;;
    tcp) at=TCP-LISTEN:0,bind=127.0.0.1,reuseaddr ;;
  esac
  case $2 in
    c2s) exec socat -u "$at" - ;;
    s2c) exec socat -u - "$at" ;;
    both) exec socat -t 5 "$at" - ;;
  esac
}

run_client_cases
