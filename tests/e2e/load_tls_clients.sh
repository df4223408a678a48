#!/usr/bin/env bash
# Load over TLS: 500 concurrent TLS clients through a TLS bridge run by an unprivileged user
# with the default limits (soft RLIMIT_NOFILE 1024, the hard limit left as it is).
# `ipcat -k unix-listen:b.sock,tls,cert=...,key=... tcp:127.0.0.1:PORT` in front of a sink that
# counts the bytes of each connection; 500 `ipcat - unix:b.sock,tls,cafile=...` (verifying the
# bridge's certificate) started together, each sending 1 MiB. The sink reads nothing until all
# have connected, so the 500 handshakes and sessions are open at the same time. Expected:
# - every client exits 0 with nothing on stderr;
# - the sink got 500 connections of exactly 1 MiB each;
# - the bridge is still serving and wrote nothing to stderr.
# (The ASan+UBSan build runs 100 clients: a sanitized process is slow and large to start.)
E2E=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/common.sh
source "$E2E/common.sh"
# shellcheck source=tests/e2e/load.bash
source "$E2E/load.bash"
# shellcheck source=tests/e2e/tls_certs.sh
source "$E2E/tls_certs.sh"
need_user

n=500
if sanitized_build; then n=100; fi
need_hard_limit "$n"
# The keys are root's and private: the user gets copies of its own.
for f in ca.pem server.pem server.key; do
  install -m 600 -o "$USER_NAME" -g "$USER_GROUP" "$T/$f" "$U/$f"
done

start_count_sink
start_bridge 'ulimit -Sn 1024' ",tls,cert=$U/server.pem,key=$U/server.key"
run_clients "$n" 120 "unix:$U/b.sock,tls,cafile=$U/ca.pem,servername=localhost"
client_counts
sink_settled "$n"
echo "$n TLS clients in $wall s ($arrived connected at once): $ok exited 0, $failed failed," \
  "$hung hung; the sink got $conns connections, $total of $((n * MiB)) bytes, $wrong" \
  "connections not 1 MiB"
kill -0 "$bridge" 2>/dev/null || fail "the bridge ended (stderr $(show "$T/bridge.err"))"

problems=()
delivery_problems "$n"
[[ ! -s $T/bridge.err ]] || problems+=("the bridge wrote to stderr: $(show "$T/bridge.err")")
if ((${#problems[@]} > 0)); then
  fail "$(printf '%s; ' "${problems[@]}")"
fi
