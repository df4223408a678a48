#!/usr/bin/env python3
"""A UDP peer for the -ulk scenarios: binds to a source address, sends each message as one
datagram (a short pause between them), then writes every datagram it receives, one a line, to
OUT until nothing has come for QUIET seconds.

usage: svc_udp_peer.py BIND_ADDR PORT OUT QUIET [MESSAGE ...]
A MESSAGE "@SECS" sleeps SECS instead of sending (while still receiving); "?TEXT" waits (10 s
at most, then fails) until a datagram containing TEXT has come.
"""
import socket
import sys
import time


def main():
    bind, port, out, quiet = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((bind, 0))
    s.settimeout(0.05)
    got = []
    with open(out, "w", buffering=1) as f:

        def receive():
            try:
                data = s.recv(65536)
            except (socket.timeout, ConnectionRefusedError):
                return False
            got.append(data.decode(errors="replace"))
            f.write(got[-1].rstrip("\n") + "\n")
            return True

        def drain(until):
            while time.monotonic() < until:
                receive()

        for m in sys.argv[5:]:
            if m.startswith("@"):
                drain(time.monotonic() + float(m[1:]))
                continue
            if m.startswith("?"):
                until = time.monotonic() + 10
                while not any(m[1:] in d for d in got):
                    if time.monotonic() > until:
                        sys.exit("timed out waiting for %r; got %r" % (m[1:], got))
                    receive()
                continue
            s.sendto(m.encode() + b"\n", ("127.0.0.1", port))
            drain(time.monotonic() + 0.1)
        last = time.monotonic()
        while time.monotonic() - last < quiet:
            if receive():
                last = time.monotonic()


main()
