#!/usr/bin/env python3
"""A client for the --broker scenarios: connects to 127.0.0.1:PORT, writes everything it
receives to OUT, and runs its script: "@SECS" waits (still receiving), "?TEXT" waits (10 s at
most, then fails) until TEXT has been received, "*N:TEXT" sends N lines "TEXT i", anything else
is sent as one line. At the end it waits until nothing has come for
QUIET seconds, then closes.

usage: svc_broker_client.py PORT OUT QUIET [STEP ...]
       svc_broker_client.py --never-read PORT SECS   (a client that connects and never reads)
"""
import socket
import sys
import time


def never_read(port, secs):
    s = socket.socket()
    # A small receive window, so the broker's queue for this client fills soon.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", port))
    time.sleep(secs)


def main():
    if sys.argv[1] == "--never-read":
        never_read(int(sys.argv[2]), float(sys.argv[3]))
        return
    port, out, quiet = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(0.02)
    got = bytearray()
    with open(out, "wb") as f:

        def wait_for(text):
            until = time.monotonic() + 10
            while text.encode() not in got:
                if time.monotonic() > until:
                    sys.exit("timed out waiting for %r; got %r" % (text, bytes(got[-200:])))
                try:
                    data = s.recv(65536)
                except socket.timeout:
                    continue
                if not data:
                    sys.exit("closed while waiting for %r" % text)
                got.extend(data)
                f.write(data)
                f.flush()

        def drain(secs):
            until = time.monotonic() + secs
            while time.monotonic() < until:
                try:
                    data = s.recv(65536)
                except socket.timeout:
                    continue
                if not data:
                    return
                got.extend(data)
                f.write(data)
                f.flush()

        for step in sys.argv[4:]:
            if step.startswith("@"):
                drain(float(step[1:]))
            elif step.startswith("?"):
                wait_for(step[1:])
            elif step.startswith("*"):
                n, text = step[1:].split(":", 1)
                s.settimeout(None)
                s.sendall(b"".join(b"%s %d\n" % (text.encode(), i) for i in range(int(n))))
                s.settimeout(0.02)
            else:
                s.sendall(step.encode() + b"\n")
        last = time.monotonic()
        while time.monotonic() - last < quiet:
            try:
                data = s.recv(65536)
            except socket.timeout:
                continue
            if not data:
                break
            last = time.monotonic()
            f.write(data)
            f.flush()


main()
