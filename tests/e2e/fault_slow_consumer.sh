#!/usr/bin/env bash
# Fault injection: a slow consumer of a 1 GiB stream. A deterministic pseudo-random stream goes
# through an ipcat listener, a Unix socket and an ipcat client into a reader that takes 64 KiB
# every 1 ms (at most 64 MiB/s). Both ipcat processes' VmRSS, sampled every 0.2 s, stays under
# 16 MiB (under AddressSanitizer, whose shadow memory and quarantine of freed blocks alone are
# some 30-60 MiB, with OpenSSL's pages on top, under 128 MiB); every
# byte arrives (count and sha256); both end with status 0.
source "$(dirname "$0")/common.sh"
need python3

SIZE=$((1024 * 1024 * 1024))
LIMIT_KIB=$((16 * 1024))
if sanitized_build; then
  LIMIT_KIB=$((128 * 1024))
fi

# gen.py SEED BYTES SUMFILE: BYTES of a seeded pseudo-random stream on stdout; its sha256 and
# length go to SUMFILE once it is all written.
cat >gen.py <<'PY'
import hashlib, os, random, sys
rng = random.Random(int(sys.argv[1]))
left = int(sys.argv[2])
h = hashlib.sha256()
n = 0
while left:
    chunk = rng.randbytes(min(left, 1 << 20))
    view = memoryview(chunk)
    while view:
        k = os.write(1, view)
        view = view[k:]
    h.update(chunk)
    n += len(chunk)
    left -= len(chunk)
with open(sys.argv[3], "w") as f:
    f.write(f"{n} {h.hexdigest()}\n")
PY

# slow.py SUMFILE: read stdin to EOF, at most 64 KiB every 1 ms; its sha256 and length go to
# SUMFILE, and the time it took (ms) to SUMFILE.ms.
cat >slow.py <<'PY'
import hashlib, os, sys, time
h = hashlib.sha256()
n = 0
start = time.monotonic()
buf = bytearray(65536)
eof = False
while not eof:
    got = 0
    while got < len(buf):
        k = os.readv(0, [memoryview(buf)[got:]])
        if k == 0:
            eof = True
            break
        got += k
    h.update(memoryview(buf)[:got])
    n += got
    time.sleep(0.001)
with open(sys.argv[1], "w") as f:
    f.write(f"{n} {h.hexdigest()}\n")
with open(sys.argv[1] + ".ms", "w") as f:
    f.write(f"{int((time.monotonic() - start) * 1000)}\n")
PY

# rss.py OUT PID...: sample VmRSS (KiB) of each PID every 0.2 s until all have ended; OUT gets
# one line per PID, "PID MAX_KIB SAMPLES", rewritten after every round.
cat >rss.py <<'PY'
import os, sys, time
out, pids = sys.argv[1], sys.argv[2:]
peak = {p: 0 for p in pids}
samples = {p: 0 for p in pids}
while True:
    alive = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        kib = int(line.split()[1])
                        peak[p] = max(peak[p], kib)
                        samples[p] += 1
                        alive += 1
        except (FileNotFoundError, ProcessLookupError):
            pass
    with open(out + ".tmp", "w") as f:
        for p in pids:
            f.write(f"{p} {peak[p]} {samples[p]}\n")
    os.rename(out + ".tmp", out)
    if not alive:
        break
    time.sleep(0.2)
PY

"$IPCAT" -v -lU "$T/slow.sock" < <(python3 gen.py 20240601 "$SIZE" sent.sum) >lst.out 2>lst.err &
lst=$!
wait_listening lst.err
mkfifo cons.fifo
python3 slow.py got.sum <cons.fifo &
reader=$!
start=$(now_ms)
"$IPCAT" -U "$T/slow.sock" </dev/null >cons.fifo 2>cli.err &
cli=$!
python3 rss.py rss.txt "$lst" "$cli" &
sampler=$!

wait_exit "$cli" 100
cli_status=$status
took=$(($(now_ms) - start))
wait_exit "$lst" 5
assert_eq 0 "$status" "listener's status"
assert_eq 0 "$cli_status" "client's status"
wait_exit "$reader" 5
wait_exit "$sampler" 5
echo "1 GiB to a reader of 64 KiB/ms took $took ms (reader: $(cat got.sum.ms) ms)"

read -r lst_pid lst_kib lst_n < <(grep "^$lst " rss.txt)
read -r cli_pid cli_kib cli_n < <(grep "^$cli " rss.txt)
echo "peak VmRSS: listener $lst_kib KiB ($lst_n samples), client $cli_kib KiB ($cli_n samples); limit $LIMIT_KIB KiB"
((lst_n >= 20 && cli_n >= 20)) || fail "too few RSS samples: listener $lst_n, client $cli_n"
((lst_kib < LIMIT_KIB)) || fail "listener (pid $lst_pid) peaked at $lst_kib KiB resident (limit $LIMIT_KIB KiB)"
((cli_kib < LIMIT_KIB)) || fail "client (pid $cli_pid) peaked at $cli_kib KiB resident (limit $LIMIT_KIB KiB)"

[[ -s sent.sum ]] || fail "the generator did not finish writing its stream"
assert_eq "$(cat sent.sum)" "$(cat got.sum)" "length and sha256 of what the slow reader got"
assert_eq "$SIZE" "$(cut -d' ' -f1 got.sum)" "bytes delivered"
assert_empty lst.out "listener's stdout"
assert_empty cli.err "client's stderr"
grep -vE '^(Listening on|Connection from) ' lst.err >lst.rest || true
assert_empty lst.rest "listener's stderr (besides -v events)"
[[ ! -e $T/slow.sock ]] || fail "socket file left"
