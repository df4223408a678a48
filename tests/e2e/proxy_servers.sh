# Real proxies on loopback for the proxy scenarios, each started with a configuration written
# into $T: danted (SOCKS4 and SOCKS5, with or without a username/password), tinyproxy (HTTP
# CONNECT, with or without BasicAuth), sshd and ssh -D (OpenSSH's dynamic forward: SOCKS4a and
# SOCKS5), and ipcat listeners as targets. Source it after common.sh:
#   source "$(dirname "$0")/common.sh"; source "$(dirname "$0")/proxy_servers.sh"
# The proxies run with a private /etc/hosts (a mount namespace) that knows one name ipcat does
# not, $PROXY_ONLY_NAME, so a scenario can tell that the proxy resolved a name. Run on its own,
# this file checks that each server starts and relays.
#
# Functions: free_port, port_open PORT, start_danted NAME none|username (sets DANTE_PORT),
# add_proxy_user (sets PROXY_USER, PROXY_PASS; removed at exit), start_tinyproxy NAME [USER
# PASS] (sets TINY_PORT), start_sshd (sets SSHD_PORT, SSH_OPTS), start_ssh_socks (sets
# SSH_SOCKS_PORT), start_target NAME [ARGS...] (an ipcat listener on 127.0.0.1 port 0, its stdin
# from $NAME.in if present; sets TARGET_PORT, TARGET_PID).

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  # shellcheck source=common.sh
  source "$(dirname "$0")/common.sh"
fi

need danted tinyproxy python3 unshare setsid

PROXY_ONLY_NAME=only-the-proxy-knows.ipcat.test
_px_groups=()
_px_user=
_px_hosts_marker=

# Stops every server this file started (each runs in its own process group) and removes the
# user and any /etc/hosts line it added.
proxy_servers_stop() {
  local g
  for g in "${_px_groups[@]}"; do
    kill -TERM -- "-$g" 2>/dev/null || true
  done
  sleep 0.1
  for g in "${_px_groups[@]}"; do
    kill -KILL -- "-$g" 2>/dev/null || true
  done
  if [[ -n $_px_user ]]; then
    userdel "$_px_user" 2>/dev/null || true
  fi
  if [[ -n $_px_hosts_marker ]]; then
    sed -i "/$_px_hosts_marker/d" /etc/hosts 2>/dev/null || true
  fi
}
trap '_px_rc=$?; proxy_servers_stop; (exit $_px_rc); _cleanup' EXIT

# The private hosts file of the proxies. Without mount namespaces (a locked-down container)
# the line goes into /etc/hosts itself for the scenario's length: the proxies still resolve
# the name, ipcat could too.
cp /etc/hosts "$T/proxy-hosts"
echo "127.0.0.1 $PROXY_ONLY_NAME" >>"$T/proxy-hosts"
if unshare -m sh -c "mount --bind '$T/proxy-hosts' /etc/hosts" 2>/dev/null; then
  _px_private_hosts=1
else
  _px_private_hosts=0
  _px_hosts_marker="ipcat-proxy-test-$$"
  echo "127.0.0.1 $PROXY_ONLY_NAME # $_px_hosts_marker" >>/etc/hosts
fi

# free_port: a TCP port free on 127.0.0.1 right now (for servers that cannot report port 0).
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# port_open PORT: something accepts on 127.0.0.1:PORT (for wait_for).
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# px_start LOG COMMAND...: COMMAND in the background, in its own process group, seeing the
# private hosts file; its output goes to LOG.
px_start() {
  local log=$1
  shift
  if ((_px_private_hosts)); then
    setsid unshare -m sh -c 'mount --bind "$0" /etc/hosts && exec "$@"' "$T/proxy-hosts" "$@" \
      >"$log" 2>&1 &
  else
    setsid "$@" >"$log" 2>&1 &
  fi
  _px_groups+=($!)
}

# start_danted NAME none|username: a SOCKS4/SOCKS5 server; sets DANTE_PORT.
start_danted() {
  local name=$1 method=$2
  DANTE_PORT=$(free_port)
  cat >"$T/$name.conf" <<EOF
logoutput: $T/$name.log
internal: 127.0.0.1 port = $DANTE_PORT
external: lo
clientmethod: none
socksmethod: $method
user.privileged: root
user.unprivileged: nobody
client pass {
  from: 127.0.0.0/8 to: 0/0
}
socks pass {
  from: 127.0.0.0/8 to: 0/0
  command: connect
  protocol: tcp
}
EOF
  px_start "$T/$name.out" danted -f "$T/$name.conf" -p "$T/$name.pid"
  wait_for 10 port_open "$DANTE_PORT"
}

# add_proxy_user: a system user for danted's username method (it checks the system's
# passwords); sets PROXY_USER and PROXY_PASS. Removed at exit.
add_proxy_user() {
  need useradd chpasswd userdel
  PROXY_USER="ipcatpx$$"
  PROXY_PASS="pw-$$-ok"
  useradd -M -s /usr/sbin/nologin "$PROXY_USER" || fail "useradd $PROXY_USER"
  _px_user=$PROXY_USER
  echo "$PROXY_USER:$PROXY_PASS" | chpasswd || fail "chpasswd $PROXY_USER"
}

# start_tinyproxy NAME [USER PASS]: an HTTP CONNECT proxy (with BasicAuth when given); sets
# TINY_PORT. Without ConnectPort lines tinyproxy lets CONNECT reach any port.
start_tinyproxy() {
  local name=$1
  TINY_PORT=$(free_port)
  cat >"$T/$name.conf" <<EOF
Port $TINY_PORT
Listen 127.0.0.1
Timeout 60
MaxClients 50
Allow 127.0.0.1
LogLevel Info
LogFile "$T/$name.log"
PidFile "$T/$name.pid"
EOF
  if (($# >= 3)); then
    echo "BasicAuth $2 $3" >>"$T/$name.conf"
  fi
  px_start "$T/$name.out" tinyproxy -d -c "$T/$name.conf"
  wait_for 10 port_open "$TINY_PORT"
}

# start_sshd: an sshd on a loopback port with its own host key, and a client key it
# authorizes; sets SSHD_PORT and SSH_OPTS (the options for ssh: key, port, no known_hosts).
start_sshd() {
  need ssh ssh-keygen
  [[ -x /usr/sbin/sshd ]] || fail "/usr/sbin/sshd missing (openssh-server)"
  mkdir -p /run/sshd
  ssh-keygen -q -t ed25519 -N '' -f "$T/host_key"
  ssh-keygen -q -t ed25519 -N '' -f "$T/client_key"
  cp "$T/client_key.pub" "$T/authorized_keys"
  SSHD_PORT=$(free_port)
  cat >"$T/sshd_config" <<EOF
Port $SSHD_PORT
ListenAddress 127.0.0.1
HostKey $T/host_key
AuthorizedKeysFile $T/authorized_keys
PidFile $T/sshd.pid
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
AllowTcpForwarding yes
EOF
  px_start "$T/sshd.log" /usr/sbin/sshd -D -e -f "$T/sshd_config"
  wait_for 10 port_open "$SSHD_PORT"
  SSH_OPTS=(-i "$T/client_key" -p "$SSHD_PORT" -o StrictHostKeyChecking=no
    -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR)
}

# start_ssh_socks: ssh -D through start_sshd's server: OpenSSH's SOCKS4, SOCKS4a and SOCKS5,
# whose names sshd resolves; sets SSH_SOCKS_PORT.
start_ssh_socks() {
  SSH_SOCKS_PORT=$(free_port)
  setsid ssh "${SSH_OPTS[@]}" -N -D "127.0.0.1:$SSH_SOCKS_PORT" "$(id -un)@127.0.0.1" \
    >"$T/ssh-d.log" 2>&1 &
  _px_groups+=($!)
  wait_for 10 port_open "$SSH_SOCKS_PORT"
}

# start_target NAME [ARGS...]: an ipcat listener on 127.0.0.1 port 0 (stdin $T/NAME.in if it
# exists, else /dev/null; stdout $T/NAME.out); sets TARGET_PORT and TARGET_PID.
start_target() {
  local name=$1 in=/dev/null
  shift
  [[ -f $T/$name.in ]] && in=$T/$name.in
  # A NAME used again: the last listener's "Listening on" line would be read for this one's
  # port (the new listener truncates its log only once it has started).
  rm -f "$T/$name.err" "$T/$name.out"
  "$IPCAT" -v "$@" -l 127.0.0.1 0 <"$in" >"$T/$name.out" 2>"$T/$name.err" &
  TARGET_PID=$!
  TARGET_PORT=$(listen_port "$T/$name.err")
}

# through NAME PROXY_ARGS...: `ipcat PROXY_ARGS...` with stdin $T/NAME.send, stdout
# $T/NAME.got, stderr $T/NAME.cerr; sets $status.
through() {
  local name=$1
  shift
  status=0
  timeout 20 "$IPCAT" "$@" <"$T/$name.send" >"$T/$name.got" 2>"$T/$name.cerr" || status=$?
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  # Each server starts and relays a line.
  start_danted dante none
  start_tinyproxy tiny
  for url in "socks5://127.0.0.1:$DANTE_PORT" "http://127.0.0.1:$TINY_PORT"; do
    # tinyproxy does not half-close: once one side ends it closes both, so the target here
    # only listens (--no-shutdown keeps it from ending its side first).
    start_target t --no-shutdown
    echo ping >"$T/c.send"
    through c "tcp:127.0.0.1:$TARGET_PORT,proxy=$url"
    wait_exit "$TARGET_PID" 10
    assert_eq 0 "$status" "client through $url"
    assert_eq ping "$(cat "$T/t.out")" "what the target got, through $url"
  done
  # The proxies see a name that ipcat does not (when mount namespaces are there).
  if ((_px_private_hosts)); then
    getent hosts "$PROXY_ONLY_NAME" >/dev/null && fail "$PROXY_ONLY_NAME resolves outside"
  fi
  echo "ok"
fi
