#!/usr/bin/env bash
# Load: 1,000 concurrent clients through a bridge run by an unprivileged user with the default
# limits (soft RLIMIT_NOFILE 1024, the hard limit left as it is). `ipcat -k unix-listen:b.sock
# tcp:127.0.0.1:PORT` in front of a sink that counts the bytes of each connection; 1,000
# `ipcat -U b.sock < one_mib_file` started together. Expected:
# - the bridge has raised its soft descriptor limit to the hard one;
# - every client exits 0 with nothing on stderr;
# - the sink got 1,000 connections of exactly 1 MiB each (1,000 MiB in all).
# (The ASan+UBSan build runs 300 clients: a sanitized process takes about 150 ms and 15 MiB
# to start, too much a thousand times over on a small machine.)
E2E=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/common.sh
source "$E2E/common.sh"
# shellcheck source=tests/e2e/load.bash
source "$E2E/load.bash"
need_user

n=1000
if sanitized_build; then n=300; fi
need_hard_limit "$n"

start_count_sink
start_bridge 'ulimit -Sn 1024'
read -r soft_now hard_now < <(nofile_limits "$bridge")
echo "bridge's RLIMIT_NOFILE: soft $soft_now, hard $hard_now"
run_clients "$n" 90
client_counts
sink_settled "$n"
echo "$n clients in $wall s ($arrived connected at once): $ok exited 0, $failed failed, $hung hung;" \
  "the sink got $conns connections, $total of $((n * MiB)) bytes, $wrong connections not 1 MiB"
kill -0 "$bridge" 2>/dev/null || fail "the bridge ended (stderr $(show "$T/bridge.err"))"

problems=()
[[ $soft_now == "$hard_now" ]] || problems+=("the bridge's soft descriptor limit is $soft_now, not raised to the hard limit $hard_now")
delivery_problems "$n"
if ((${#problems[@]} > 0)); then
  fail "$(printf '%s; ' "${problems[@]}")"
fi
