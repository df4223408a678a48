#!/usr/bin/env bash
# The producer/consumer flow: a producer serves a UUID every 100 ms on a Unix socket and echoes what it sends
# on stderr; a consumer prints them. The consumer gets the very UUIDs the producer echoed, in
# order, and exits 0 as soon as the producer is stopped; the producer removes its socket.
source "$(dirname "$0")/common.sh"

sock=$T/ipc.sock
# -v only to know when the socket listens; its lines are told apart from the UUIDs below.
"$IPCAT" --uuid --interval 100ms --echo -v -lU "$sock" >prod.out 2>prod.err &
prod=$!
wait_listening prod.err
assert_eq "Listening on unix:$sock" "$(head -n 1 prod.err)" "producer's first -v line"

# In the background its stdin is /dev/null, like a consumer fed nothing.
"$IPCAT" -U "$sock" >cons.out 2>cons.err &
cons=$!
wait_for 10 has_lines cons.out 10

kill -TERM "$prod"
wait_exit_within "$cons" 2000
assert_eq 0 "$status" "consumer's status once the producer is killed"
wait_exit "$prod" 5
assert_eq 143 "$status" "producer's status after SIGTERM"
[[ ! -e $sock ]] || fail "the producer left its socket file $sock"

assert_empty cons.err "consumer's stderr"
assert_empty prod.out "producer's stdout"
is_uuid_lines cons.out || fail "consumer printed something that is not a UUID line: $(grep -vE "$uuid_re" cons.out | head -n 3)"
grep -E "$uuid_re" prod.err >echoed || true
# Besides the echoed UUIDs, the producer's stderr holds only -v events (sentences such as
# "Listening on ..."), no error and nothing else.
assert_no_error_line prod.err "producer's stderr"
if grep -vE "$uuid_re" prod.err | grep -vE '^[A-Z][a-z]+ ' >other; then
  fail "unexpected lines on the producer's stderr: $(show other)"
fi
# The kill may fall between echoing a UUID and sending it: the two lists may differ by their
# last line, not more.
n_echoed=$(line_count echoed)
n_got=$(line_count cons.out)
((n_got >= 10)) || fail "consumer got only $n_got UUIDs"
((n_echoed - n_got <= 1 && n_got - n_echoed <= 1)) ||
  fail "producer echoed $n_echoed UUIDs, consumer printed $n_got"
n=$((n_got < n_echoed ? n_got : n_echoed))
cmp <(head -n "$n" echoed) <(head -n "$n" cons.out) || fail "consumer's UUIDs are not the echoed ones, in order"
[[ $(sort -u cons.out | wc -l) -eq $n_got ]] || fail "repeated UUIDs"
