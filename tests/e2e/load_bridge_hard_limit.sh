#!/usr/bin/env bash
# Load beyond what the descriptors allow: 200 concurrent clients through a bridge run by an
# unprivileged user under `ulimit -Hn 256 -Sn 256`, a hard limit too low to serve them all at
# once. `ipcat -k unix-listen:b.sock tcp:127.0.0.1:PORT` in front of a sink that counts the bytes
# of each connection; 200 `ipcat -U b.sock < one_mib_file` started together. No client may be
# dropped without an error on its side:
# - every client either exits 0 having delivered its 1 MiB, or exits non-zero with one error
#   line "ipcat: ..."; none hangs (60 s bound); at least one is served;
# - the sink's total is exactly 1 MiB times the clients that exited 0, and no connection
#   carried part of a client's data;
# - the bridge's soft limit is its hard one (256), and it is still running afterwards.
E2E=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/common.sh
source "$E2E/common.sh"
# shellcheck source=tests/e2e/load.bash
source "$E2E/load.bash"
need_user

n=200
start_count_sink
start_bridge 'ulimit -Sn 256 && ulimit -Hn 256'
read -r soft_now hard_now < <(nofile_limits "$bridge")
echo "bridge's RLIMIT_NOFILE: soft $soft_now, hard $hard_now"
run_clients "$n" 60
client_counts
sink_settled "$n"
partial=$(awk -v m="$MiB" '$1 != m && $1 != 0 { n++ } END { print n + 0 }' "$T/sink.conns" 2>/dev/null || echo 0)
echo "$n clients in $wall s ($arrived connected at once): $ok exited 0, $failed failed, $hung hung;" \
  "the sink got $conns connections, $total bytes ($ok × 1 MiB = $((ok * MiB))), $partial partial"

problems=()
[[ $soft_now == 256 && $hard_now == 256 ]] || problems+=("the bridge's descriptor limits are soft $soft_now hard $hard_now, expected 256 and 256")
((hung == 0)) || problems+=("$hung clients hung")
((ok >= 1)) || problems+=("no client was served")
quiet_failures=0
while read -r i st; do
  [[ $st == 0 || $st == hang ]] && continue
  f=$U/clients/$i.err
  if ! [[ $(wc -l <"$f") -eq 1 && $(head -c 7 "$f") == "ipcat: " ]]; then
    quiet_failures=$((quiet_failures + 1))
    ((quiet_failures > 1)) || problems+=("client $i exited $st without one 'ipcat: ' error line: $(show "$f")")
  fi
done <"$U/clients/status"
((quiet_failures <= 1)) || problems+=("$quiet_failures failed clients in all without one error line")
((total == ok * MiB)) || problems+=("the sink received $total bytes, but $ok clients exited 0 ($((ok * MiB)) bytes): $(((ok * MiB - total) / MiB)) MiB reported delivered were lost")
((partial == 0)) || problems+=("$partial connections at the sink carried part of a client's data")
errs=0
while read -r i st; do
  [[ $st == 0 && -s $U/clients/$i.err ]] && errs=$((errs + 1))
done <"$U/clients/status"
((errs == 0)) || problems+=("$errs clients exited 0 but wrote to stderr")
kill -0 "$bridge" 2>/dev/null || problems+=("the bridge ended (stderr $(show "$T/bridge.err"))")
if ((${#problems[@]} > 0)); then
  fail "$(printf '%s; ' "${problems[@]}")"
fi
