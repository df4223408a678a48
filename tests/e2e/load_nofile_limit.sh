#!/usr/bin/env bash
# Load: at start ipcat raises its soft RLIMIT_NOFILE to the hard limit, and restores the
# original for the children it starts. Run as an unprivileged user with soft 1024 (the hard
# limit as it is, and again with hard 4096): a listener's /proc/PID/limits shows soft = hard,
# and its child (`-c 'ulimit -Sn; ulimit -Hn'`, whose output goes to the client) sees soft
# 1024 and the hard limit unchanged.
E2E=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/common.sh
source "$E2E/common.sh"
# shellcheck source=tests/e2e/load.bash
source "$E2E/load.bash"
need_user

for hard in "$(ulimit -Hn)" 4096; do
  name=hard-$hard
  as_user "ulimit -Sn 1024 && ulimit -Hn $hard" "$IPCAT" -lU "$U/$name.sock" -c 'ulimit -Sn; ulimit -Hn' \
    </dev/null >"$name.out" 2>"$name.err" &
  lst=$!
  wait_socket "$U/$name.sock"
  read -r soft_now hard_now < <(nofile_limits "$lst")
  echo "hard $hard: the listener's limits: soft $soft_now, hard $hard_now"
  got=$(timeout -k 1 10 "$IPCAT" -U "$U/$name.sock" </dev/null 2>"$name.cli.err" | tr '\n' ' ') ||
    fail "hard $hard: the client failed: $(show "$name.cli.err")"
  echo "hard $hard: the child's limits (soft hard): $got"
  wait_exit "$lst" 5
  assert_eq 0 "$status" "hard $hard: the listener's status"
  assert_eq "$hard $hard" "$soft_now $hard_now" "hard $hard: the listener's soft and hard limits"
  assert_eq "1024 $hard " "$got" "hard $hard: the child's soft and hard limits"
done
