#!/usr/bin/env bash
# ipcat as server, socat as client, over Unix and TCP: 4 MiB of random bytes client to server
# and, separately, server to client; checked by sha256; both exit on their own.
# socat runs one-way (-u): in both-ways mode its default -t 0.5 can cut a transfer short.
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
  esac
}

run_server_cases
