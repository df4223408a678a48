#!/usr/bin/env bash
# file:PATH without follow: as a source it prints the file from the start and exits 0; as a
# destination it appends (never truncates), creating the file 0666 less the umask. A missing
# source file is a runtime error (status 1, one line).
source "$(dirname "$0")/common.sh"

# Source: a 4 MiB file of lines, byte for byte, then status 0.
head -c 3M /dev/urandom | base64 >storage
timeout 10 "$IPCAT" file:"$T/storage" - </dev/null >out 2>err || fail "reader exited with status $?"
assert_same_file storage out
assert_empty err "reader's stderr"

# An empty file: nothing, status 0.
: >empty
timeout 10 "$IPCAT" file:"$T/empty" - </dev/null >out2 2>err2 || fail "reader of an empty file exited with status $?"
assert_empty out2 "output for an empty file"
assert_empty err2 "reader's stderr for an empty file"

# Reading a small file is quick (no waiting for more).
printf 'one\ntwo\n' >small
start=$(now_ms)
got=$(timeout 10 "$IPCAT" file:"$T/small" - </dev/null) || fail "reader exited with status $?"
took=$(($(now_ms) - start))
assert_eq $'one\ntwo' "$got" "content of a small file"
((took < 2000)) || fail "reading a 8-byte file took $took ms"

# A missing file: status 1, one line naming it.
expect_status 1 "$IPCAT" file:"$T/missing" - </dev/null >out3 2>err3
assert_error err3 'missing'
assert_empty out3 "output for a missing file"
[[ ! -e missing ]] || fail "reading a missing file created it"

# Destination: created 0666 less the umask, appended to, never truncated.
(umask 027 && exec timeout 10 "$IPCAT" --uuid --count 3 file:"$T/new") || fail "writer exited with status $?"
assert_eq 640 "$(stat -c %a new)" "mode of a file created under umask 027"
assert_eq 3 "$(line_count new)" "lines after the first writer"
timeout 10 "$IPCAT" --uuid --count 2 file:"$T/new" || fail "second writer exited with status $?"
assert_eq 5 "$(line_count new)" "lines after the second writer (appended)"
is_uuid_lines new || fail "not UUID lines: $(show new)"
printf 'from stdin\n' | timeout 10 "$IPCAT" - file:"$T/new" || fail "stdin writer exited with status $?"
assert_eq 6 "$(line_count new)" "lines after the stdin writer"
assert_eq "from stdin" "$(tail -n 1 new)" "last line"
