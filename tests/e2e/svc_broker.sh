#!/usr/bin/env bash
# --broker: three clients; each receives the other two's lines, never its own, and stdout gets
# all three; stdin's lines go to every client. Lines are never cut or mixed.
source "$(dirname "$0")/common.sh"
need python3
client="$IPCAT_SOURCE_DIR/tests/e2e/svc_broker_client.py"

open_input in
"$IPCAT" -v --broker -l 127.0.0.1 0 <in >l.out 2>l.err &
lst=$!
port=$(listen_port l.err)

pids=()
for n in 1 2 3; do
  # Everybody is connected before anybody speaks (stdin's line comes once they are), then
  # 200 lines each; each client stays until it has the others' last lines.
  others=()
  for m in 1 2 3; do
    [[ $m == "$n" ]] || others+=("?line from $m 199")
  done
  python3 "$client" "$port" "c$n.log" 0.2 '?from stdin' "*200:line from $n" "${others[@]}" &
  pids+=($!)
done
connected() { (($(grep -c '^Connection from ' l.err) >= $1)); }
wait_for 5 connected 3
printf 'from stdin\n' | send_input in
for p in "${pids[@]}"; do
  wait_exit "$p" 15
  assert_eq 0 "$status" "a client's status"
done
for n in 1 2 3; do
  ! grep -q "from $n " "c$n.log" || fail "client $n got its own lines back"
  grep -qx 'from stdin' "c$n.log" || fail "client $n did not get stdin's line: $(show "c$n.log")"
  for m in 1 2 3; do
    [[ $m == "$n" ]] && continue
    got=$(grep -cx "line from $m [0-9]*" "c$n.log" || true)
    assert_eq 200 "$got" "lines of client $m that client $n received"
  done
  # Every line is whole: nothing but the expected lines.
  assert_eq 0 "$(grep -cvx 'line from [123] [0-9]*\|from stdin' "c$n.log" || true)" \
    "odd lines at client $n"
done
assert_eq 600 "$(grep -cx 'line from [123] [0-9]*' l.out)" "client lines on stdout"
! grep -q 'from stdin' l.out || fail "stdin's line came back to stdout"
still_running "$lst"
kill -TERM "$lst"
wait_exit "$lst" 5
assert_eq 143 "$status" "broker's status after SIGTERM"
