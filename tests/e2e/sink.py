"""Scripted stream peers for the delivery and load scenarios and for bench/clients.

    python3 sink.py KIND WHERE NAME MODE [ARG]

KIND is tcp (WHERE is the host to bind, port 0 is taken) or unix (WHERE is the socket path).
Once listening it writes NAME.port (the TCP port, or 0 for unix) atomically, then serves every
connection that comes, each in its own thread (mode count: one asyncio loop), by MODE:

  discard SECS   accept, read nothing, close after SECS seconds (unread data: the kernel resets)
  partial BYTES  read exactly BYTES (fewer if the peer ends first), then close
  all            read to EOF, then close
  answer         read one line, answer "answer\\n", then close
  flood          send zeros as fast as the peer takes them, until it goes away
  lines N        read N lines, then close (unread data: reset)
  reset K        the first K connections: close at once with SO_LINGER 0 (a reset), reading
                 nothing; later ones as in `all`
  count [GATE]   like `all`, for many connections at once (asyncio); with GATE (a path), it
                 reads nothing until the file GATE exists (checked every 20 ms), so the
                 connections that arrive before it all stay open together, their data waiting

Modes all, reset and count append the byte count of each connection that ended, one a line, to
NAME.conns (after the peer's EOF or reset; "reset" is appended for a connection it reset).
Every mode appends a line "accepted" to NAME.accepted for each connection it accepts. Errors
on a connection (the peer reset it) end that connection quietly.
"""
import asyncio
import os
import socket
import struct
import sys
import threading
import time

kind, where, name, mode = sys.argv[1:5]
arg = sys.argv[5] if len(sys.argv) > 5 else None
lock = threading.Lock()
accepted = 0


def note(path, line):
    with lock:
        with open(path, "a") as f:
            f.write(line + "\n")


def listening_socket():
    if kind == "tcp":
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((where, 0))
        port = s.getsockname()[1]
    else:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(where)
        port = 0
    s.listen(4096)
    with open(name + ".port.tmp", "w") as f:
        f.write(str(port))
    os.rename(name + ".port.tmp", name + ".port")
    return s


def read_all(c):
    n = 0
    buf = bytearray(1 << 16)
    while True:
        k = c.recv_into(buf)
        if k == 0:
            return n
        n += k


def serve(c, index):
    try:
        if mode == "discard":
            time.sleep(float(arg))
        elif mode == "partial":
            left = int(arg)
            while left > 0:
                data = c.recv(min(left, 1 << 16))
                if not data:
                    break
                left -= len(data)
        elif mode == "all":
            note(name + ".conns", str(read_all(c)))
        elif mode == "answer":
            got = b""
            while not got.endswith(b"\n"):
                data = c.recv(1)
                if not data:
                    break
                got += data
            c.sendall(b"answer\n")
        elif mode == "flood":
            block = bytes(1 << 16)
            while True:
                c.sendall(block)
        elif mode == "lines":
            want, got = int(arg), 0
            while got < want:
                data = c.recv(1)
                if not data:
                    break
                got += data == b"\n"
        elif mode == "reset":
            if index < int(arg):
                c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                note(name + ".conns", "reset")
            else:
                note(name + ".conns", str(read_all(c)))
    except OSError:
        pass
    finally:
        c.close()


def threaded(s):
    global accepted
    while True:
        c, _ = s.accept()
        index = accepted
        accepted += 1
        note(name + ".accepted", "accepted")
        threading.Thread(target=serve, args=(c, index), daemon=True).start()


class Counter(asyncio.Protocol):
    def connection_made(self, transport):
        self.n = 0

    def data_received(self, data):
        self.n += len(data)

    def eof_received(self):
        return False  # close our side too

    def connection_lost(self, exc):
        note(name + ".conns", str(self.n))


async def counting(s):
    # The accept loop is our own, so that a connection that arrives before the gate is only
    # accepted: its socket is not read at all (no transport exists yet) until the gate opens.
    loop = asyncio.get_running_loop()
    s.setblocking(False)
    pending = []
    gate_open = arg is None

    async def wait_for_gate():
        nonlocal gate_open
        while not os.path.exists(arg):
            await asyncio.sleep(0.02)
        gate_open = True
        for c in pending:
            await loop.connect_accepted_socket(Counter, c)
        pending.clear()

    if not gate_open:
        # Held in a variable: the loop keeps only a weak reference to a task.
        gate_task = asyncio.ensure_future(wait_for_gate())  # noqa: F841
    while True:
        c, _ = await loop.sock_accept(s)
        note(name + ".accepted", "accepted")
        if gate_open:
            await loop.connect_accepted_socket(Counter, c)
        else:
            pending.append(c)


if __name__ == "__main__":
    sock = listening_socket()
    if mode == "count":
        asyncio.run(counting(sock))
    else:
        threaded(sock)
