#!/usr/bin/env bash
# ipcat as client, nc.openbsd as server, over Unix and TCP: 4 MiB of random bytes client to
# server and, separately, server to client; checked by sha256; both exit on their own.
# The sending nc.openbsd gets -N (without it, it does not exit after its input ends). Its TCP
# listener is on port 0; the real port is read from the kernel's table (ss).
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
    s2c) exec nc.openbsd -N "${at[@]}" ;;
  esac
}

run_client_cases
