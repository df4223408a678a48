# shellcheck shell=bash
# Helpers for the interoperability scenarios: ipcat against real peers (nc.openbsd, socat,
# ncat), as client and as server, over Unix and TCP, the data checked by sha256. Source it
# first: source "$(dirname "$0")/common.sh". It sources ../e2e/common.sh (set -euo pipefail,
# $T, the cleanup trap, wait_for, listen_port, assert_*, need).
#
# A peer script sets PEER (the peer's name, for messages), defines the peer's commands as
# shell functions, then runs the cases:
#   peer_client MODE DIR ADDR   connect to ipcat's listener (MODE unix: ADDR is the socket's
#                               path; tcp: ADDR is a port on 127.0.0.1); DIR c2s: send stdin to
#                               ipcat; s2c: receive ipcat's data on stdout; both: the two at once
#   peer_server MODE DIR PATH   listen (unix: on PATH; tcp: on 127.0.0.1 port 0), serve one
#                               client; DIR c2s: receive on stdout; s2c: send stdin; both: both
# Each function must `exec` the peer, so that $! is the peer's own pid (for ss and for waits).
# ipcat_server_case MODE DIR and ipcat_client_case MODE DIR run one transfer: the client sends
# $T/in (c2s), the server sends $T/in (s2c), or the client $T/in and the server $T/in2 at once
# (both).
source "$(dirname "${BASH_SOURCE[0]}")/../e2e/common.sh"
need sha256sum ss

# How long a transfer of 4 MiB over loopback may take, peers included, before it is a hang.
k_transfer_limit=30

# make_input: 4 MiB of random bytes in $T/in and another 4 MiB in $T/in2.
make_input() {
  head -c 4M /dev/urandom >"$T/in"
  head -c 4M /dev/urandom >"$T/in2"
}

# sha256 FILE: the hex digest of FILE.
sha256() { sha256sum <"$1" | cut -d' ' -f1; }

# assert_hash SENT RECEIVED WHAT: RECEIVED holds exactly the bytes of SENT (by sha256).
assert_hash() {
  local want got
  want=$(sha256 "$1")
  got=$(sha256 "$2")
  [[ $got == "$want" ]] ||
    fail "$3: sha256 $got, want $want ($(stat -c %s "$2") bytes received, $(stat -c %s "$1") sent)"
}

# _inputs DIR: set client_in and server_in, the stdin of the client and of the server.
_inputs() {
  case $1 in
    c2s) client_in=$T/in server_in=/dev/null ;;
    s2c) client_in=/dev/null server_in=$T/in ;;
    both) client_in=$T/in server_in=$T/in2 ;;
    *) fail "unknown direction $1" ;;
  esac
}

# _check_outputs NAME DIR CLIENT SERVER CLIENT_OUT SERVER_OUT: each side's output is what the
# other side sent (nothing when the other side's input was /dev/null).
_check_outputs() {
  local name=$1 dir=$2
  _inputs "$dir"
  if [[ $client_in == /dev/null ]]; then
    assert_empty "$6" "$name: $4's output"
  else
    assert_hash "$client_in" "$6" "$name: what $4 received"
  fi
  if [[ $server_in == /dev/null ]]; then
    assert_empty "$5" "$name: $3's output"
  else
    assert_hash "$server_in" "$5" "$name: what $3 received"
  fi
}

# wait_both SECONDS NAME1 PID1 NAME2 PID2: wait until both processes have ended, SECONDS at most
# in all; fail naming the ones still running. Sets status1 and status2.
wait_both() {
  local limit=$1 n1=$2 p1=$3 n2=$4 p2=$5
  local deadline=$((SECONDS + limit)) alive
  while kill -0 "$p1" 2>/dev/null || kill -0 "$p2" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      alive=()
      kill -0 "$p1" 2>/dev/null && alive+=("$n1")
      kill -0 "$p2" 2>/dev/null && alive+=("$n2")
      fail "still running after ${limit}s: ${alive[*]}"
    fi
    sleep 0.05
  done
  status1=0
  wait "$p1" || status1=$?
  status2=0
  wait "$p2" || status2=$?
}

# _listens_tcp PID: PID has a listening TCP socket (for wait_for).
_listens_tcp() { ss -ltnpH | grep -q "pid=$1,"; }

# _listens_unix PID PATH: PID has a listening Unix stream socket bound to PATH (for wait_for).
_listens_unix() { ss -lxpH | grep -F "pid=$1," | grep -qF " $2 "; }

# peer_tcp_port PID: wait (10 s at most) until PID listens on TCP; print the port. The kernel's
# own table is asked, so a peer that cannot report a port-0 choice (ncat) works as well.
peer_tcp_port() {
  local line
  wait_for 10 _listens_tcp "$1"
  line=$(ss -ltnpH | grep -m1 "pid=$1,")
  line=$(awk '{print $4}' <<<"$line")
  echo "${line##*:}"
}

# peer_unix_ready PID PATH: wait (10 s at most) until PID listens on the Unix socket PATH; a
# socket file that exists is not enough (bind comes before listen).
peer_unix_ready() { wait_for 10 _listens_unix "$1" "$2"; }

# ipcat_server_case MODE DIR: ipcat listens (Unix socket or 127.0.0.1 port 0), peer_client
# connects; the side that does not send has /dev/null as stdin. Both must exit on their own,
# with status 0, and each side's output must be what the other sent.
# shellcheck disable=SC2153 # PEER is set by the script that sources this file.
ipcat_server_case() {
  local mode=$1 dir=$2 name="srv-$1-$2" srv peer addr listen client_in server_in
  echo "case: ipcat server, $PEER client, $mode, $dir" >&2
  case $mode in
    unix) listen=(-lU "$T/$name.sock") ;;
    tcp) listen=(-l 127.0.0.1 0) ;;
    *) fail "unknown mode $mode" ;;
  esac
  _inputs "$dir"
  "$IPCAT" -v "${listen[@]}" <"$server_in" >"$name.ipcat.out" 2>"$name.ipcat.err" &
  srv=$!
  case $mode in
    unix)
      wait_listening "$name.ipcat.err"
      addr=$T/$name.sock
      ;;
    tcp) addr=$(listen_port "$name.ipcat.err") ;;
  esac
  peer_client "$mode" "$dir" "$addr" <"$client_in" >"$name.peer.out" 2>"$name.peer.err" &
  peer=$!
  wait_both "$k_transfer_limit" "ipcat (listener)" "$srv" "$PEER (client)" "$peer"
  assert_eq 0 "$status1" "$name: ipcat's status"
  assert_eq 0 "$status2" "$name: $PEER's status"
  _check_outputs "$name" "$dir" "$PEER" ipcat "$name.peer.out" "$name.ipcat.out"
  if [[ $mode == unix ]]; then
    [[ ! -e $T/$name.sock ]] || fail "$name: ipcat left its socket file $T/$name.sock behind"
  fi
}

# ipcat_client_case MODE DIR [OPTION...]: peer_server listens (Unix socket or 127.0.0.1 port
# 0), ipcat connects, with the OPTIONs if any; the side that does not send has /dev/null as
# stdin. Both must exit on their own, with status 0, each side's output must be what the
# other sent, and ipcat must print nothing on stderr.
ipcat_client_case() {
  local mode=$1 dir=$2 name="cli-$1-$2" srv cli client_in server_in connect path
  shift 2
  local opts=("$@")
  if ((${#opts[@]} > 0)); then
    name+=$(printf '%s' "${opts[@]}" | tr -c 'a-zA-Z0-9' '_')
  fi
  path=$T/$name.sock
  echo "case: ipcat client${opts[*]:+ ${opts[*]}}, $PEER server, $mode, $dir" >&2
  _inputs "$dir"
  peer_server "$mode" "$dir" "$path" <"$server_in" >"$name.peer.out" 2>"$name.peer.err" &
  srv=$!
  case $mode in
    unix)
      peer_unix_ready "$srv" "$path"
      connect=(-U "$path")
      ;;
    tcp) connect=(127.0.0.1 "$(peer_tcp_port "$srv")") ;;
    *) fail "unknown mode $mode" ;;
  esac
  "$IPCAT" "${opts[@]}" "${connect[@]}" <"$client_in" >"$name.ipcat.out" 2>"$name.ipcat.err" &
  cli=$!
  wait_both "$k_transfer_limit" "ipcat (client)" "$cli" "$PEER (server)" "$srv"
  assert_eq 0 "$status1" "$name: ipcat's status"
  assert_eq 0 "$status2" "$name: $PEER's status"
  assert_empty "$name.ipcat.err" "$name: ipcat's stderr"
  _check_outputs "$name" "$dir" ipcat "$PEER" "$name.ipcat.out" "$name.peer.out"
}

# run_server_cases / run_client_cases: every transport and direction (c2s, s2c, both).
run_server_cases() {
  make_input
  local mode dir
  for mode in unix tcp; do
    for dir in c2s s2c both; do
      ipcat_server_case "$mode" "$dir"
    done
  done
}
run_client_cases() {
  make_input
  local mode dir
  for mode in unix tcp; do
    for dir in c2s s2c both; do
      ipcat_client_case "$mode" "$dir"
    done
  done
}
