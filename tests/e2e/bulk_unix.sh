#!/usr/bin/env bash
# 16 MiB of random bytes through a Unix socket, client to server, server to client, and both at
# once, intact.
source "$(dirname "$0")/common.sh"
bulk_scenario unix
