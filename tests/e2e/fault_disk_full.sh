#!/usr/bin/env bash
# Fault injection: the disk under a file: destination fills up (a 256 KiB tmpfs). ipcat ends with
# status 1 and one line mentioning "No space left on device"; the file holds complete lines only
# (the write that did not fit is rolled back, no torn last line). Three writers: the generator
# at full speed (large batches), the generator a line every 1 ms into the last 16 KiB (the line
# that crosses the end is cut by the kernel and must be rolled back), and a Unix listener
# relaying lines that arrive in chunks that split them (the file is a prefix of what was sent,
# cut at a line end).
source "$(dirname "$0")/common.sh"
need python3

mkdir "$T/full"
mount -t tmpfs -o size=256k tmpfs "$T/full" 2>mount.err ||
  { echo "SKIP: cannot mount a tmpfs: $(cat mount.err)" >&2; exit 77; }
# At exit: unmount (lazily: a process may still hold a file there), then common.sh's cleanup,
# which sees the scenario's status.
_unmount_then_cleanup() {
  local code=$?
  set +e
  umount -l "$T/full" 2>/dev/null
  (exit "$code")
  _cleanup
}
trap _unmount_then_cleanup EXIT

# fresh [FILL_KIB]: empty the tmpfs, then leave only 256 - FILL_KIB KiB free.
fresh() {
  rm -f "$T"/full/*
  if (($# > 0)); then
    head -c "${1}K" /dev/zero >"$T/full/filler" || fail "could not fill the tmpfs"
  fi
}

# complete_uuid_lines FILE WHAT: FILE is empty or UUID lines, the last one ending with "\n".
complete_uuid_lines() {
  local f=$1 what=$2
  if [[ -s $f ]]; then
    [[ $(tail -c 1 "$f" | od -An -c | tr -d ' ') == '\n' ]] ||
      fail "$what: torn last line: $(tail -c 60 "$f" | od -An -c | tr -s ' ' | tr -d '\n')"
  fi
  is_uuid_lines "$f" || fail "$what: a line that is not a whole UUID: $(grep -vE "$uuid_re" "$f" | head -3 | tr '\n' '|')"
  (($(stat -c %s "$f") == 37 * $(line_count "$f"))) || fail "$what: size $(stat -c %s "$f") is not 37 x $(line_count "$f") lines"
}

# 1. The generator at full speed: 100,000 UUIDs (3.7 MB) into 256 KiB.
fresh
rc=0
timeout -k 1 20 "$IPCAT" --uuid --count 100000 "file:$T/full/storage" 2>gen.err || rc=$?
assert_eq 1 "$rc" "status of ipcat --uuid --count 100000 file:(full)"
assert_error gen.err 'No space left on device'
complete_uuid_lines "$T/full/storage" "full speed"
echo "full speed: $(line_count "$T/full/storage") complete lines kept"

# 2. A line every 1 ms into the last 16 KiB: about 440 lines fit, the next one is cut short.
fresh 240
rc=0
start=$(now_ms)
timeout -k 1 20 "$IPCAT" --uuid --interval 1ms --count 100000 "file:$T/full/storage" 2>slow.err || rc=$?
echo "a line every 1 ms: ended after $(($(now_ms) - start)) ms with $(line_count "$T/full/storage") lines"
assert_eq 1 "$rc" "status of ipcat --uuid --interval 1ms file:(16 KiB free)"
assert_error slow.err 'No space left on device'
complete_uuid_lines "$T/full/storage" "a line every 1 ms"
lines=$(line_count "$T/full/storage")
((lines >= 400)) || fail "a line every 1 ms: only $lines lines kept in 16 KiB (expected about 440)"

# 3. Lines relayed from a Unix socket, arriving in 1000-byte chunks that split them.
fresh 240
cat >send.py <<'PY'
import os, socket, sys, time
path = sys.argv[1]
pad = "x" * 40
data = "".join(f"line-{i:06d}-{pad}\n" for i in range(20000)).encode()
with open(os.environ["T"] + "/sent.txt", "wb") as f:
    f.write(data)
c = socket.socket(socket.AF_UNIX)
c.connect(path)
sent = 0
try:
    for i in range(0, len(data), 1000):
        c.sendall(data[i:i + 1000])
        sent += 1000
        time.sleep(0.0005)
except (BrokenPipeError, ConnectionResetError):
    pass
print(sent)
PY
"$IPCAT" "unix-listen:$T/r.sock" "file:$T/full/storage" </dev/null >r.out 2>r.err &
lst=$!
wait_socket "$T/r.sock"
python3 send.py "$T/r.sock" >send.out 2>send.err &
sender=$!
wait_exit "$lst" 20
assert_eq 1 "$status" "status of ipcat unix-listen: file:(16 KiB free)"
assert_error r.err 'No space left on device'
[[ ! -e $T/r.sock ]] || fail "socket file left"
wait_exit "$sender" 10
f=$T/full/storage
size=$(stat -c %s "$f")
echo "relayed lines: $(line_count "$f") lines, $size bytes kept"
((size > 8192)) || fail "relayed lines: only $size bytes kept in 16 KiB"
[[ $(tail -c 1 "$f" | od -An -c | tr -d ' ') == '\n' ]] || fail "relayed lines: torn last line: $(tail -c 60 "$f" | od -An -c | tr -s ' ' | tr -d '\n')"
cmp -s "$f" <(head -c "$size" sent.txt) || fail "relayed lines: the file is not a prefix of what was sent"
assert_empty r.out "listener's stdout"
