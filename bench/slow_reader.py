#!/usr/bin/env python3
"""A deliberately slow consumer: read 64 KiB from stdin, sleep 10 ms, repeat (at most ~6.5 MB/s).

Prints the number of bytes it read when stdin ends, so the caller can check every byte arrived.
SLOW_CHUNK (bytes) and SLOW_PAUSE (seconds) change the pace.
"""
import os
import sys
import time


def main() -> int:
    chunk = int(os.environ.get("SLOW_CHUNK", "65536"))
    pause = float(os.environ.get("SLOW_PAUSE", "0.01"))
    fd = sys.stdin.fileno()
    total = 0
    while True:
        data = os.read(fd, chunk)
        if not data:
            break
        total += len(data)
        time.sleep(pause)
    print(total)
    return 0


if __name__ == "__main__":
    sys.exit(main())
