# A chain: proxy= repeated hops through danted (SOCKS5, with a password) and then tinyproxy
# (HTTP CONNECT, with BasicAuth), in the order written: 8 MiB each way by hash; the ncat flag's
# proxy goes first, before the address's own; a hop that refuses is named in the one line.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
source "$here/proxy_servers.sh"

add_proxy_user
start_danted dante username
start_tinyproxy tiny webuser pw2
S="socks5://$PROXY_USER:$PROXY_PASS@127.0.0.1:$DANTE_PORT"
H="http://webuser:pw2@127.0.0.1:$TINY_PORT"

head -c 8M /dev/urandom >a.bin
sum() { sha256sum <"$1" | cut -d' ' -f1; }

# Up (tinyproxy closes both sides when one ends: one direction at a time).
start_target up.t --no-shutdown
cp a.bin up.send
through up -v "tcp:127.0.0.1:$TARGET_PORT,proxy=$S,proxy=$H"
wait_exit "$TARGET_PID" 10
assert_eq 0 "$status" "chain, up: client's status ($(show up.cerr))"
assert_eq "$(sum a.bin)" "$(sum up.t.out)" "chain, up: what the target got"
# Both hops answered, the SOCKS one first (-v says which proxy reached what).
grep -q "^Connected to tcp:127.0.0.1:$DANTE_PORT$" up.cerr || fail "first hop: $(show up.cerr)"
grep -q "^Proxy socks5://127.0.0.1:$DANTE_PORT connected to 127.0.0.1:$TINY_PORT$" up.cerr ||
  fail "second hop: $(show up.cerr)"
grep -q "^Proxy http://127.0.0.1:$TINY_PORT connected to 127.0.0.1:$TARGET_PORT$" up.cerr ||
  fail "target: $(show up.cerr)"

# Down, the first hop from the ncat flags.
cp a.bin down.t.in
start_target down.t
: >down.send
through down --no-shutdown --proxy "127.0.0.1:$DANTE_PORT" --proxy-type socks5 \
  --proxy-auth "$PROXY_USER:$PROXY_PASS" "tcp:127.0.0.1:$TARGET_PORT,proxy=$H"
wait_exit "$TARGET_PID" 10
assert_eq 0 "$status" "chain, down: client's status ($(show down.cerr))"
assert_eq "$(sum a.bin)" "$(sum down.got)" "chain, down: what the client got"

# The second hop refuses: its line names it.
closed=$(free_port)
: >e.send
through e "tcp:127.0.0.1:$closed,proxy=$S,proxy=http://webuser:bad@127.0.0.1:$TINY_PORT"
assert_eq 1 "$status" "chain with a wrong password at the second hop: status"
assert_error e.cerr "^ipcat: proxy http://127\.0\.0\.1:$TINY_PORT: HTTP 40[17] "
# The first hop cannot reach the second.
through e "tcp:127.0.0.1:$TINY_PORT,proxy=$S,proxy=http://127.0.0.1:$closed"
assert_eq 1 "$status" "chain whose second hop is not there: status"
assert_error e.cerr "^ipcat: proxy socks5://127\.0\.0\.1:$DANTE_PORT: SOCKS5 reply 0x05: connection refused$"
