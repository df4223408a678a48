#!/usr/bin/env bash
# --hex-dump and -o: random binary data both ways, through a Unix socket and TCP; the dump read
# back gives exactly the bytes of each direction, the -o log exactly the chunks in the order
# they went; a file that cannot be opened is one error line before anything connects.
source "$(dirname "$0")/common.sh"
need python3
parse=$(dirname "$0")/shape_dump.py
[[ $parse == /* ]] || parse=$OLDPWD/$parse

head -c 300000 /dev/urandom >up.bin
head -c 200000 /dev/urandom >down.bin

for mode in unix tcp4; do
  listen_args "$mode" "d$mode"
  "$IPCAT" -v --hex-dump "l$mode.dump" -o "l$mode.raw" "${L[@]}" <down.bin >"l$mode.out" 2>"l$mode.err" &
  lst=$!
  connect_args "$mode" "d$mode" "l$mode.err"
  timeout 10 "$IPCAT" --hex-dump "c$mode.dump" "${C[@]}" <up.bin >"c$mode.out" 2>"c$mode.err" ||
    fail "$mode: client exited with status $?"
  wait_exit "$lst" 10
  assert_eq 0 "$status" "$mode: listener's status"
  assert_same_file up.bin "l$mode.out"
  assert_same_file down.bin "c$mode.out"
  # The listener: left to right is what it sent (down.bin), back is what it received.
  python3 "$parse" "l$mode.dump" lf.bin lb.bin lall.bin >"l$mode.headers" || fail "$mode: listener's dump does not read back"
  assert_same_file down.bin lf.bin
  assert_same_file up.bin lb.bin
  assert_same_file lall.bin "l$mode.raw"
  assert_eq $((300000 + 200000)) "$(stat -c %s "l$mode.raw")" "$mode: bytes in the -o log"
  python3 "$parse" "c$mode.dump" cf.bin cb.bin >"c$mode.headers" || fail "$mode: client's dump does not read back"
  assert_same_file up.bin cf.bin
  assert_same_file down.bin cb.bin
  # Every header names the peer.
  case $mode in
    unix) want="unix:$T/d$mode.sock" ;;
    tcp4) want="tcp:127.0.0.1:${C[1]}" ;;
  esac
  awk -v w="$want" '$3 != w { bad = 1 } END { exit bad }' "c$mode.headers" ||
    fail "$mode: headers that do not name $want: $(grep -v -- "$want" "c$mode.headers" | head -3)"
done

# One direction: the -o log is exactly what went.
"$IPCAT" -v -lU "$T/one.sock" >one.out 2>one.err &
lst=$!
wait_listening one.err
timeout 10 "$IPCAT" -o one.raw -U "$T/one.sock" <up.bin 2>one.c.err || fail "client exited with status $?"
wait_exit "$lst" 10
assert_same_file up.bin one.raw
assert_same_file up.bin one.out
# --append-output appends.
printf 'before\n' >app.raw
"$IPCAT" -v -lU "$T/app.sock" >/dev/null 2>app.err &
lst=$!
wait_listening app.err
printf 'after\n' | timeout 10 "$IPCAT" --append-output app.raw -U "$T/app.sock" || fail "client exited with status $?"
wait_exit "$lst" 10
assert_eq "$(printf 'before\nafter')" "$(cat app.raw)" "--append-output log"

# A bridge between two sockets (on the zero-copy path the log is a tee(2) of its private pipe):
# one direction exact with -o, and with --append-output (which takes no splice).
for flag in -o --append-output; do
  printf 'head' >br.raw
  "$IPCAT" -v -lU "$T/br-b.sock" </dev/null >br.out 2>br-b.err &
  lb=$!
  wait_listening br-b.err
  "$IPCAT" -v "$flag" br.raw unix-listen:"$T/br-a.sock" unix:"$T/br-b.sock" 2>br.err &
  bridge=$!
  wait_listening br.err
  timeout 10 "$IPCAT" -U "$T/br-a.sock" <up.bin >/dev/null || fail "$flag bridge client: status $?"
  wait_exit "$bridge" 10
  assert_eq 0 "$status" "$flag bridge: status"
  wait_exit "$lb" 10
  assert_same_file up.bin br.out
  if [[ $flag == -o ]]; then
    assert_same_file up.bin br.raw
  else
    assert_same_file <(printf 'head'; cat up.bin) br.raw
  fi
done

# Datagrams: one header per datagram (three UUIDs, one a datagram).
"$IPCAT" -v --hex-dump dg.dump -luU "$T/dg.sock" >dg.out 2>dg.err &
lst=$!
wait_listening dg.err
timeout 10 "$IPCAT" --uuid --count 3 -uU "$T/dg.sock" || fail "datagram client exited with status $?"
wait_for 10 has_lines dg.out 3
python3 "$parse" dg.dump dgf.bin dgb.bin >dg.headers || fail "datagram dump does not read back"
assert_eq 3 "$(grep -c '^< 37 ' dg.headers)" "datagram headers of 37 bytes"
assert_same_file dg.out dgb.bin
kill "$lst"

# -k with stdio: a header per chunk naming the client it came from or went to.
open_input hub.in
"$IPCAT" -v -k --hex-dump hub.dump -l 127.0.0.1 0 <"$T/hub.in" >hub.out 2>hub.err &
hub=$!
port=$(listen_port hub.err)
open_input c1.in
open_input c2.in
"$IPCAT" 127.0.0.1 "$port" <"$T/c1.in" >c1.out 2>c1.err &
"$IPCAT" 127.0.0.1 "$port" <"$T/c2.in" >c2.out 2>c2.err &
count_at_least() { (($(grep -c -- "$2" "$1" || true) >= $3)); } # FILE ERE N
wait_for 10 count_at_least hub.err '^Connection from' 2
echo one | send_input c1.in
echo two | send_input c2.in
wait_for 10 has_lines hub.out 2
echo all | send_input hub.in
wait_for 10 has_lines c1.out 1
wait_for 10 has_lines c2.out 1
wait_for 10 count_at_least hub.dump '^>' 2
python3 "$parse" hub.dump hf.bin hb.bin >hub.headers || fail "hub dump does not read back"
clients=$(grep '^<' hub.headers | awk '{ print $3 }' | sort -u | wc -l)
assert_eq 2 "$clients" "clients named by the '<' headers"
grep '^>' hub.headers | awk '{ print $3 }' | sort -u >sent.names
grep '^<' hub.headers | awk '{ print $3 }' | sort -u >recv.names
assert_eq "$(cat recv.names)" "$(cat sent.names)" "clients named by the '>' headers"
kill "$hub"

# A dump or log that cannot be opened: one line, status 1, and nothing listens.
for flag in --hex-dump -o --append-output; do
  rc=0
  timeout 10 "$IPCAT" -v "$flag" "$T/no/such/dir/f" -lU "$T/never.sock" </dev/null >/dev/null 2>bad.err || rc=$?
  assert_eq 1 "$rc" "$flag unopenable: status"
  assert_error bad.err "no/such/dir/f: No such file or directory$"
  [[ ! -e $T/never.sock ]] || fail "$flag unopenable: the listener was opened anyway"
done
