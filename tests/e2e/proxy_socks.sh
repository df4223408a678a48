# SOCKS through danted: 8 MiB each way at once by hash through SOCKS5, SOCKS5 with a
# username/password and SOCKS4, and 1 MiB each way in the other spellings (proxy=URL, nc's
# -X/-x, ncat's --proxy, socat's socks4:/socks5:); an IPv6 target; a name only the proxy
# resolves; a wrong password, no credentials, a refused target: one line each naming the proxy
# and its answer, status 1.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
source "$here/proxy_servers.sh"

start_danted dante none
OPEN=$DANTE_PORT
add_proxy_user
start_danted dante-auth username
AUTH=$DANTE_PORT

head -c 8M /dev/urandom >big.a
head -c 8M /dev/urandom >big.b
# The other spellings reach the same proxies: 1 MiB each way is enough to tell.
head -c 1M big.a >small.a
head -c 1M big.b >small.b
size=big
sum() { sha256sum <"$1" | cut -d' ' -f1; }

# bulk NAME ARGS...: $size.a from the target and $size.b from ipcat at once, through the proxy the
# ARGS name (TARGET stands for the target's port).
bulk() {
  local name=$1 args=()
  shift
  cp "$size.a" "$name.t.in"
  start_target "$name.t"
  for a in "$@"; do args+=("${a//TARGET/$TARGET_PORT}"); done
  cp "$size.b" "$name.send"
  through "$name" "${args[@]}"
  wait_exit "$TARGET_PID" 10
  assert_eq 0 "$status" "$name: target's status"
  assert_empty "$name.cerr" "$name: client's stderr"
  assert_eq "$(sum "$size.a")" "$(sum "$name.got")" "$name: what the client got"
  assert_eq "$(sum "$size.b")" "$(sum "$name.t.out")" "$name: what the target got"
}

bulk socks5 "tcp:127.0.0.1:TARGET,proxy=socks5://127.0.0.1:$OPEN"
size=small
bulk socks5h "tcp:localhost:TARGET,proxy=socks5h://127.0.0.1:$OPEN" -4
size=big
bulk socks4 "tcp:127.0.0.1:TARGET,proxy=socks4://127.0.0.1:$OPEN"
bulk socks5-auth "tcp:127.0.0.1:TARGET,proxy=socks5://$PROXY_USER:$PROXY_PASS@127.0.0.1:$AUTH"
size=small
bulk nc-x -X 5 -x "127.0.0.1:$OPEN" 127.0.0.1 TARGET
bulk nc-x4 -X 4 -x "127.0.0.1:$OPEN" 127.0.0.1 TARGET
bulk nc-default -x "127.0.0.1:$OPEN" 127.0.0.1 TARGET
bulk ncat --proxy "127.0.0.1:$OPEN" --proxy-type socks5 --proxy-auth "$PROXY_USER:$PROXY_PASS" \
  127.0.0.1 TARGET
IPCAT_PROXY_AUTH="$PROXY_USER:$PROXY_PASS" bulk env-auth -x "127.0.0.1:$AUTH" 127.0.0.1 TARGET
bulk socat5 "socks5:127.0.0.1:127.0.0.1:TARGET,socksport=$AUTH,proxyauth=$PROXY_USER:$PROXY_PASS"
bulk socat4 "socks4:127.0.0.1:127.0.0.1:TARGET,socksport=$OPEN"

# An IPv6 target, by address.
if python3 -c 'import socket; s = socket.socket(socket.AF_INET6); s.bind(("::1", 0))' 2>/dev/null; then
  echo six >v6.in
  "$IPCAT" -v -l ::1 0 <v6.in >v6.out 2>v6.err &
  pid=$!
  port=$(listen_port v6.err)
  echo hello6 >v6c.send
  through v6c "tcp:[::1]:$port,proxy=socks5://127.0.0.1:$OPEN"
  wait_exit "$pid" 10
  assert_eq 0 "$status" "IPv6 target: client's status"
  assert_eq six "$(cat v6c.got)" "IPv6 target: what the client got"
  assert_eq hello6 "$(cat v6.out)" "IPv6 target: what the target got"
fi

# A name only the proxy knows: SOCKS5 passes it on; resolving it here (--proxy-dns local) fails.
echo named >named.t.in
start_target named.t
echo hi >named.send
through named -X 5 -x "127.0.0.1:$OPEN" "$PROXY_ONLY_NAME" "$TARGET_PORT"
wait_exit "$TARGET_PID" 10
assert_eq 0 "$status" "a name the proxy resolves: client's status ($(show named.cerr))"
assert_eq named "$(cat named.got)" "a name the proxy resolves: what the client got"
if ((_px_private_hosts)); then
  : >local.send
  through local -X 5 -x "127.0.0.1:$OPEN" --proxy-dns local "$PROXY_ONLY_NAME" 9
  assert_eq 1 "$status" "--proxy-dns local with a name only the proxy knows"
  assert_error local.cerr "^ipcat: proxy socks5://127\.0\.0\.1:$OPEN: cannot resolve $PROXY_ONLY_NAME"
fi

# Refusals: one line naming the proxy and its answer, status 1.
closed=$(free_port)
: >e.send
through e "tcp:127.0.0.1:$closed,proxy=socks5://$PROXY_USER:wrong@127.0.0.1:$AUTH"
assert_eq 1 "$status" "wrong password: status"
assert_error e.cerr "^ipcat: proxy socks5://127\.0\.0\.1:$AUTH: SOCKS5 authentication failed"
through e "tcp:127.0.0.1:$closed,proxy=socks5://127.0.0.1:$AUTH"
assert_eq 1 "$status" "no credentials: status"
assert_error e.cerr "^ipcat: proxy socks5://127\.0\.0\.1:$AUTH: SOCKS5: the proxy requires authentication"
through e "tcp:127.0.0.1:$closed,proxy=socks5://127.0.0.1:$OPEN"
assert_eq 1 "$status" "refused target (SOCKS5): status"
assert_error e.cerr "^ipcat: proxy socks5://127\.0\.0\.1:$OPEN: SOCKS5 reply 0x05: connection refused$"
through e -X 4 -x "127.0.0.1:$OPEN" 127.0.0.1 "$closed"
assert_eq 1 "$status" "refused target (SOCKS4): status"
assert_error e.cerr "^ipcat: proxy socks4://127\.0\.0\.1:$OPEN: SOCKS4 reply 0x5b"
# -z through the proxy: the target is tried through it, not directly.
through e -z -x "127.0.0.1:$OPEN" 127.0.0.1 "$closed"
assert_eq 1 "$status" "-z to a refused target through the proxy: status"
assert_error e.cerr "SOCKS5 reply 0x05"
