"""Start many clients at once and wait for them, with a bound.

    python3 clients.py N INPUT OUTDIR SECONDS COMMAND...

Starts N copies of COMMAND together, each with its stdin the file INPUT, its stdout /dev/null
and its stderr OUTDIR/I.err (I from 0); once all are started it writes OUTDIR/started. Waits
for all of them, at most SECONDS from the first start; any still running then is killed
(SIGKILL). Writes OUTDIR/status, one line per client,
"I STATUS" (STATUS the exit status, "sigN" for a signal, "hang" for one that had to be killed),
and prints the wall time from the first start until the last exit, in seconds.
"""
import os
import subprocess
import sys
import time

n, infile, outdir, bound = int(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4])
command = sys.argv[5:]
procs = []
start = time.monotonic()
for i in range(n):
    with open(infile, "rb") as stdin, open(os.path.join(outdir, f"{i}.err"), "wb") as err:
        try:
            procs.append(subprocess.Popen(command, stdin=stdin, stdout=subprocess.DEVNULL,
                                          stderr=err, close_fds=True))
        except OSError as e:
            err.write(f"clients.py: could not start: {e}\n".encode())
            procs.append(None)
with open(os.path.join(outdir, "started"), "w") as f:
    f.write(f"{time.monotonic() - start:.3f}\n")
status = {}
while len(status) < n:
    for i, p in enumerate(procs):
        if i in status:
            continue
        if p is None:
            status[i] = "nostart"
        elif p.poll() is not None:
            status[i] = str(p.returncode) if p.returncode >= 0 else f"sig{-p.returncode}"
    if len(status) < n:
        if time.monotonic() - start > bound:
            for i, p in enumerate(procs):
                if i not in status:
                    p.kill()
                    p.wait()
                    status[i] = "hang"
            break
        time.sleep(0.02)
elapsed = time.monotonic() - start
with open(os.path.join(outdir, "status.tmp"), "w") as f:
    for i in range(n):
        f.write(f"{i} {status[i]}\n")
os.rename(os.path.join(outdir, "status.tmp"), os.path.join(outdir, "status"))
print(f"{elapsed:.3f}")
