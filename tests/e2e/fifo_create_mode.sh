#!/usr/bin/env bash
# fifo:PATH creates the FIFO if it is missing: --mode gives its permissions exactly, otherwise
# 0666 less the umask (for the reader and for the writer). A path that exists and is not a FIFO
# (a regular file, a directory) is an error, status 1, one line, and is left untouched.
source "$(dirname "$0")/common.sh"
need stat sha256sum

# --mode 600, created by a reader.
"$IPCAT" --mode 600 fifo:"$T/p600" - </dev/null >r1.out 2>r1.err &
r1=$!
wait_for 5 test -p "$T/p600"
assert_eq "600 fifo" "$(stat -c '%a %F' p600)" "mode and type of the FIFO made with --mode 600"
assert_eq "prw-------" "$(stat -c %A p600)" "ls-style mode with --mode 600"
still_running "$r1"
kill -TERM "$r1"
wait_exit "$r1" 5
assert_eq 143 "$status" "reader's status after SIGTERM"
[[ -p $T/p600 ]] || fail "the FIFO did not outlive its reader"
assert_empty r1.out "reader's stdout"
assert_empty r1.err "reader's stderr"

# No --mode: 0666 less the umask (027 gives 0640), created by a reader.
(umask 027 && exec "$IPCAT" fifo:"$T/p640" - </dev/null >r2.out 2>r2.err) &
r2=$!
wait_for 5 test -p "$T/p640"
assert_eq "640" "$(stat -c %a p640)" "mode of the FIFO made under umask 027"
kill -TERM "$r2"
wait_exit "$r2" 5
assert_eq 143 "$status" "reader's status after SIGTERM"

# Created by a writer (umask 022 gives 0644); the writer waits for a reader, then delivers.
(umask 022 && exec "$IPCAT" --uuid --count 3 fifo:"$T/pw" >w.out 2>w.err) &
w=$!
wait_for 5 test -p "$T/pw"
assert_eq "644 fifo" "$(stat -c '%a %F' pw)" "mode and type of the FIFO made by a writer under umask 022"
sleep 0.3
still_running "$w"
timeout 10 cat "$T/pw" >got || fail "cat of the FIFO exited with status $?"
wait_exit "$w" 5
assert_eq 0 "$status" "writer's status"
assert_eq 3 "$(line_count got)" "UUIDs read from the FIFO"
is_uuid_lines got || fail "not UUID lines: $(show got)"
assert_empty w.out "writer's stdout"
assert_empty w.err "writer's stderr"

# --mode with the writer too.
"$IPCAT" --mode 620 --uuid --count 1 fifo:"$T/pw620" >/dev/null 2>w620.err &
w=$!
wait_for 5 test -p "$T/pw620"
assert_eq "620" "$(stat -c %a pw620)" "mode of the FIFO made by a writer with --mode 620"
timeout 10 cat "$T/pw620" >/dev/null
wait_exit "$w" 5
assert_eq 0 "$status" "writer's status (--mode 620)"

# A regular file at the path: status 1, one line, the file untouched (content, mode, inode).
printf 'precious\ncontent\n' >reg
chmod 640 reg
before=$(stat -c '%i %a %s %Y' reg)
sum=$(sha256sum <reg)
expect_status 1 "$IPCAT" fifo:"$T/reg" - </dev/null >o1 2>e1
assert_error e1 'reg.*not a FIFO'
assert_empty o1 "stdout of the reader on a regular file"
# shellcheck disable=SC2016
expect_status 1 bash -c 'printf "x\n" | exec "$0" - fifo:"$1"' "$IPCAT" "$T/reg" >o2 2>e2
assert_error e2 'reg.*not a FIFO'
expect_status 1 "$IPCAT" --uuid --count 1 fifo:"$T/reg" >o3 2>e3
assert_error e3 'reg.*not a FIFO'
expect_status 1 "$IPCAT" --mode 600 fifo:"$T/reg" - </dev/null >o4 2>e4
assert_error e4 'reg.*not a FIFO'
assert_eq "$before" "$(stat -c '%i %a %s %Y' reg)" "inode, mode, size, mtime of the regular file"
assert_eq "$sum" "$(sha256sum <reg)" "content of the regular file"
[[ -f reg && ! -p reg ]] || fail "reg is no longer a regular file"

# A directory at the path: status 1, one line, still a directory.
mkdir dir
expect_status 1 "$IPCAT" fifo:"$T/dir" - </dev/null >o5 2>e5
assert_error e5 'dir.*not a FIFO'
[[ -d dir ]] || fail "dir is no longer a directory"
