#!/usr/bin/env bash
# --raw (stdio,raw): the local terminal is raw while the session runs and comes back as it was
# (stty -g before and after) on every exit path: the escape key (which is not sent), SIGTERM,
# the peer vanishing. escape=none passes Ctrl-] on. Without a terminal: one line, status 1.
source "$(dirname "$0")/common.sh"
need python3 stty

# term.py HOW ARGS...: runs ipcat ARGS on a new terminal, types "abc", then ends the session
# HOW (escape: types the key, $KEY or Ctrl-], and more; term: SIGTERM; peer: waits for the
# peer to go away; none: types Ctrl-], checks that ipcat goes on, then SIGTERM);
# prints ipcat's status. Fails unless the terminal is raw during the session and has exactly
# its old settings (stty -g) afterwards.
cat >term.py <<'PY'
import os, pty, signal, subprocess, sys, termios, time
how, args = sys.argv[1], sys.argv[2:]
master, slave = pty.openpty()
def stty():
    return subprocess.run(["stty", "-g"], stdin=slave, capture_output=True, check=True).stdout
before = stty()
p = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=open("ipcat.err", "wb"))
deadline = time.monotonic() + 8
while how != "error" and termios.tcgetattr(slave)[3] & termios.ICANON:
    if time.monotonic() > deadline or p.poll() is not None:
        sys.exit("the terminal was never made raw")
    time.sleep(0.02)
os.write(master, b"abc")
time.sleep(0.3)
if how == "escape":
    os.write(master, os.environ.get("KEY", "\x1d").encode() + b"not-sent")
elif how == "none":
    os.write(master, b"\x1d")
    time.sleep(0.3)
    if p.poll() is not None:
        sys.exit("Ctrl-] ended the session although escape=none")
    p.send_signal(signal.SIGTERM)
elif how == "term":
    p.send_signal(signal.SIGTERM)
try:
    rc = p.wait(timeout=8)
except subprocess.TimeoutExpired:
    p.kill()
    sys.exit("ipcat did not end (%s)" % how)
after = stty()
if after != before:
    sys.exit("terminal not restored: %r, was %r" % (after, before))
print(rc)
PY

# The escape key ends the session with status 0; the peer got "abc", not the key.
open_input e.in
"$IPCAT" -lU "$T/e.sock" <e.in >e.out 2>e.srv.err &
srv=$!
wait_socket "$T/e.sock"
sleep 0.3 # a session that ends early would not be told from the escape key's end
got=$(timeout 15 python3 term.py escape "$IPCAT" --raw -U "$T/e.sock") || fail "escape: $got"
assert_eq 0 "$got" "status after the escape key"
assert_empty ipcat.err "stderr after the escape key"
wait_exit "$srv" 5
assert_eq abc "$(cat e.out)" "what the peer got (no escape key, nothing after it)"

# SIGTERM: status 143, the terminal restored.
open_input t.in
"$IPCAT" -lU "$T/t.sock" <t.in >t.out 2>t.srv.err &
srv=$!
wait_socket "$T/t.sock"
got=$(timeout 15 python3 term.py term "$IPCAT" stdio,raw unix:"$T/t.sock") || fail "SIGTERM: $got"
assert_eq 143 "$got" "status after SIGTERM"
wait_exit "$srv" 5

# The peer vanishing (killed once it has the bytes) ends the session; the terminal is restored.
open_input p.in
"$IPCAT" -lU "$T/p.sock" <p.in >p.out 2>p.srv.err &
srv=$!
wait_socket "$T/p.sock"
timeout 15 python3 term.py peer "$IPCAT" --raw -U "$T/p.sock" >p.status 2>&1 &
py=$!
wait_for 10 grep -q abc p.out
kill -TERM "$srv"
wait_exit "$py" 10
assert_eq 0 "$status" "term.py after the peer went away ($(show p.status))"
assert_eq 0 "$(cat p.status)" "status after the peer went away"

# escape=none: Ctrl-] is data like any other byte.
open_input n.in
"$IPCAT" -lU "$T/n.sock" <n.in >n.out 2>n.srv.err &
srv=$!
wait_socket "$T/n.sock"
got=$(timeout 15 python3 term.py none "$IPCAT" stdio,raw,escape=none unix:"$T/n.sock") ||
  fail "escape=none: $got"
assert_eq 143 "$got" "status after SIGTERM (escape=none)"
wait_exit "$srv" 5
assert_eq "616263" "$(head -c 4 n.out | od -An -tx1 | tr -d ' \n' | head -c 6)" "escape=none: the bytes before"
[[ $(od -An -tx1 n.out | tr -d ' \n') == 6162631d* ]] || fail "escape=none: Ctrl-] was not sent: $(od -An -tx1 n.out)"

# --escape picks another key: ^A ends it.
open_input a.in
"$IPCAT" -lU "$T/a.sock" <a.in >a.out 2>a.srv.err &
srv=$!
wait_socket "$T/a.sock"
got=$(KEY=$'\x01' timeout 15 python3 term.py escape "$IPCAT" --raw --escape '^A' -U "$T/a.sock") ||
  fail "--escape ^A: $got"
assert_eq 0 "$got" "status after --escape ^A"
wait_exit "$srv" 5
assert_eq abc "$(cat a.out)" "what the peer got with --escape ^A"

# An error after the terminal was made raw (nothing listens): status 1, the terminal restored.
got=$(timeout 15 python3 term.py error "$IPCAT" --raw -U "$T/nobody.sock") || fail "error: $got"
assert_eq 1 "$got" "status when the connection fails"
assert_error ipcat.err "^ipcat: connect unix:$T/nobody.sock: No such file or directory$"

# Without a terminal on stdin: one line, status 1, before anything is opened.
expect_status 1 "$IPCAT" --raw -lU "$T/x.sock" </dev/null 2>x.err
assert_error x.err '^ipcat: stdio,raw: standard input is not a terminal$'
[[ ! -e $T/x.sock ]] || fail "--raw without a terminal still listened"
expect_status 2 "$IPCAT" --escape '^A' -U "$T/x.sock" </dev/null 2>y.err
assert_usage_error y.err
expect_status 2 "$IPCAT" stdio,raw,escape=^1 unix:"$T/x.sock" </dev/null 2>z.err
assert_usage_error z.err
