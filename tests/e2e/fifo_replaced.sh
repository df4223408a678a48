#!/usr/bin/env bash
# Every reopen of a fifo: path finds the FIFO of the first open, or ipcat stops: a writer
# waiting for a reader (and one whose reader left) whose path is swapped for a symbolic link to
# a victim file, for a regular file, or for another FIFO with a reader ends with status 1 and one
# line, "fifo PATH: replaced by ...", and writes nothing anywhere.
source "$(dirname "$0")/common.sh"
need sha256sum

mkdir pub
chmod 1777 pub
printf 'root secret\n' >victim
chmod 600 victim
sum=$(sha256sum <victim)

# swap_in NAME: rename pub/NAME over pub/q in one step (what another user can do in a shared
# directory).
swap_in() { mv -T "pub/$1" pub/q; }

# expect_refused PID KIND: the writer PID ends within 5 s, status 1, one line naming KIND.
expect_refused() {
  wait_exit "$1" 5
  assert_eq 1 "$status" "writer's status after the FIFO was replaced by $2"
  assert_error w.err "fifo $T/pub/q: replaced by $2\$"
  assert_empty w.out "writer's stdout"
}

# 1. A writer waiting for its first reader; a symbolic link to the victim swapped in.
"$IPCAT" --uuid --count 5 fifo:"$T/pub/q" >w.out 2>w.err &
w=$!
wait_for 5 test -p pub/q
sleep 0.3
still_running "$w"
ln -s "$T/victim" pub/l
swap_in l
expect_refused "$w" "a symbolic link"
assert_eq "$sum" "$(sha256sum <victim)" "the victim's content after a symlink swap"
rm -f pub/q

# 2. The same with a regular file swapped in: it stays as it was.
"$IPCAT" --uuid --count 5 fifo:"$T/pub/q" >w.out 2>w.err &
w=$!
wait_for 5 test -p pub/q
sleep 0.3
printf 'planted\n' >pub/r
swap_in r
expect_refused "$w" "a regular file"
assert_eq "planted" "$(cat pub/q)" "the planted regular file's content"
rm -f pub/q

# 3. Another FIFO swapped in, with a reader waiting on it: the writer opens it (that is how it
# learns what is there), closes it at once and writes nothing.
"$IPCAT" --uuid --count 5 fifo:"$T/pub/q" >w.out 2>w.err &
w=$!
wait_for 5 test -p pub/q
sleep 0.3
mkfifo pub/other
timeout 10 cat pub/other >other.out &
rd=$!
sleep 0.2
swap_in other
expect_refused "$w" "another FIFO"
wait_exit "$rd" 5
assert_empty other.out "what the other FIFO's reader got"
rm -f pub/q

# 4. A writer whose reader went away, then a symbolic link to the victim swapped in while it
# waits for the next reader.
"$IPCAT" --uuid --interval 20ms fifo:"$T/pub/q" >w.out 2>w.err &
w=$!
wait_for 5 test -p pub/q
timeout 10 "$IPCAT" fifo:"$T/pub/q",once - </dev/null >r.out 2>r.err &
r=$!
wait_for 10 has_lines r.out 3
kill -TERM "$r"
wait_exit "$r" 5
sleep 0.3
still_running "$w"
ln -s "$T/victim" pub/l
swap_in l
expect_refused "$w" "a symbolic link"
assert_eq "$sum" "$(sha256sum <victim)" "the victim's content after a symlink swap behind a reader"
assert_eq 600 "$(stat -c %a victim)" "the victim's mode"

# 5. A reader of a path that is a symbolic link to a FIFO: refused at the start.
mkfifo real
ln -s "$T/real" link
expect_status 1 "$IPCAT" fifo:"$T/link" - </dev/null >o5 2>e5
assert_error e5 "fifo $T/link: not a FIFO \(symbolic link\)"
