#!/usr/bin/env bash
# --allow, --deny (and --allow-uid/--allow-gid) take one value each: the operands after them
# stay the listener's HOST and PORT (ncat reads `ncat -l --allow 127.0.0.1 38080` so), and a
# repeated flag adds to the list rather than replacing it.
source "$(dirname "$0")/common.sh"

# 1. `-l --allow 127.0.0.2 --allow 127.0.0.1 127.0.0.1 0`: both blocks kept, host and port
# positional. A client from 127.0.0.1 (the first block of the two) is admitted.
"$IPCAT" -v -l --allow 127.0.0.2 --allow 127.0.0.1 127.0.0.1 0 <<<"welcome" >a.out 2>a.err &
lst=$!
port=$(listen_port a.err)
grep -q '^Listening on tcp:127.0.0.1:' a.err || fail "the listener did not take 127.0.0.1 as its host: $(show a.err)"
echo "from .1" | timeout 5 "$IPCAT" -s 127.0.0.1 127.0.0.1 "$port" >c1.out 2>c1.err
assert_eq "welcome" "$(cat c1.out)" "what the admitted client received"
wait_exit "$lst" 5
assert_eq 0 "$status" "listener's status"
assert_eq "from .1" "$(cat a.out)" "what the listener received"

# 2. Repeated --deny: the first block of the two refuses 127.0.0.3, the second 127.0.0.4.
"$IPCAT" -v -l --deny 127.0.0.3 --deny 127.0.0.4 127.0.0.1 0 <<<"hi" >d.out 2>d.err &
lst=$!
port=$(listen_port d.err)
timeout 5 "$IPCAT" -s 127.0.0.3 127.0.0.1 "$port" </dev/null >d3.out 2>/dev/null || true
wait_for 5 grep -q '^Refused a connection from tcp:127.0.0.3:[0-9]*: denied by 127.0.0.3$' d.err
timeout 5 "$IPCAT" -s 127.0.0.4 127.0.0.1 "$port" </dev/null >d4.out 2>/dev/null || true
wait_for 5 grep -q '^Refused a connection from tcp:127.0.0.4:[0-9]*: denied by 127.0.0.4$' d.err
timeout 5 "$IPCAT" -s 127.0.0.5 127.0.0.1 "$port" </dev/null >d5.out 2>/dev/null
assert_eq "hi" "$(cat d5.out)" "what the client that no block denies received"
wait_exit "$lst" 5
assert_eq "" "$(cat d3.out d4.out)" "what the denied clients received"

# 3. --allow-uid before -lU's path: the path stays the socket's.
"$IPCAT" -v --allow-uid "$(id -u)" --allow-gid "$(id -g)" -lU "$T/u.sock" <<<"unix hi" >u.out 2>u.err &
lst=$!
wait_socket "$T/u.sock"
timeout 5 "$IPCAT" -U "$T/u.sock" </dev/null >cu.out 2>cu.err
assert_eq "unix hi" "$(cat cu.out)" "what the admitted Unix client received"
wait_exit "$lst" 5
assert_eq 0 "$status" "Unix listener's status"
