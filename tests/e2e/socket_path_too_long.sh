#!/usr/bin/env bash
# sun_path holds 107 bytes and a NUL: a 107-byte path works; 108 bytes and more is a clear
# error (status 1 or 2, one line saying the path is too long), never a truncated path.
source "$(dirname "$0")/common.sh"

# path_of_length N: a path of exactly N bytes under $T/d.
mkdir d
path_of_length() {
  local base=$T/d/ n
  n=$(($1 - ${#base}))
  ((n > 0)) || fail "temp dir path too long for this test"
  printf '%s%s' "$base" "$(head -c "$n" /dev/zero | tr '\0' s)"
}

ok=$(path_of_length 107)
"$IPCAT" -v -lU "$ok" <<<"fits" >ok.out 2>ok.err &
lst=$!
wait_listening ok.err
assert_eq "Listening on unix:$ok" "$(head -n 1 ok.err)" "-v line for a 107-byte path"
got=$(timeout 10 "$IPCAT" -U "$ok" </dev/null) || fail "client of a 107-byte path exited with status $?"
assert_eq fits "$got" "received over a 107-byte path"
wait_exit "$lst" 5
assert_eq 0 "$status" "listener's status"

for n in 108 109 200; do
  p=$(path_of_length "$n")
  for side in -lU -U; do
    rc=0
    timeout 10 "$IPCAT" "$side" "$p" </dev/null >"$n$side.out" 2>"$n$side.err" || rc=$?
    ((rc == 1 || rc == 2)) || fail "ipcat $side <$n-byte path>: status $rc, expected 1 or 2"
    assert_error "$n$side.err"
    grep -qi 'too long' "$n$side.err" || fail "ipcat $side <$n-byte path>: the error does not say too long: $(show "$n$side.err")"
    assert_empty "$n$side.out" "stdout"
  done
done
assert_eq "" "$(ls -A d)" "files left in the directory"
