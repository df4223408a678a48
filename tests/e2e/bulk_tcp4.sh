#!/usr/bin/env bash
# 16 MiB of random bytes over TCP on 127.0.0.1, client to server, server to client, and both at
# once, intact.
source "$(dirname "$0")/common.sh"
bulk_scenario tcp4
