#!/usr/bin/env bash
# --allow-uid on a Unix listener: a client running as nobody is refused (closed at once, logged
# with -v), root is served, and the one-client listener keeps waiting for an admitted client.
source "$(dirname "$0")/common.sh"
need setpriv
((EUID == 0)) || { echo "SKIP: needs root to run a client as nobody" >&2; exit 77; }
chmod 711 "$T" # nobody must reach the socket (its mode is opened up with --mode 777)

"$IPCAT" -v --allow-uid 0 --mode 777 -lU "$T/a.sock" <<<"for root" >l.out 2>l.err &
lst=$!
wait_socket "$T/a.sock"

rc=0
echo "from nobody" | timeout 5 setpriv --reuid=nobody --regid=nogroup --clear-groups \
  "$IPCAT" -U "$T/a.sock" >nobody.out 2>nobody.err || rc=$?
# The listener closed it without taking its line: status 1, one line saying so.
assert_eq 1 "$rc" "refused client's status (the listener closed it)"
assert_error nobody.err 'not delivered$'
assert_eq "" "$(cat nobody.out)" "what the refused client received"
wait_for 5 grep -q "^Refused a connection from unix:$T/a.sock: uid 65534" l.err
kill -0 "$lst" || fail "the listener ended after refusing a client"

echo "from root" | timeout 5 "$IPCAT" -U "$T/a.sock" >root.out 2>root.err
assert_eq "for root" "$(cat root.out)" "what root received"
wait_exit "$lst" 5
assert_eq 0 "$status" "listener's status"
assert_eq "from root" "$(cat l.out)" "what the listener received (nothing from nobody)"

# --allow-gid admits by primary group the same way.
"$IPCAT" --allow-gid nogroup --mode 777 -lU "$T/g.sock" <<<"for nogroup" >g.out 2>g.err &
lst=$!
wait_socket "$T/g.sock"
echo hi | timeout 5 setpriv --reuid=nobody --regid=nogroup --clear-groups \
  "$IPCAT" -U "$T/g.sock" >gn.out 2>gn.err
assert_eq "for nogroup" "$(cat gn.out)" "what the nogroup client received"
wait_exit "$lst" 5

# Usage errors: the rules need the right kind of listener.
expect_status 2 "$IPCAT" --allow-uid 0 -l 127.0.0.1 0
expect_status 2 "$IPCAT" --allow-uid 0 -U "$T/x.sock"
expect_status 2 "$IPCAT" --allow-uid no-such-user-here -lU "$T/x.sock"
[[ ! -e $T/x.sock ]] || fail "a usage error created a socket"
