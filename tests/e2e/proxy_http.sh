# HTTP CONNECT through tinyproxy, with and without BasicAuth: 8 MiB each way by hash (one way
# at a time: tinyproxy closes both sides once one ends), in each spelling (proxy=http://, nc's
# -X connect, ncat's --proxy, socat's proxy:); a name only the proxy resolves; a wrong password
# (tinyproxy answers 401 where others say 407) and a refused target: one line each naming the
# proxy and its answer, status 1.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
source "$here/proxy_servers.sh"

start_tinyproxy tiny
OPEN=$TINY_PORT
start_tinyproxy tiny-auth webuser secr3t.pw
AUTH=$TINY_PORT

head -c 8M /dev/urandom >a.bin
sum() { sha256sum <"$1" | cut -d' ' -f1; }

# up NAME ARGS...: a.bin from ipcat to the target through the proxy the ARGS name (TARGET
# stands for the target's port); down NAME ARGS...: a.bin from the target to ipcat.
up() {
  local name=$1 args=()
  shift
  start_target "$name.t" --no-shutdown
  for a in "$@"; do args+=("${a//TARGET/$TARGET_PORT}"); done
  cp a.bin "$name.send"
  through "$name" "${args[@]}"
  wait_exit "$TARGET_PID" 10
  assert_eq 0 "$status" "$name: client's status ($(show "$name.cerr"))"
  assert_empty "$name.cerr" "$name: client's stderr"
  assert_eq "$(sum a.bin)" "$(sum "$name.t.out")" "$name: what the target got"
}
down() {
  local name=$1 args=()
  shift
  cp a.bin "$name.t.in"
  start_target "$name.t"
  for a in "$@"; do args+=("${a//TARGET/$TARGET_PORT}"); done
  : >"$name.send"
  through "$name" --no-shutdown "${args[@]}"
  wait_exit "$TARGET_PID" 10
  assert_eq 0 "$status" "$name: client's status ($(show "$name.cerr"))"
  assert_empty "$name.cerr" "$name: client's stderr"
  assert_eq "$(sum a.bin)" "$(sum "$name.got")" "$name: what the client got"
}

up http-up "tcp:127.0.0.1:TARGET,proxy=http://127.0.0.1:$OPEN"
down http-down "tcp:127.0.0.1:TARGET,proxy=http://127.0.0.1:$OPEN"
up auth-up "tcp:127.0.0.1:TARGET,proxy=http://webuser:secr3t%2Epw@127.0.0.1:$AUTH"
down auth-down -X connect -x "127.0.0.1:$AUTH" -P webuser --proxy-auth secr3t.pw 127.0.0.1 TARGET
up ncat --proxy "127.0.0.1:$AUTH" --proxy-type http --proxy-auth webuser:secr3t.pw 127.0.0.1 TARGET
IPCAT_PROXY_AUTH=webuser:secr3t.pw down env-auth --proxy "127.0.0.1:$AUTH" 127.0.0.1 TARGET
down socat "proxy:127.0.0.1:127.0.0.1:TARGET,proxyport=$AUTH,proxyauth=webuser:secr3t.pw"

# A name only the proxy knows.
echo named >named.t.in
start_target named.t
: >named.send
through named --no-shutdown --proxy "127.0.0.1:$OPEN" "$PROXY_ONLY_NAME" "$TARGET_PORT"
wait_exit "$TARGET_PID" 10
assert_eq 0 "$status" "a name the proxy resolves: client's status ($(show named.cerr))"
assert_eq named "$(cat named.got)" "a name the proxy resolves: what the client got"

# Refusals.
closed=$(free_port)
: >e.send
through e "tcp:127.0.0.1:$closed,proxy=http://webuser:wrong@127.0.0.1:$AUTH"
assert_eq 1 "$status" "wrong password: status"
assert_error e.cerr "^ipcat: proxy http://127\.0\.0\.1:$AUTH: HTTP 40[17] [A-Z]"
through e --proxy "127.0.0.1:$AUTH" 127.0.0.1 "$closed"
assert_eq 1 "$status" "no credentials: status"
assert_error e.cerr "^ipcat: proxy http://127\.0\.0\.1:$AUTH: HTTP 40[17] "
through e --proxy "127.0.0.1:$OPEN" 127.0.0.1 "$closed"
assert_eq 1 "$status" "refused target: status"
assert_error e.cerr "^ipcat: proxy http://127\.0\.0\.1:$OPEN: HTTP 5[0-9][0-9] "
