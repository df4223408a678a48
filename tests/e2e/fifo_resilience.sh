#!/usr/bin/env bash
# The producer/consumer workflow over a FIFO. Producer: `ipcat --uuid --interval 50ms --echo fifo:p` (it
# echoes each UUID it sends on stderr); consumer: `ipcat fifo:p -`.
# - The consumer prints the very UUIDs the producer echoed, in order.
# - Kill the consumer: the producer pauses (its echo stops growing) and stays running.
# - A new consumer: data flows again, and every UUID echoed after it started reaches it.
# - Stop the producer: the consumer idles (no exit, no output).
# - A new producer: its data reaches the same consumer.
source "$(dirname "$0")/common.sh"

fifo=$T/p
echo_count() { grep -cE "$uuid_re" prod.err || true; }

"$IPCAT" --uuid --interval 50ms --echo fifo:"$fifo" >prod.out 2>prod.err &
prod=$!
wait_for 5 test -p "$fifo"

# 1. First consumer.
"$IPCAT" fifo:"$fifo" - </dev/null >c1.out 2>c1.err &
c1=$!
wait_for 10 has_lines c1.out 10
kill -TERM "$c1"
wait_exit "$c1" 5
assert_eq 143 "$status" "first consumer's status after SIGTERM"
assert_empty c1.err "first consumer's stderr"
is_uuid_lines c1.out || fail "first consumer printed something that is not a UUID line"
n1=$(line_count c1.out)
cmp -s c1.out <(grep -E "$uuid_re" prod.err | head -n "$n1") ||
  fail "the first consumer's UUIDs are not the first ones the producer echoed, in order"

# 2. No consumer: the producer pauses within ~0.5 s and keeps running.
sleep 0.5
paused_at=$(echo_count)
sleep 1
still_running "$prod"
assert_eq "$paused_at" "$(echo_count)" "UUIDs echoed by the producer while no consumer ran (1 s at 50 ms)"
echo "first consumer got $n1 UUIDs; the producer paused at $paused_at echoed" >&2
((paused_at - n1 <= 2)) || fail "the producer echoed $paused_at UUIDs but the first consumer got only $n1"

# 3. A new consumer: data flows again.
started_at=$(echo_count)
"$IPCAT" fifo:"$fifo" - </dev/null >c2.out 2>c2.err &
c2=$!
wait_for 10 has_lines c2.out 20
echoed_before_stop=$(echo_count)

# 4. Stop the producer: the consumer stays and prints nothing more.
kill -TERM "$prod"
wait_exit "$prod" 5
assert_eq 143 "$status" "producer's status after SIGTERM"
assert_empty prod.out "producer's stdout"
if grep -vE "$uuid_re" prod.err >prod.other; then
  fail "the producer's stderr holds more than echoed UUIDs: $(show prod.other)"
fi
sleep 0.3
n2=$(line_count c2.out)
sleep 1
still_running "$c2"
assert_eq "$n2" "$(line_count c2.out)" "lines the idle consumer printed after the producer stopped"

# Every UUID echoed after the second consumer started reached it, in order, and it printed
# nothing else: its output is one contiguous run of the echo that ends with the echo's end
# (the kill may fall between echoing the last UUID and sending it).
grep -E "$uuid_re" prod.err >echoed
total=$(line_count echoed)
tail -n +"$((started_at + 1))" echoed >after
n_after=$(line_count after)
((n_after >= 15)) || fail "only $n_after UUIDs echoed after the second consumer started"
if [[ $(tail -n 1 c2.out) != "$(tail -n 1 after)" ]]; then
  head -n -1 after >after.sent
else
  cp after after.sent
fi
n_sent=$(line_count after.sent)
cmp -s after.sent <(tail -n "$n_sent" c2.out) ||
  fail "UUIDs echoed after the second consumer started are missing from it (echoed $n_after after, it printed $n2)"
first=$(head -n 1 c2.out)
from=$(grep -nxF -- "$first" echoed | cut -d: -f1)
[[ -n $from ]] || fail "the second consumer's first line was never echoed: $first"
cmp -s c2.out <(tail -n +"$from" echoed | head -n "$n2") ||
  fail "the second consumer's lines are not a contiguous run of the echoed ones"
echo "echoed $total in all, $echoed_before_stop when stopped; second consumer: $n2 lines from echo line $from (started at $started_at)" >&2
lost=$((total - n1 - n2))
echo "UUIDs echoed but printed by neither consumer: $lost" >&2

# 5. A new producer: its data reaches the same consumer.
timeout 10 "$IPCAT" --uuid --count 5 --echo fifo:"$fifo" >/dev/null 2>prod2.err || fail "second producer exited with status $?"
wait_for 5 has_lines c2.out "$((n2 + 5))"
sleep 0.2
still_running "$c2"
assert_eq "$((n2 + 5))" "$(line_count c2.out)" "lines of the consumer after the second producer"
cmp -s prod2.err <(tail -n 5 c2.out) || fail "the second producer's UUIDs did not reach the consumer as echoed"
assert_empty c2.err "second consumer's stderr"
kill -TERM "$c2"
wait_exit "$c2" 5
assert_eq 143 "$status" "second consumer's status after SIGTERM"
