#!/usr/bin/env bash
# The libuuid versions of the generator: --uuid=v3/v5 equal `uuidgen --md5/--sha1` for the four
# predefined namespaces and a custom one (flags and address options alike), v1 is time-based as
# uuidparse reads it and 10,000 of them are distinct, -v says once whether v1 is made safely,
# the %n counter numbers the names, a name without %n and without --count gives one line,
# --interval paces them, and every bad input is one usage line with status 2.
source "$(dirname "$0")/common.sh"
need uuidgen uuidparse

# --- v3 and v5 against uuidgen.
custom=0f0e0d0c-0b0a-4908-8706-050403020100
for ns in @dns @url @oid @x500 "$custom"; do
  for name in example.com 'a name with spaces' 'ünïcode/é'; do
    for v in 3 5; do
      hash=--md5
      [[ $v == 5 ]] && hash=--sha1
      want=$(uuidgen "$hash" --namespace "$ns" --name "$name")
      got=$(timeout 10 "$IPCAT" --uuid=v$v --namespace "$ns" --name "$name" --count 1 </dev/null) ||
        fail "--uuid=v$v --namespace $ns: status $?"
      assert_eq "$want" "$got" "v$v of '$name' in $ns"
      got=$(timeout 10 "$IPCAT" "uuid:v$v,namespace=$ns,name=$name" </dev/null) ||
        fail "uuid:v$v,namespace=$ns: status $?"
      assert_eq "$want" "$got" "uuid:v$v,namespace=$ns,name=$name"
    done
  done
done
# The namespace UUID may be written in capitals, as uuidgen takes it.
assert_eq "$(uuidgen --sha1 --namespace "$custom" --name x)" \
  "$(timeout 10 "$IPCAT" --uuid=V5 --namespace "${custom^^}" --name x)" "v5 with a capital namespace"

# --- Without %n: one line without --count, N identical lines with it.
timeout 10 "$IPCAT" --uuid=v5 --namespace @dns --name example.com </dev/null >one.out ||
  fail "v5 without --count: status $?"
assert_eq 1 "$(line_count one.out)" "lines of v5 without --count or %n"
timeout 10 "$IPCAT" --uuid=v3 --namespace @url --name example.com --count 5 </dev/null >five.out ||
  fail "v3 --count 5: status $?"
assert_eq 5 "$(line_count five.out)" "lines of v3 --count 5"
assert_eq 1 "$(sort -u five.out | wc -l | tr -d " ")" "distinct lines of v3 --count 5"
assert_eq "$(uuidgen --md5 --namespace @url --name example.com)" "$(head -n1 five.out)" "v3 --count 5"

# --- The %n counter, from 1; %% is a literal %.
timeout 10 "$IPCAT" --uuid=v5 --namespace @dns --name 'host-%n' --count 3 </dev/null >hosts.out ||
  fail "v5 host-%n: status $?"
for i in 1 2 3; do
  printf '%s\n' "$(uuidgen --sha1 --namespace @dns --name "host-$i")"
done >hosts.want
assert_same_file hosts.want hosts.out
timeout 10 "$IPCAT" 'uuid:v3,namespace=@oid,name=100%%-%n,count=2' </dev/null >pct.out ||
  fail "uuid:v3 with %%: status $?"
printf '%s\n' "$(uuidgen --md5 --namespace @oid --name 100%-1)" \
  "$(uuidgen --md5 --namespace @oid --name 100%-2)" >pct.want
assert_same_file pct.want pct.out
# With %n and no --count it is endless, like v4: the consumer leaving ends it normally.
timeout 10 "$IPCAT" --uuid=v5 --namespace @dns --name 'n%n' </dev/null | head -n 1000 >endless.out
assert_eq 1000 "$(sort -u endless.out | wc -l | tr -d " ")" "distinct lines of endless n%n"
assert_eq "$(uuidgen --sha1 --namespace @dns --name n1000)" "$(tail -n1 endless.out)" "1000th of n%n"

# --- v1: time-based, distinct, lowercase; -v says once how it was made.
timeout 30 "$IPCAT" --uuid=v1 --count 10000 </dev/null >v1.out || fail "--uuid=v1 --count 10000: status $?"
assert_eq 10000 "$(line_count v1.out)" "v1 lines"
assert_eq 10000 "$(sort -u v1.out | wc -l | tr -d ' ')" "distinct v1 UUIDs"
is_uuid_lines v1.out || fail "v1 output is not lowercase UUID lines: $(head -n3 v1.out)"
uuidparse -n -o TYPE,VARIANT $(head -n 100 v1.out) | sort -u >v1.types
assert_eq "time-based DCE" "$(tr -s ' ' <v1.types)" "uuidparse of v1"
timeout 10 "$IPCAT" -v uuid:v1,count=50 - </dev/null >v1v.out 2>v1v.err || fail "-v uuid:v1: status $?"
assert_eq 50 "$(line_count v1v.out)" "lines of -v uuid:v1,count=50"
assert_eq 1 "$(grep -c '^UUID v1: ' v1v.err)" "-v lines about v1: $(show v1v.err)"
grep -qE '^UUID v1: (made safely|not made safely)' v1v.err || fail "-v v1 line: $(show v1v.err)"
# The other versions say nothing of the kind.
timeout 10 "$IPCAT" -v --uuid=v5 --namespace @dns --name x --count 2 </dev/null >/dev/null 2>v5v.err
grep -q '^UUID v1' v5v.err && fail "v5 with -v spoke of v1: $(show v5v.err)"
# uuidparse agrees on the versions of the bulk generator and the name-based ones too.
for v in 4:random 7:time-v7 3:name-based 5:sha1-based; do
  case ${v%%:*} in
    3 | 5) extra=(--namespace @dns --name x) ;;
    *) extra=() ;;
  esac
  u=$(timeout 10 "$IPCAT" --uuid=v"${v%%:*}" "${extra[@]}" --count 1 </dev/null)
  t=$(uuidparse -n -o TYPE "$u" | tr -d ' ')
  # util-linux 2.38 names v7 "unknown"; what matters is that it is not another known type.
  if [[ ${v%%:*} == 7 ]]; then
    [[ $t == unknown || $t == time-v7 ]] || fail "uuidparse calls v7 $u '$t'"
  else
    assert_eq "${v#*:}" "$t" "uuidparse type of v${v%%:*} $u"
  fi
done

# --- --interval paces the libuuid versions too (3 items: two pauses of 200 ms).
start=$(now_ms)
timeout 10 "$IPCAT" --uuid=v1 --count 3 --interval 200ms </dev/null >paced.out || fail "paced v1: status $?"
took=$(($(now_ms) - start))
assert_eq 3 "$(line_count paced.out)" "paced v1 lines"
((took >= 380)) || fail "--uuid=v1 --count 3 --interval 200ms took only $took ms"
timeout 10 "$IPCAT" --uuid=v3 --namespace @dns --name 'p%n' --count 2 --interval 100ms </dev/null >paced3.out ||
  fail "paced v3: status $?"
assert_eq 2 "$(sort -u paced3.out | wc -l | tr -d " ")" "paced v3 lines"

# --- Bad input: status 2, one line, nothing on stdout.
n=0
bad() { # bad WORD ARGS...: a usage error naming WORD
  local word=$1
  shift
  n=$((n + 1))
  expect_status 2 "$IPCAT" "$@" </dev/null >"bad$n.out" 2>"bad$n.err"
  assert_usage_error "bad$n.err"
  assert_eq 1 "$(line_count "bad$n.err")" "lines of the message for: $*"
  grep -qF -- "$word" "bad$n.err" || fail "message for '$*' does not name '$word': $(show "bad$n.err")"
  assert_empty "bad$n.out" "stdout for '$*'"
}
bad namespace --uuid=v5 --name x                       # no namespace
bad name --uuid=v3 --namespace @dns                    # no name
bad namespace uuid:v5,name=x                           # the address form
bad name uuid:v3,namespace=@url
bad "'zz'" --uuid=v5 --namespace zz --name x           # a malformed namespace UUID
bad "not a UUID" --uuid=v5 --namespace 6ba7b810-9dad-11d1-80b4-00c04fd430c --name x
bad "not a UUID" uuid:v3,namespace=6ba7b810-9dad-11d1-80b4-00c04fd430c8a,name=x
bad "'@nope'" --uuid=v5 --namespace @nope --name x     # an unknown @name
bad "'@DNS'" uuid:v5,namespace=@DNS,name=x
for v in v1 v4 v7; do                                  # the versions that take neither
  bad "v3 and v5" --uuid=$v --name x
  bad "v3 and v5" --uuid=$v --namespace @dns
  bad "v3 and v5" uuid:$v,name=x
done
bad "v3 and v5" --uuid --name x                        # the default version, v4
bad generator --name x fifo:"$T/f" -                   # no generator at all
bad generator --namespace @dns tcp:127.0.0.1:1
bad "'v2'" --uuid=v2
bad "'v6'" uuid:v6
[[ ! -e $T/f ]] || fail "a usage error created the FIFO"
