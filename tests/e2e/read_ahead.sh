#!/usr/bin/env bash
# The copy path's reader thread for a large regular file (4 MiB or more): a 12 MiB file sent
# over TLS and over TCP with IPCAT_COPY=1 arrives whole (by hash); the file's offset is at its
# end afterwards, so a command after ipcat on the same stdin reads nothing more; a file that
# starts 1 MiB in (stdin already read from) is sent from there; and a peer that reads 2 MiB
# and closes is still status 1 and one line.
E2E=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/common.sh
source "$E2E/common.sh"
# shellcheck source=tests/e2e/tls_certs.sh
source "$E2E/tls_certs.sh"
# shellcheck source=tests/e2e/delivery.bash
source "$E2E/delivery.bash"
need python3

head -c $((12 * 1024 * 1024)) /dev/urandom >"$T/big"

# send NAME CLIENT-ARGS...: a listener (LISTENER array) writing to NAME.got, then the client
# with stdin the file, and `cat` after it on the same stdin (NAME.after must stay empty).
send() {
  local name=$1
  shift
  "$IPCAT" -v -l 127.0.0.1 0 "${LISTENER[@]}" >"$T/$name.got" 2>"$T/$name.lerr" &
  local lis=$!
  local port
  port=$(listen_port "$T/$name.lerr")
  { timeout 20 "$IPCAT" "$@" "$port" 2>"$T/$name.err"; echo "status $?" >"$T/$name.status"; cat >"$T/$name.after"; } <"$T/big"
  wait_exit "$lis" 10
  assert_eq 0 "$status" "$name: listener status"
  assert_eq "status 0" "$(cat "$T/$name.status")" "$name: client status"
  assert_same_file "$T/big" "$T/$name.got"
  [[ ! -s $T/$name.after ]] || fail "$name: $(stat -c %s "$T/$name.after") bytes left after ipcat on its stdin"
}

LISTENER=(--ssl --ssl-cert "$T/server.pem" --ssl-key "$T/server.key")
send tls --ssl --ssl-trustfile "$T/ca.pem" localhost
LISTENER=()
IPCAT_COPY=1 send copy 127.0.0.1

# Started 1 MiB into the file: the rest is sent, from there.
"$IPCAT" -v -l 127.0.0.1 0 >"$T/skip.got" 2>"$T/skip.lerr" &
lis=$!
port=$(listen_port "$T/skip.lerr")
{ head -c $((1024 * 1024)) >/dev/null; IPCAT_COPY=1 timeout 20 "$IPCAT" 127.0.0.1 "$port" 2>"$T/skip.err"; } <"$T/big"
wait_exit "$lis" 10
tail -c +$((1024 * 1024 + 1)) "$T/big" >"$T/skip.want"
assert_same_file "$T/skip.want" "$T/skip.got"

# A peer that takes 2 MiB and closes: the rest is not delivered, and said so.
start_sink part tcp partial $((2 * MiB))
status=0
IPCAT_COPY=1 timeout 20 "$IPCAT" "${S[@]}" <"$T/big" 2>"$T/part.err" || status=$?
expect_not_delivered part "a peer that reads 2 MiB of 12"
stop_sink
finish
