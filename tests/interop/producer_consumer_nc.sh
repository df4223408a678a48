#!/usr/bin/env bash
# The producer/consumer flow with other tools as the consumer: an ipcat UUID producer on a Unix socket
# (`ipcat --uuid --interval 100ms --echo -lU PATH`) read by `nc.openbsd -U PATH` and by
# `socat - UNIX-CONNECT:PATH`. The consumer prints valid UUID lines, exactly what the producer
# echoed; when the producer stops, the consumer exits; when the consumer goes, the producer
# exits 0 (the peer closing is normal).
source "$(dirname "$0")/common.sh"
need nc.openbsd socat

# consumer KIND NAME: start KIND (nc or socat) reading $T/NAME.sock into NAME.out; sets $cons.
# nc.openbsd's stdin is /dev/null (without -N it never half-closes); socat's stdin is held open
# like a terminal, since socat quits 0.5 s (-t) after its input ends.
consumer() {
  case $1 in
    nc) nc.openbsd -U "$T/$2.sock" </dev/null >"$2.out" 2>"$2.cons.err" & ;;
    socat)
      open_input "$2.in"
      socat - UNIX-CONNECT:"$T/$2.sock" <"$T/$2.in" >"$2.out" 2>"$2.cons.err" &
      ;;
  esac
  cons=$!
}

# producer NAME OPTION...: start the ipcat producer on $T/NAME.sock; sets $prod once it listens.
producer() {
  local name=$1
  shift
  "$IPCAT" --uuid --interval 100ms --echo -v "$@" -lU "$T/$name.sock" >"$name.prod.out" 2>"$name.prod.err" &
  prod=$!
  wait_listening "$name.prod.err"
}

# echoed NAME: the UUIDs the producer NAME echoed on stderr (its -v lines left out).
echoed() { grep -vE '^(Listening on|Connection from) ' "$1.prod.err" || true; }

# assert_uuids NAME [N]: NAME.out is complete, valid UUID lines (N of them if given), all
# different, and exactly the lines the producer echoed.
assert_uuids() {
  local f=$1.out
  [[ -s $f ]] || fail "$1: the consumer got nothing"
  [[ -z $(tail -c 1 "$f" | tr -d '\n') ]] || fail "$1: the consumer's output ends inside a line"
  is_uuid_lines "$f" || fail "$1: not UUID lines: $(grep -vE "$uuid_re" "$f" | head -3 | tr '\n' ' ')"
  if (($# >= 2)); then
    assert_eq "$2" "$(line_count "$f")" "$1: lines the consumer got"
  fi
  assert_eq "$(line_count "$f")" "$(sort -u "$f" | wc -l)" "$1: distinct UUIDs"
  assert_eq "$(echoed "$1")" "$(cat "$f")" "$1: what the producer echoed vs what the consumer got"
  assert_empty "$1.prod.out" "$1: the producer's stdout"
}

for kind in nc socat; do
  # 1. Ten UUIDs (--count 10): the producer ends, the consumer then exits on its own.
  name=$kind-count
  producer "$name" --count 10
  consumer "$kind" "$name"
  wait_both 10 "ipcat (producer)" "$prod" "$kind (consumer)" "$cons"
  assert_eq 0 "$status1" "$name: the producer's status"
  assert_eq 0 "$status2" "$name: the consumer's status"
  if [[ $kind == socat ]]; then close_input "$name.in"; fi
  assert_uuids "$name" 10

  # 2. An endless producer; the consumer is stopped after five lines: the producer notices
  # at its next write and exits 0, removing its socket.
  name=$kind-consumer-stops
  producer "$name"
  consumer "$kind" "$name"
  wait_for 10 has_lines "$name.out" 5
  kill "$cons"
  wait "$cons" 2>/dev/null || true
  if [[ $kind == socat ]]; then close_input "$name.in"; fi
  wait_exit "$prod" 5
  assert_eq 0 "$status" "$name: the producer's status after its consumer went away"
  [[ ! -e $T/$name.sock ]] || fail "$name: the producer left its socket file behind"
  is_uuid_lines "$name.out" || fail "$name: not UUID lines: $(show "$name.out")"
  [[ -z $(tail -c 1 "$name.out" | tr -d '\n') ]] || fail "$name: the consumer's output ends inside a line"

  # 3. An endless producer stopped with SIGTERM after five lines: it exits 143, and the
  # consumer exits on its own, with everything that was echoed.
  name=$kind-producer-stops
  producer "$name"
  consumer "$kind" "$name"
  wait_for 10 has_lines "$name.out" 5
  kill -TERM "$prod"
  wait_both 5 "ipcat (producer)" "$prod" "$kind (consumer)" "$cons"
  assert_eq 143 "$status1" "$name: the producer's status after SIGTERM"
  assert_eq 0 "$status2" "$name: the consumer's status"
  if [[ $kind == socat ]]; then close_input "$name.in"; fi
  [[ ! -e $T/$name.sock ]] || fail "$name: the producer left its socket file behind"
  assert_uuids "$name"
done
