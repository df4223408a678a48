#!/usr/bin/env python3
"""Reads an ipcat --hex-dump back: prints JSON-free results for the shape_* scenarios.

usage: shape_dump.py DUMP OUT_FWD OUT_BACK [OUT_ALL]
Writes the bytes of the '>' chunks to OUT_FWD, of the '<' chunks to OUT_BACK and of all chunks
in order to OUT_ALL; prints one line per header: direction, count, endpoint.
"""
import re
import sys

HEADER = re.compile(r"^([<>]) (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z) (\d+) bytes? (.+)$")
LINE = re.compile(r"^([0-9a-f]{8})  (.{48})  \|(.*)\|$")


def main():
    dump, out_fwd, out_back = sys.argv[1:4]
    out_all = sys.argv[4] if len(sys.argv) > 4 else None
    chunks = []
    cur = None
    with open(dump, "rb") as f:
        for raw in f.read().decode("latin-1").split("\n")[:-1]:
            m = HEADER.match(raw)
            if m:
                cur = [m.group(1), int(m.group(3)), m.group(4), bytearray()]
                chunks.append(cur)
                continue
            m = LINE.match(raw)
            if not m or cur is None:
                sys.exit("not a dump line: %r" % raw)
            if int(m.group(1), 16) != len(cur[3]):
                sys.exit("offset %s, expected %x" % (m.group(1), len(cur[3])))
            data = bytes.fromhex(m.group(2).replace(" ", ""))
            shown = "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in data)
            if shown != m.group(3):
                sys.exit("printable column %r does not match the bytes" % m.group(3))
            cur[3] += data
    for d, n, name, data in chunks:
        if n != len(data):
            sys.exit("header says %d bytes, %d dumped" % (n, len(data)))
        print(d, n, name)
    with open(out_fwd, "wb") as f:
        f.write(b"".join(bytes(c[3]) for c in chunks if c[0] == ">"))
    with open(out_back, "wb") as f:
        f.write(b"".join(bytes(c[3]) for c in chunks if c[0] == "<"))
    if out_all:
        with open(out_all, "wb") as f:
            f.write(b"".join(bytes(c[3]) for c in chunks))


main()
