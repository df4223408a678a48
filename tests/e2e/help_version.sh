#!/usr/bin/env bash
# --help and -h print usage on stdout, --version and -V the version; status 0, nothing on stderr.
source "$(dirname "$0")/common.sh"

for flag in --help -h; do
  timeout 10 "$IPCAT" "$flag" >h.out 2>h.err || fail "ipcat $flag: status $?"
  assert_empty h.err "stderr of ipcat $flag"
  grep -qi 'usage' h.out || fail "ipcat $flag: no usage on stdout"
  for opt in --listen --unix --udp --keep-open --uuid --retry --mode --stats --echo; do
    grep -q -- "$opt" h.out || fail "ipcat $flag does not mention $opt"
  done
done
for flag in --version -V; do
  timeout 10 "$IPCAT" "$flag" >v.out 2>v.err || fail "ipcat $flag: status $?"
  assert_empty v.err "stderr of ipcat $flag"
  grep -qE '[0-9]+\.[0-9]+' v.out || fail "ipcat $flag: no version number: $(show v.out)"
done
