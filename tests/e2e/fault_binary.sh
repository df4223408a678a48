#!/usr/bin/env bash
# Binary data survives every path intact (sha256): every byte value (bytes 0..255 x 4096), runs
# of NULs, CR, ESC, and no trailing newline. Both directions at once over Unix, TCP and TLS,
# from and into files and pipes; through a child (`-c cat`) on the listener's side and on the client's;
# and a datagram each way over UDP and Unix datagrams.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/tls_certs.sh"
need python3

python3 -c '
import sys
sys.stdout.buffer.write(bytes(range(256)) * 4096 + b"\0" * 70000 + b"\r\n\x1b[0m\x00\xff\xfe\x04\x03\x11\x13end")
' >a.bin
python3 -c '
import sys
sys.stdout.buffer.write(b"\0\0\0" + bytes(range(255, -1, -1)) * 4096 + bytes(range(256)) + b"\x04")
' >b.bin
python3 -c '
import sys
sys.stdout.buffer.write(bytes(range(256)) * 4 + b"\0" * 100 + b"\n\r\x7f")
' >small-a.bin
python3 -c '
import sys
sys.stdout.buffer.write(b"\0" + bytes(range(255, -1, -1)) * 3 + b"\xff")
' >small-b.bin
[[ $(tail -c 1 a.bin | od -An -tx1 | tr -d ' ') != 0a ]] || fail "a.bin ends with a newline"

sum() { sha256sum <"$1" | cut -d' ' -f1; }
# same WANT_FILE GOT_FILE WHAT: same bytes, with sizes in the message.
same() {
  [[ $(sum "$1") == "$(sum "$2")" ]] ||
    fail "$3: $2 differs from $1 ($(stat -c %s "$2") vs $(stat -c %s "$1") bytes; first difference: $(cmp "$1" "$2" 2>&1 | head -1))"
}

# listen MODE NAME / connect MODE NAME: as in the other scenarios (L, C; -v only for TCP).

for mode in unix tcp tls; do
  # 1. Both ways at once, files on both ends.
  n=$mode-files
  listen "$mode" "$n"
  "$IPCAT" "${L[@]}" <a.bin >"$n.srv.out" 2>"$n.err" &
  lst=$!
  connect "$mode" "$n"
  rc=0
  timeout -k 1 20 "$IPCAT" "${C[@]}" <b.bin >"$n.cli.out" 2>"$n.cli.err" || rc=$?
  assert_eq 0 "$rc" "$n: client's status"
  wait_exit "$lst" 10
  assert_eq 0 "$status" "$n: listener's status"
  same a.bin "$n.cli.out" "$n: listener to client"
  same b.bin "$n.srv.out" "$n: client to listener"
  assert_empty "$n.cli.err" "$n: client's stderr"

  # 2. Both ways at once, pipes on both ends.
  n=$mode-pipes
  listen "$mode" "$n"
  {
    set +e +o pipefail
    # shellcheck disable=SC2002 # pipes on purpose
    cat a.bin | "$IPCAT" "${L[@]}" 2>"$n.err"
    echo "${PIPESTATUS[1]}" >"$n.srv.rc"
  } | cat >"$n.srv.out" &
  connect "$mode" "$n"
  set +e +o pipefail
  # shellcheck disable=SC2002 # pipes on purpose
  cat b.bin | timeout -k 1 20 "$IPCAT" "${C[@]}" 2>"$n.cli.err" | cat >"$n.cli.out"
  rc=${PIPESTATUS[1]}
  set -e -o pipefail
  assert_eq 0 "$rc" "$n: client's status"
  wait_for 10 test -s "$n.srv.rc"
  assert_eq 0 "$(cat "$n.srv.rc")" "$n: listener's status"
  wait_for 10 size_at_least "$n.srv.out" "$(stat -c %s b.bin)"
  same a.bin "$n.cli.out" "$n: listener to client"
  same b.bin "$n.srv.out" "$n: client to listener"

  # 3. The listener's side is a child, -c cat: what the client sends comes back.
  n=$mode-child-listener
  listen "$mode" "$n"
  "$IPCAT" "${L[@]}" -c cat </dev/null >"$n.srv.out" 2>"$n.err" &
  lst=$!
  connect "$mode" "$n"
  rc=0
  timeout -k 1 20 "$IPCAT" "${C[@]}" <a.bin >"$n.cli.out" 2>"$n.cli.err" || rc=$?
  assert_eq 0 "$rc" "$n: client's status"
  same a.bin "$n.cli.out" "$n: through the listener's cat and back"
  wait_exit "$lst" 10
  assert_eq 0 "$status" "$n: listener's status"

  # 4. The client's side is a child, -c cat: what the listener sends comes back.
  n=$mode-child-client
  listen "$mode" "$n"
  "$IPCAT" "${L[@]}" <b.bin >"$n.srv.out" 2>"$n.err" &
  lst=$!
  connect "$mode" "$n"
  rc=0
  timeout -k 1 20 "$IPCAT" -c cat "${C[@]}" </dev/null >"$n.cli.out" 2>"$n.cli.err" || rc=$?
  assert_eq 0 "$rc" "$n: client's status"
  wait_exit "$lst" 10
  assert_eq 0 "$status" "$n: listener's status"
  same b.bin "$n.srv.out" "$n: through the client's cat and back"
  assert_empty "$n.cli.out" "$n: client's stdout"
done

# 5. Datagrams: one each way, over UDP and Unix datagram sockets.
for mode in udp unixdg; do
  n=$mode
  open_input "$n.srv.in"
  open_input "$n.cli.in"
  if [[ $mode == udp ]]; then
    "$IPCAT" -v -u -l 127.0.0.1 0 <"$n.srv.in" >"$n.srv.out" 2>"$n.err" &
    lst=$!
    C=(-u 127.0.0.1 "$(listen_port "$n.err")")
  else
    "$IPCAT" -uU -l "$T/$n.sock" <"$n.srv.in" >"$n.srv.out" 2>"$n.err" &
    lst=$!
    wait_socket "$T/$n.sock"
    C=(-uU "$T/$n.sock")
  fi
  "$IPCAT" "${C[@]}" <"$n.cli.in" >"$n.cli.out" 2>"$n.cli.err" &
  cli=$!
  send_input "$n.cli.in" <small-a.bin
  wait_for 5 size_at_least "$n.srv.out" "$(stat -c %s small-a.bin)"
  send_input "$n.srv.in" <small-b.bin
  wait_for 5 size_at_least "$n.cli.out" "$(stat -c %s small-b.bin)"
  sleep 0.2
  same small-a.bin "$n.srv.out" "$n: client to listener"
  same small-b.bin "$n.cli.out" "$n: listener to client"
  close_input "$n.cli.in"
  wait_exit "$cli" 5
  assert_eq 0 "$status" "$n: client's status"
  kill -TERM "$lst"
  wait_exit "$lst" 5
  assert_eq 143 "$status" "$n: listener's status after SIGTERM"
  close_input "$n.srv.in"
done
