# ssh through ipcat as its ProxyCommand (the classic use): to an sshd on a loopback port via
# danted (nc.openbsd's -X 5 -x) and via tinyproxy (-X connect), running a command and checking
# its output. Then SOCKS4a, through OpenSSH's own SOCKS server (ssh -D), to a name only the
# proxy side resolves.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
source "$here/proxy_servers.sh"
need ssh sshd

start_danted dante none
start_tinyproxy tiny
start_sshd
user=$(id -un)

for via in "-X 5 -x 127.0.0.1:$DANTE_PORT" "-X connect -x 127.0.0.1:$TINY_PORT" \
  "--proxy 127.0.0.1:$DANTE_PORT --proxy-type socks5"; do
  out=$(timeout 20 ssh "${SSH_OPTS[@]}" -o "ProxyCommand=$IPCAT $via %h %p" "$user@127.0.0.1" \
    'echo "through the proxy: $((6 * 7))"' 2>ssh.err) || fail "ssh via '$via': status $? ($(show ssh.err))"
  assert_eq "through the proxy: 42" "$out" "ssh via '$via': the command's output"
done

# SOCKS4a: the proxy (sshd, behind ssh -D) resolves the name; ipcat never could.
start_ssh_socks
echo four-a >t.in
start_target t
echo hi >c.send
through c "tcp:$PROXY_ONLY_NAME:$TARGET_PORT,proxy=socks4a://127.0.0.1:$SSH_SOCKS_PORT"
wait_exit "$TARGET_PID" 10
assert_eq 0 "$status" "SOCKS4a to a name the proxy resolves: status ($(show c.cerr))"
assert_eq four-a "$(cat c.got)" "SOCKS4a: what the client got"
assert_eq hi "$(cat t.out)" "SOCKS4a: what the target got"
# socat's spelling, to the same.
start_target t2
: >c2.send
through c2 "socks4a:127.0.0.1:$PROXY_ONLY_NAME:$TARGET_PORT,socksport=$SSH_SOCKS_PORT"
wait_exit "$TARGET_PID" 10
assert_eq 0 "$status" "socks4a: address: status ($(show c2.cerr))"
