#!/usr/bin/env python3
"""Turns bench/run's raw results into the Markdown report (docs/benchmarks.md).

    report.py RESULTS.tsv META.env > report.md

RESULTS.tsv rows (tab-separated): section, tool, run, value, status[, extra...]
  unix|tcp|pipe   TOOL RUN SECONDS ok|FAIL:why          one timed transfer of `bytes` bytes
  check-unix|check-tcp TOOL 0 SECONDS FAIL:why         a failed untimed check (only failures)
  rss_listener_unix / rss_client_unix  TOOL RUN KiB ok  peak RSS (/usr/bin/time -f %M)
  uuid            GEN RUN SECONDS ok|FAIL N             N UUIDs written to /dev/null
  slow_rss        listener|client 0 KiB ok              one VmRSS sample (every 0.5 s)
  slow_cpu        listener|client 0 SECONDS ok          CPU (user + system) at the last sample
  slow_bytes      reader 0 GOT ok|why WANT SECONDS      the slow consumer's byte count
META.env: key=value lines (machine, versions, parameters).
"""
import statistics
import sys

LABELS = {
    "ipcat": "ipcat",
    "ipcat-copy": "ipcat, IPCAT_COPY=1 (read/write path)",
    "nc.openbsd": "nc.openbsd",
    "socat": "socat (default, 8 KiB buffer)",
    "socat-b1M": "socat -b 1048576",
    "ncat": "ncat",
    "splice-limit": "splice limit (bench/splice_limit.c)",
    "ipcat-v7": "ipcat --uuid=v7",
    "ipcat-v1": "ipcat --uuid=v1 (libuuid)",
    "ipcat-v3": "ipcat --uuid=v3 (libuuid, MD5, `--name 'host-%n'`)",
    "ipcat-v5": "ipcat --uuid=v5 (libuuid, SHA-1, `--name 'host-%n'`)",
    "libuuid": "libuuid loop (bench/uuid_libuuid.c)",
    "uuidgen-loop": "uuidgen loop (a process per UUID)",
}
STREAM_TOOLS = ["ipcat", "ipcat-copy", "nc.openbsd", "socat", "socat-b1M", "ncat", "splice-limit"]
PIPE_TOOLS = ["ipcat", "nc.openbsd", "socat", "ncat"]
UUID_TOOLS = ["ipcat", "ipcat-v7", "ipcat-v1", "ipcat-v3", "ipcat-v5", "libuuid", "uuidgen-loop"]


def load(results_path, meta_path):
    rows = []
    with open(results_path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line:
                rows.append(line.split("\t"))
    meta = {}
    with open(meta_path) as f:
        for line in f:
            line = line.rstrip("\n")
            if "=" in line:
                k, v = line.split("=", 1)
                meta[k] = v
    return rows, meta


def fnum(x, digits=0):
    return f"{x:,.{digits}f}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def fratio(r):
    if r is None:
        return "—"
    if r >= 100:
        return f"{r:,.0f}×"
    if r < 0.1:
        return f"{r:.2g}×"
    return f"{r:.2f}×"


class Runs:
    """Per-tool runs of one section: values (higher is better) and failures, in run order."""

    def __init__(self):
        self.cells = []  # formatted, in run order
        self.values = []

    def add(self, value, text):
        self.cells.append(text)
        if value is not None:
            self.values.append(value)

    @property
    def median(self):
        return statistics.median(self.values) if self.values else None


def throughput(rows, section, nbytes):
    out = {}
    for r in rows:
        if r[0] != section:
            continue
        runs = out.setdefault(r[1], Runs())
        if r[4] == "ok":
            mbs = nbytes / float(r[3]) / 1e6
            runs.add(mbs, fnum(mbs))
        else:
            runs.add(None, "FAIL")
    return out


def failures(rows, sections):
    return [r for r in rows if r[0] in sections and r[4] != "ok" and r[4] != ""]


def stream_table(runs, tools, with_splice=True):
    nc = runs.get("nc.openbsd")
    so = runs.get("socat")
    sl = runs.get("splice-limit")
    head = "| tool | MB/s (median) | runs (MB/s) | × nc.openbsd | × socat default |"
    sep = "|---|---:|---|---:|---:|"
    if with_splice:
        head += " × splice limit |"
        sep += "---:|"
    lines = [head, sep]
    for t in tools:
        r = runs.get(t)
        if r is None:
            continue
        m = r.median
        cells = [
            f"**{LABELS[t]}**" if t == "ipcat" else LABELS[t],
            fnum(m) if m is not None else "FAIL",
            ", ".join(r.cells),
            fratio(ratio(m, nc.median if nc else None)),
            fratio(ratio(m, so.median if so else None)),
        ]
        if with_splice:
            cells.append(fratio(ratio(m, sl.median if sl else None)))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdict(ok):
    if ok is None:
        return "MISSED (no data)"
    return "MET" if ok else "MISSED"


def main():
    rows, meta = load(sys.argv[1], sys.argv[2])
    nbytes = int(meta["bytes"])
    unix = throughput(rows, "unix", nbytes)
    tcp = throughput(rows, "tcp", nbytes)
    pipe = throughput(rows, "pipe", nbytes)

    # UUIDs per second.
    uuid = {}
    for r in rows:
        if r[0] != "uuid":
            continue
        runs = uuid.setdefault(r[1], Runs())
        if r[4] == "ok":
            rate = int(r[5]) / float(r[3])
            runs.add(rate, fnum(rate))
        else:
            runs.add(None, "FAIL")

    # Peak RSS during part 1 (KiB), max over runs, per side.
    peak = {}
    for r in rows:
        for side in ("listener", "client"):
            if r[0] == f"rss_{side}_unix" and r[3].isdigit():
                d = peak.setdefault(r[1], {})
                d[side] = max(d.get(side, 0), int(r[3]))

    # The slow consumer.
    slow = {"listener": [], "client": []}
    for r in rows:
        if r[0] == "slow_rss" and r[3].isdigit():
            slow[r[1]].append(int(r[3]))
    slow_bytes = next((r for r in rows if r[0] == "slow_bytes"), None)

    def med(d, t):
        return d[t].median if t in d else None

    out = []
    w = out.append
    w("# ipcat benchmarks")
    w("")
    w(f"Generated by `bench/run` on {meta['date']} (took {meta.get('duration', '?')} s). "
      "Regenerate with the same command on a quiet machine before quoting numbers.")
    w("")
    w(f"Command: `{meta['command']}`")
    w("")
    w("## Machine")
    w("")
    w(f"- CPU: {meta['cpu']}, {meta['nproc']} cores (`nproc`)")
    w(f"- Memory: {meta['mem']}")
    w(f"- Kernel: {meta['kernel']}; Debian {meta['debian']}; "
      f"`/proc/sys/fs/pipe-max-size` {meta['pipe_max']}")
    w(f"- Load average (1, 5, 15 min) at the start of the measurements: {meta['loadavg_start']}; "
      f"at the end: {meta['loadavg_end']}. Other work on the machine shows up as noise.")
    w("")
    w("## Tools")
    w("")
    w(f"- ipcat: `{meta['v_ipcat']}`, {meta['v_ipcat_build']}, commit {meta['v_git']}")
    w(f"- socat: `{meta['v_socat'].strip()}`")
    w(f"- nc.openbsd: `{meta['v_nc']}`")
    w(f"- ncat: `{meta['v_ncat']}`")
    w(f"- uuidgen: `{meta['v_uuidgen']}`")
    w(f"- helpers compiled with `gcc -O2`: `{meta['v_gcc']}`")
    w("")
    w("## Parameters")
    w("")
    w(f"- Transfer size (parts 1–3, 5): {meta['size']} = {int(meta['bytes']):,} bytes of random "
      f"data on {meta['data_where']}")
    w(f"- Runs per tool: {meta['runs']}, alternated round by round (round 1: every tool once, "
      "round 2: every tool again, ...); the median is reported")
    w(f"- UUIDs per run: ipcat v4 and v7 {int(meta['uuids']):,}; ipcat v1, v3, v5 and the "
      f"libuuid loop {int(meta['libuuid_count']):,}; uuidgen loop {int(meta['uuidgen_count']):,}")
    w(f"- Slow consumer (part 6): {meta['slow_size']} = {int(meta['slow_bytes']):,} bytes")
    w(f"- Every process bounded by `timeout {meta['timeout']}` (part 6 by its own longer bound)")
    w("- MB/s = bytes / seconds / 10⁶, the time from starting the client until both the client "
      "and the listener have exited (the listener exits once it has written everything)")
    w("")

    # Targets.
    ip_u, nc_u, so_u, sl_u = med(unix, "ipcat"), med(unix, "nc.openbsd"), med(unix, "socat"), med(
        unix, "splice-limit")
    ip_t, nc_t = med(tcp, "ipcat"), med(tcp, "nc.openbsd")
    ip_p, nc_p = med(pipe, "ipcat"), med(pipe, "nc.openbsd")
    ip_g, ug_g = med(uuid, "ipcat"), med(uuid, "uuidgen-loop")
    ip_rss = None
    if "ipcat" in peak and peak["ipcat"]:
        ip_rss = max(peak["ipcat"].values())

    def tgt(r, want):
        return None if r is None else r >= want

    slow_flat = None
    slow_desc = "no data"
    if slow_bytes is not None and slow["listener"] and slow["client"]:
        grow = {s: max(v) - statistics.median(v) for s, v in slow.items()}
        arrived = slow_bytes[4] == "ok" and slow_bytes[3] == slow_bytes[5]
        slow_flat = arrived and all(g <= 1024 for g in grow.values())
        slow_desc = (f"max − median VmRSS: listener {grow['listener']:,.0f} KiB, client "
                     f"{grow['client']:,.0f} KiB; {int(slow_bytes[3]):,} of {int(slow_bytes[5]):,} "
                     "bytes arrived")
    elif slow_bytes is not None:
        slow_flat = False
        slow_desc = f"failed: {slow_bytes[4]}"

    targets = [
        ("Unix stream → /dev/null ≥ 2.5× nc.openbsd", fratio(ratio(ip_u, nc_u)),
         tgt(ratio(ip_u, nc_u), 2.5)),
        ("Unix stream → /dev/null ≥ 4× socat default", fratio(ratio(ip_u, so_u)),
         tgt(ratio(ip_u, so_u), 4)),
        ("Unix stream → /dev/null ≥ ½ the splice limit", fratio(ratio(ip_u, sl_u)),
         tgt(ratio(ip_u, sl_u), 0.5)),
        ("TCP loopback ≥ 2× nc.openbsd", fratio(ratio(ip_t, nc_t)), tgt(ratio(ip_t, nc_t), 2)),
        ("Unix stream → pipe ≥ 1.2× nc.openbsd", fratio(ratio(ip_p, nc_p)),
         tgt(ratio(ip_p, nc_p), 1.2)),
        ("UUIDs ≥ 10 million/s", "—" if ip_g is None else f"{ip_g / 1e6:.1f} million/s",
         tgt(ip_g, 10e6)),
        ("UUIDs ≥ 10,000× the uuidgen loop", fratio(ratio(ip_g, ug_g)),
         tgt(ratio(ip_g, ug_g), 10000)),
        ("ipcat peak RSS ≤ 8 MiB (both sides, part 1)",
         "—" if ip_rss is None else f"{ip_rss / 1024:.1f} MiB", None if ip_rss is None else ip_rss <= 8192),
        ("flat RSS under a slow consumer (max ≤ median + 1 MiB, every byte delivered)", slow_desc,
         slow_flat),
    ]
    w("## Targets")
    w("")
    w("| target | measured | |")
    w("|---|---|---|")
    for name, got, ok in targets:
        w(f"| {name} | {got} | **{verdict(ok)}** |")
    w("")

    w("## 1. Unix stream socket → /dev/null")
    w("")
    w("Client `tool < FILE` on a tmpfs file, listener `tool > /dev/null`. ipcat: `ipcat -lU s` / "
      "`ipcat -U s` (sendfile in, splice through a private pipe out); nc.openbsd: `-lU s` / "
      "`-N -U s`; socat: `-u UNIX-LISTEN:s -` / `-u - UNIX-CONNECT:s`; ncat: `-lU s` / "
      "`--send-only -U s`; the splice limit: `splice_limit listen s` / `splice_limit send s FILE`.")
    w("")
    w(stream_table(unix, STREAM_TOOLS))
    w("")
    w("## 2. TCP loopback (127.0.0.1) → /dev/null")
    w("")
    w("The same tools and data over TCP: `ipcat -l 127.0.0.1 0` (port printed by `-v`) / "
      "`ipcat 127.0.0.1 PORT`; the others on a free port.")
    w("")
    w(stream_table(tcp, STREAM_TOOLS))
    w("")
    w("## 3. Unix stream socket → pipe")
    w("")
    w("The realistic shell pipeline: listener `tool ... | cat > /dev/null`, same clients as part 1.")
    w("")
    w(stream_table(pipe, PIPE_TOOLS, with_splice=False))
    w("")

    w("## 4. UUIDs per second (to /dev/null)")
    w("")
    w("`ipcat --uuid=VERSION --count N > /dev/null` (v4 and v7: ipcat's bulk generator; v1, v3 "
      "and v5: libuuid, one UUID at a time); the libuuid loop (`uuid_generate_random` + "
      "`uuid_unparse_lower` + `fwrite` per UUID); `for i in $(seq N); do uuidgen; done > /dev/null`.")
    w("")
    w("| generator | UUIDs/s (median) | runs (UUIDs/s) | × uuidgen loop | × libuuid loop |")
    w("|---|---:|---|---:|---:|")
    lib = med(uuid, "libuuid")
    for t in UUID_TOOLS:
        if t not in uuid:
            continue
        m = uuid[t].median
        name = "**ipcat --uuid** (v4)" if t == "ipcat" else LABELS[t]
        w(f"| {name} | {fnum(m) if m is not None else 'FAIL'} | {', '.join(uuid[t].cells)} | "
          f"{fratio(ratio(m, ug_g))} | {fratio(ratio(m, lib))} |")
    w("")

    w("## 5. Peak RSS during the Unix transfer (part 1)")
    w("")
    w("`/usr/bin/time -f %M` around each side, the maximum over all runs, in KiB (MiB).")
    w("")
    w("| tool | listener | client | max |")
    w("|---|---:|---:|---:|")
    for t in STREAM_TOOLS:
        if t not in peak:
            continue
        d = peak[t]
        lst, cli = d.get("listener"), d.get("client")
        mx = max(v for v in (lst, cli) if v is not None)

        def kib(v):
            return "—" if v is None else f"{v:,} ({v / 1024:.1f})"

        name = f"**{LABELS[t]}**" if t == "ipcat" else LABELS[t]
        w(f"| {name} | {kib(lst)} | {kib(cli)} | {kib(mx)} |")
    w("")

    w("## 6. Slow consumer")
    w("")
    w("`ipcat -lU s | python3 bench/slow_reader.py` (64 KiB every 10 ms, at most ~6.5 MB/s), "
      "`ipcat -U s < FILE`; VmRSS of both ipcat processes from `/proc/PID/status` every 0.5 s.")
    w("")
    cpu = {r[1]: float(r[3]) for r in rows if r[0] == "slow_cpu"}
    if slow["listener"] or slow["client"]:
        w("| ipcat process | samples | min KiB | median KiB | max KiB | CPU s (user + sys) |")
        w("|---|---:|---:|---:|---:|---:|")
        for s in ("listener", "client"):
            v = slow[s]
            if v:
                c = f"{cpu[s]:.2f}" if s in cpu else "—"
                w(f"| {s} | {len(v)} | {min(v):,} | {statistics.median(v):,.0f} | {max(v):,} | {c} |")
        w("")
        w("CPU is read from `/proc/PID/stat` at the last sample (up to 0.5 s before the end); a "
          "relay that waits for its slow reader should use almost none of it.")
        w("")
    if slow_bytes is not None:
        got, want, secs = int(slow_bytes[3]), int(slow_bytes[5]), float(slow_bytes[6])
        rate = f", {want / secs / 1e6:.1f} MB/s" if secs > 0 else ""
        status = "every byte arrived" if slow_bytes[4] == "ok" and got == want else \
            f"FAILED: {slow_bytes[4]}"
        w(f"The reader counted {got:,} of {want:,} bytes in {secs:.1f} s{rate}: {status}.")
        w("")

    fails = failures(rows, {"check-unix", "check-tcp", "unix", "tcp", "pipe", "uuid"})
    checks_failed = meta.get("check_failed", "").split()
    w("## Checks")
    w("")
    w("Before timing, every tool moved the whole file once over Unix and TCP with the listener's "
      "output counted (`| wc -c`; the splice limit counts itself; ipcat also into /dev/null, counted by its own `--stats`), and every generator's output "
      "was checked to be well-formed v4 UUIDs, one per line; every timed run had to exit with "
      "status 0 on both sides.")
    w("")
    if not fails and not checks_failed:
        w("All checks and runs passed.")
    else:
        for r in fails:
            w(f"- {r[0]} {r[1]} run {r[2]}: {r[4]}")
        for c in checks_failed:
            if c.startswith("uuid/"):
                w(f"- {c[5:]}: its output was not N well-formed v4 UUIDs, one per line")
    w("")
    w("## How to read this")
    w("")
    w("Each row is one tool; *runs* are the individual measurements in the order taken, the "
      "median is the figure compared. The × columns divide a tool's median by the median of "
      "nc.openbsd, of socat with its default buffer, and of `bench/splice_limit.c` (the simplest "
      "zero-copy program for the same transfer: sendfile in, splice through a 1 MiB pipe out, "
      "blocking calls, no event loop). ipcat can beat it: a blocking call returns as soon as a "
      "little buffer space or data is there, so the helper switches context several times more "
      "often than a relay that waits for readiness and then moves what has gathered. A spread between runs larger than the gaps between tools means the machine "
      "was busy: rerun before drawing conclusions.")
    print("\n".join(out))


if __name__ == "__main__":
    main()
