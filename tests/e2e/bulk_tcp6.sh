#!/usr/bin/env bash
# 16 MiB of random bytes over TCP on [::1], client to server, server to client, and both at
# once, intact. Skipped without an IPv6 loopback.
source "$(dirname "$0")/common.sh"
need_ipv6
bulk_scenario tcp6
