# Proxies that misbehave, played by a small python server: one that answers junk, one that
# closes in the middle of the handshake, one that never answers (-w bounds the handshake), no
# proxy at all: one line each naming the proxy, status 1, no hang. One that sends the target's
# first bytes in the same write as its reply (SOCKS5 and HTTP): they arrive whole, as the first
# bytes of the stream. --retry retries the handshake too. A bad proxy URL is a usage error.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
need python3

cat >fake.py <<'PY'
import os, socket, sys, threading, time
mode, name = sys.argv[1], sys.argv[2]
greeting = b"GREETING from the target\n" + bytes(range(256)) * 256
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(8)
with open(name + ".port.tmp", "w") as f:
    f.write(str(srv.getsockname()[1]))
os.rename(name + ".port.tmp", name + ".port")

def read_http_head(c):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = c.recv(4096)
        if not chunk:
            break
        data += chunk
    return data

def socks5_until_request(c):
    c.recv(3)
    c.sendall(b"\x05\x00")
    c.recv(512)

def serve(c, n):
    if mode == "junk":  # an HTTP server where a SOCKS one was expected
        c.recv(512)
        c.sendall(b"HTTP/1.1 200 junk\r\n")
        time.sleep(30)
    elif mode == "junk-http":  # something else where an HTTP proxy was expected
        read_http_head(c)
        c.sendall(b"SSH-2.0-OpenSSH_9.2\r\n")
        time.sleep(30)
    elif mode == "close-socks5":
        socks5_until_request(c)
        c.sendall(b"\x05\x00")  # half a reply
    elif mode == "close-http":
        read_http_head(c)
        c.sendall(b"HTTP/1.1 200 Conn")
    elif mode == "silent":
        c.recv(512)
        time.sleep(30)
    elif mode in ("greet-socks5", "greet-http", "flaky"):
        if mode == "flaky" and n == 0:
            c.close()
            return
        if mode == "greet-http":
            read_http_head(c)
            reply = b"HTTP/1.1 200 Connection established\r\nVia: fake\r\n\r\n"
        else:
            socks5_until_request(c)
            reply = b"\x05\x00\x00\x01\x7f\x00\x00\x01\x04\xd2"
        # The reply and the target's first bytes in one write: one segment on loopback.
        c.sendall(reply + greeting)
        got = b""
        while True:
            chunk = c.recv(65536)
            if not chunk:
                break
            got += chunk
        with open(name + ".got", "wb") as f:
            f.write(got)
    c.close()

n = 0
while True:
    c, _ = srv.accept()
    threading.Thread(target=serve, args=(c, n), daemon=True).start()
    n += 1
PY
python3 -c 'import sys; sys.stdout.buffer.write(b"GREETING from the target\n" + bytes(range(256)) * 256)' >greeting.want

# fake MODE: starts the fake proxy; sets FAKE (its port).
fake() {
  python3 fake.py "$1" "$T/$1" &
  wait_for 10 test -f "$T/$1.port"
  FAKE=$(cat "$T/$1.port")
}

# client NAME MS ARGS...: ipcat ARGS (stdin /dev/null) must end within MS ms; sets $status.
client() {
  local name=$1 ms=$2 pid
  shift 2
  "$IPCAT" "$@" </dev/null >"$name.out" 2>"$name.err" &
  pid=$!
  wait_exit_within "$pid" "$ms"
}

fake junk
client junk5 5000 "tcp:127.0.0.1:22,proxy=socks5://127.0.0.1:$FAKE"
assert_eq 1 "$status" "SOCKS5 client, HTTP junk: status"
assert_error junk5.err "^ipcat: proxy socks5://127\.0\.0\.1:$FAKE: not a SOCKS5 reply"
client junk4 5000 "tcp:127.0.0.1:22,proxy=socks4://127.0.0.1:$FAKE"
assert_eq 1 "$status" "SOCKS4 client, HTTP junk: status"
assert_error junk4.err "^ipcat: proxy socks4://127\.0\.0\.1:$FAKE: not a SOCKS4 reply"

fake junk-http
client junkh 5000 "tcp:127.0.0.1:22,proxy=http://127.0.0.1:$FAKE"
assert_eq 1 "$status" "HTTP client, SSH banner: status"
assert_error junkh.err "^ipcat: proxy http://127\.0\.0\.1:$FAKE: not an HTTP response: 'SSH-2\.0"

fake close-socks5
client close5 5000 -X 5 -x "127.0.0.1:$FAKE" 127.0.0.1 22
assert_eq 1 "$status" "SOCKS5 proxy closing mid-handshake: status"
assert_error close5.err "^ipcat: proxy socks5://127\.0\.0\.1:$FAKE: the proxy closed the connection during the handshake$"

fake close-http
client closeh 5000 -X connect -x "127.0.0.1:$FAKE" 127.0.0.1 22
assert_eq 1 "$status" "HTTP proxy closing mid-answer: status"
assert_error closeh.err "^ipcat: proxy http://127\.0\.0\.1:$FAKE: the proxy closed the connection in the middle of its answer$"

# -w bounds the connect and the handshake together.
fake silent
client silent 4000 -w 1 "tcp:127.0.0.1:22,proxy=socks5://127.0.0.1:$FAKE"
assert_eq 1 "$status" "silent proxy with -w 1: status"
assert_error silent.err "^ipcat: proxy socks5://127\.0\.0\.1:$FAKE: no connection through the proxy within 1s \(-w\)$"

# No proxy there.
closed=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
client none 5000 "tcp:127.0.0.1:22,proxy=socks5://127.0.0.1:$closed"
assert_eq 1 "$status" "no proxy there: status"
assert_error none.err "^ipcat: proxy socks5://127\.0\.0\.1:$closed: cannot connect: Connection refused$"

# The target's first bytes in the proxy's reply segment: all of them arrive, first.
for m in greet-socks5 greet-http; do
  fake $m
  scheme=socks5
  [[ $m == greet-http ]] && scheme=http
  client "$m" 5000 "tcp:127.0.0.1:1234,proxy=$scheme://127.0.0.1:$FAKE"
  assert_eq 0 "$status" "$m: status ($(show "$m.err"))"
  assert_same_file greeting.want "$m.out"
done

# --retry retries the handshake: the first connection is closed before any answer.
fake flaky
client flaky 8000 --retry=3 --retry-interval 100ms "tcp:127.0.0.1:1234,proxy=socks5://127.0.0.1:$FAKE"
assert_eq 0 "$status" "flaky proxy with --retry: status ($(show flaky.err))"
assert_same_file greeting.want flaky.out
rm -f flaky.port && kill %% 2>/dev/null || true
fake flaky
client flaky-once 5000 "tcp:127.0.0.1:1234,proxy=socks5://127.0.0.1:$FAKE"
assert_eq 1 "$status" "flaky proxy without --retry: status"
assert_error flaky-once.err "^ipcat: proxy socks5://127\.0\.0\.1:$FAKE: (the proxy closed the connection during the handshake|reading the reply: Connection reset by peer)$"

# Mistakes in the URL or the flags are usage errors.
for bad in "tcp:h:22,proxy=gopher://p" "tcp:h:22,proxy=socks5://p:99999" "tcp:h:22,proxy=socks5://"; do
  client usage 5000 "$bad"
  assert_eq 2 "$status" "'$bad': status"
  assert_usage_error usage.err
done
client usage 5000 -X 7 -x p:1 h 22
assert_eq 2 "$status" "-X 7: status"
assert_usage_error usage.err
