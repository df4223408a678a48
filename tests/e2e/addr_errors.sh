#!/usr/bin/env bash
# Every kind of bad address is a usage error: status 2, one line `ipcat: ...` that names the
# offending word and ends with the --help hint, nothing on stdout, nothing created.
source "$(dirname "$0")/common.sh"

# bad ADDRESS WORD [OTHER_ADDRESS]: `ipcat ADDRESS OTHER` (OTHER defaults to -) must fail as a
# usage error whose message contains WORD (a fixed string).
n=0
bad() {
  local addr=$1 word=$2 other=${3:--}
  n=$((n + 1))
  expect_status 2 "$IPCAT" "$addr" "$other" </dev/null >"bad$n.out" 2>"bad$n.err"
  assert_usage_error "bad$n.err"
  grep -qF -- "$word" "bad$n.err" || fail "message for '$addr' does not name '$word': $(show "bad$n.err")"
  assert_empty "bad$n.out" "stdout for '$addr'"
}

bad foo:bar foo                             # unknown type
bad "unix-listen:$T/p,bogus=1" bogus        # unknown option
bad "unix:$T/p,mode=600" mode               # an option that does not apply to the type
bad uuid,count=x "'x'"                      # a bad value
bad unix: unix                              # missing path
bad tcp:host tcp:host                       # no port
bad tcp:h:70000 70000                       # port out of range
bad uuid:v9 v9                              # unknown UUID version
bad "fifo:$T/f,follow" follow               # file's option on a FIFO
bad "file:$T/f,once" once                   # FIFO's option on a file
bad uuid,interval=soon soon                 # a bad duration
bad unix-listen:@ipcat-addr-$$,mode=600 abstract  # no file for the mode to apply to
bad "unix:$T/p,bind=$T/me" bind             # bind is for a Unix datagram client only
# The same words as the second address.
bad - foo                                   foo:bar
bad - bogus                                 "unix:$T/p,bogus=1"
bad - 70000                                 tcp:127.0.0.1:70000
# A generator is a source only: on the right it is an error too.
bad - uuid                                  uuid,count=1

# None of them created anything.
leftovers=$(find "$T" -mindepth 1 -not -name 'bad*' -printf '%f\n')
assert_eq "" "$leftovers" "files created by the failed invocations"
echo "$n bad addresses rejected with status 2" >&2
