#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""report.py - turn bench/run.sh's raw counter rows into per-operation costs.

Why this file exists: dom0 prints raw counts of a real window and of its null
twin (same harness, operation skipped, same guest-side length); the cost of
one operation is their difference divided by the operations performed.  The
dom0-side windows still differ a little in length (console latency), so the
background rate measured by two idle windows of different lengths corrects
for that: op = (real - null - rate * (T_real - T_null)) / ops.

  report.py summary RAW.csv SUMMARY.csv     per-operation numbers (CSV)
  report.py markdown SUMMARY.csv OUT.md OUT.svg [VCPUS2-SUMMARY.csv]

Only the Python standard library is used.
"""
import csv
import html
import math
import statistics
import sys
from collections import defaultdict

# The workloads in report order: (workload, n) -> label.
LABELS = {
    ("fork", "0"): "fork+exit+wait, 0 touched pages",
    ("fork", "1000"): "fork+exit+wait, 1000 touched pages",
    ("fork", "10000"): "fork+exit+wait, 10000 touched pages",
    ("cow", "1000"): "child's COW write, per page (1000 pages)",
    ("munmap", "1000"): "munmap of 1000 touched pages",
    ("mprotect", "1000"): "mprotect RO or RW, 1000 pages, per call",
    ("mmap", "1000"): "mmap + first touch, per page (1000 pages)",
    ("exec", "0"): "fork+exec+wait of a tiny static binary",
    ("mremap", "1000"): "mremap of 1000 pages, not PMD-aligned",
    ("shell", "10"): "busy sh loop, 10 iterations x 3 processes, per run",
    ("rfault", "1000"): "read fault on a fresh page (zero page), per page",
    ("wpfault", "1000"):
        "write fault on a page a finished child left read-only, per page",
    ("mprotect", "1"): "mprotect RO or RW of one page, per call",
    ("munmap", "1"): "munmap of one touched page",
    ("munmap", "10000"): "munmap of 10000 touched pages",
    ("mprotect", "10000"): "mprotect RO or RW, 10000 pages, per call",
    ("mremap", "10000"): "mremap of 10000 pages, not PMD-aligned",
    ("mremapa", "10000"): "mremap of 10000 pages, both ends PMD-aligned",
}
# The real programs (bench/guest/real.c): Redis per BGSAVE or SET burst,
# stress-ng per bogo operation.  Sizes are MiB of Redis data, or bogo ops.
REAL_LABELS = {
    ("redis-first", "256"): "Redis BGSAVE, first after writing the data, 256 MiB",
    ("redis-save", "256"): "Redis BGSAVE, repeated, 256 MiB",
    ("redis-burst", "256"): "Redis BGSAVE after 20,000 SETs, 256 MiB",
    ("redis-first", "1024"): "Redis BGSAVE, first after writing the data, 1 GiB",
    ("redis-save", "1024"): "Redis BGSAVE, repeated, 1 GiB",
    ("redis-burst", "1024"): "Redis BGSAVE after 20,000 SETs, 1 GiB",
    ("redis-sets", "256"): "Redis: 20,000 SETs, no child, 256 MiB",
    ("redis-sets", "1024"): "Redis: 20,000 SETs, no child, 1 GiB",
    ("redis-cow", "256"): "Redis: 20,000 SETs during a save, extra cost, 256 MiB",
    ("redis-cow", "1024"): "Redis: 20,000 SETs during a save, extra cost, 1 GiB",
}
SNG = ["fork", "vfork", "clone", "exec", "vm", "mmap", "mremap", "mprotect",
       "munmap", "madvise", "brk", "pagemove"]
# Redis's documentation (anchors.md): fork time per GB of RSS.
REDIS_PUBLISHED = "Xen PV 239 (EC2) and 424 (Linode), KVM 23, EC2 HVM 10, physical 9–13"

# anchors.md, "Measured: stock Linux 6.12 on this project's rig":
# (entries, trapped PT writes, target entries).
ANCHORS = {
    ("fork", "0"): (86, 7, 80),
    ("fork", "1000"): (1131, 1010, 90),
    ("fork", "10000"): (10464, 10010, 150),
    ("cow", "1000"): (4.03, 1.0, 2.5),
    ("munmap", "1000"): (1017, 1000, 20),
    ("mprotect", "1000"): (34.5, 0, 5),
    ("mmap", "1000"): (2.04, 0, 2.04),
    ("exec", "0"): (123, 8, 90),
    ("mremap", "1000"): (1053, 1000, 20),
}
ANCHOR_NOTES = """\
The page-table work itself agrees with anchors.md: one trapped PTE write per
touched page when the parent write-protects at fork (1009 and 10010 for 1000
and 10000 pages), one per PTE in munmap and in mremap, about 35 `mmu_update`
calls of ~29 PTEs each per mprotect call, 2 entries per page for mmap + first
touch, ~4 per page for a COW write.  Totals differ where an operation's
cost depends on the process around it or on time:

- fork of 0 pages and fork+exec: our forking process is an 800 KiB static
  binary plus its helper plumbing, so its page tables, the pages it dirties
  again after each fork (its stack, libc data) and the child's own COW
  faults before exit give ~9 trapped writes and ~45 single `mmu_update`s per
  fork; the process anchors.md measured was evidently smaller.
- Everything the tables call "others" (`iret`, `vcpu_op`, `stack_switch`,
  `set_segment_base`, `sched_op`) grows with the faults, system calls and
  context switches of the operation, and with its run time: a busy vCPU
  takes timer ticks (HZ=250; see "guest timer interrupts").  On the host's
  clock QEMU runs the guest 5-10x slower than hardware, more under host
  load, and the ticks per operation follow; with the bench's default
  instruction-counting clock (-icount shift=0) they follow the work done."""
MMU_CALLS = ("multicall", "mmu_update", "mmuext_op", "update_va_mapping")
# Per-operation metrics in table order: (key, label).
METRICS = [
    ("entries", "hypervisor entries (hypercalls + trapped PT writes)"),
    ("entries_min", "  lowest round"),
    ("entries_max", "  highest round"),
    ("mmu_entries", "  of which MMU (multicall, mmu_update, mmuext_op, update_va_mapping, traps)"),
    ("hc_multicall", "hypercalls: multicall"),
    ("hc_mmu_update", "hypercalls: mmu_update"),
    ("hc_mmuext_op", "hypercalls: mmuext_op"),
    ("hc_update_va_mapping", "hypercalls: update_va_mapping"),
    ("hc_other", "hypercalls: others (iret, vcpu_op, stack_switch, ...)"),
    ("page_updates", "page updates (mmu_update entries)"),
    ("mmuext_ops", "mmuext ops"),
    ("wpt", "writable pt emulations (trapped PT writes)"),
    ("page_faults", "page faults seen by Xen"),
    ("proc:timer_irqs", "guest timer interrupts (4 ms ticks while busy)"),
    ("proc:ctxt", "guest context switches"),
    ("time_med_us", "guest time per op, median, stopwatch removed (us)"),
    ("time_min_us", "guest time per op, min (us)"),
    ("time_max_us", "guest time per op, max (us)"),
]
PERF = {
    "hypercalls": "perf:hypercalls",
    "page_updates": "perf:page updates",
    "mmuext_ops": "perf:mmuext ops",
    "wpt": "perf:writable pt emulations",
    "page_faults": "perf:page faults",
}


def load_raw(path):
    """rows[kernel][(workload, n, variant)][metric] = value (str)."""
    rows = defaultdict(lambda: defaultdict(dict))
    info = defaultdict(dict)
    fails = defaultdict(list)
    with open(path, newline="") as f:
        for rec in csv.reader(f):
            if len(rec) < 3:
                continue
            k, kind = rec[0], rec[1]
            if kind == "row" and len(rec) >= 7:
                rows[k][(rec[2], rec[3], rec[4])][rec[5]] = ",".join(rec[6:])
            elif kind == "info" and len(rec) >= 4:
                info[k][rec[2]] = ",".join(rec[3:])
            elif kind == "fail":
                fails[k].append(",".join(rec[2:]))
    return rows, info, fails


def num(d, key):
    try:
        return float(d.get(key, 0) or 0)
    except ValueError:
        return 0.0


def counts(d):
    """The raw counters of one window that the metrics are built from."""
    c = {k: num(d, v) for k, v in PERF.items()}
    for h in MMU_CALLS:
        c["hc_" + h] = num(d, "hcall:" + h)
    c["hc_other"] = c["hypercalls"] - sum(c["hc_" + h] for h in MMU_CALLS)
    c["entries"] = c["hypercalls"] + c["wpt"]
    c["mmu_entries"] = sum(c["hc_" + h] for h in MMU_CALLS) + c["wpt"]
    for key, val in d.items():
        if key.startswith("xenpv:") or key.startswith("proc:"):
            c[key] = num(d, key)
    return c


def per_op(real, null, rate):
    """{metric: per-operation value} of one round (a real window and its twin)."""
    ops = num(real, "guest:ops")
    if ops <= 0:
        return None
    dt = num(real, "dom0:window_ns") - num(null, "dom0:window_ns")
    cr, cn = counts(real), counts(null)
    res = {}
    for m in sorted(set(cr) | set(cn)):
        corr = 0.0 if m.startswith(("xenpv:", "proc:")) else rate.get(m, 0.0) * dt
        res[m] = (cr.get(m, 0) - cn.get(m, 0) - corr) / ops
    res["ops"] = ops
    res["dom0_window_delta_ms"] = dt / 1e6
    # What the workload reported about itself (Redis's keys and RSS).
    for key in real:
        if key.startswith("value:"):
            res[key] = num(real, key)
    return res


def summarize(rows):
    """[(kernel, workload, n, metric, value)] per operation.

    A workload measured in several rounds (variants real.R / null.R) is
    reported by its median round: the round whose hypervisor entries are the
    median, with every metric taken from that same round so the parts still
    add up.  A round that a host hiccup made slow (more timer ticks, a
    kworker) then moves nothing.  The lowest and highest round are kept as
    entries_min and entries_max.
    """
    out = []
    for k, wins in rows.items():
        i1, i2 = wins.get(("idle", "300", "idle")), wins.get(("idle", "2300", "idle"))
        rate = {}
        if i1 and i2:
            dt = num(i2, "dom0:window_ns") - num(i1, "dom0:window_ns")
            c1, c2 = counts(i1), counts(i2)
            if dt > 0:
                rate = {m: max(0.0, (c2[m] - c1.get(m, 0)) / dt) for m in c2}
                out.append((k, "idle", "-", "entries_per_s", rate.get("entries", 0) * 1e9))
        rounds = defaultdict(dict)  # (w, n) -> {round: (real, null)}
        for (w, n, v), real in wins.items():
            base, _, rnd = v.partition(".")
            twin = (w, n, "null" + v[len(base):])
            if base != "real" or twin not in wins:
                continue
            rounds[(w, n)][rnd or "1"] = (real, wins[twin])
        for (w, n), rs in sorted(rounds.items()):
            res = [r for r in (per_op(a, b, rate) for _, (a, b) in sorted(rs.items())) if r]
            if not res:
                continue
            res.sort(key=lambda r: r.get("entries", 0))
            med = res[(len(res) - 1) // 2]
            for m, val in sorted(med.items()):
                out.append((k, w, n, m, val))
            out.append((k, w, n, "rounds", len(res)))
            out.append((k, w, n, "entries_min", res[0].get("entries", 0)))
            out.append((k, w, n, "entries_max", res[-1].get("entries", 0)))
            samples = [float(x) for _, (a, _) in rs.items()
                       for x in a.get("guest:samples_ns", "").split()]
            # The null twin's samples time the stopwatch alone (each clock
            # read is a system call in a PV guest): its median comes off.
            clock = [float(x) for _, (_, b) in rs.items()
                     for x in b.get("guest:samples_ns", "").split()]
            if samples:
                watch = statistics.median(clock) if clock else 0.0
                out.append((k, w, n, "time_med_us",
                            (statistics.median(samples) - watch) / 1e3))
                out.append((k, w, n, "time_clock_us", watch / 1e3))
                out.append((k, w, n, "time_min_us", min(samples) / 1e3))
                out.append((k, w, n, "time_max_us", max(samples) / 1e3))
                out.append((k, w, n, "time_samples", len(samples)))
    return out


def cmd_summary(raw, dst):
    rows, info, fails = load_raw(raw)
    with open(dst, "w", newline="") as f:
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(["kernel", "workload", "n", "metric", "per_op"])
        for k, w, n, m, v in summarize(rows):
            wr.writerow([k, w, n, m, "%.4f" % v])
        for k, d in info.items():
            for key, val in d.items():
                wr.writerow([k, "info", "-", key, val])
        for k, lst in fails.items():
            for x in lst:
                wr.writerow([k, "fail", "-", "fail", x])


def load_summary(path):
    s = defaultdict(dict)
    info = defaultdict(dict)
    fails = defaultdict(list)
    with open(path, newline="") as f:
        for rec in csv.DictReader(f):
            if rec["workload"] == "info":
                info[rec["kernel"]][rec["metric"]] = rec["per_op"]
            elif rec["workload"] == "fail":
                fails[rec["kernel"]].append(rec["per_op"])
            else:
                s[(rec["kernel"], rec["workload"], rec["n"])][rec["metric"]] = float(rec["per_op"])
    return s, info, fails


def fmt(v):
    if v is None:
        return "n/a"
    a = abs(v)
    if a >= 10 and v == int(v):
        return "%d" % v
    if a >= 100:
        return "%.0f" % v
    if a >= 10:
        return "%.1f" % v
    return "%.2f" % v


def ratio(a, b):
    if a is None or b is None:
        return "–"
    if abs(a) < 1e-9:
        return "–"
    return "%.2f" % (b / a)


def svg_chart(s, kernels, path):
    """Horizontal grouped bars, log scale: hypervisor entries per op."""
    labels = {**LABELS, **REAL_LABELS}
    wls = [wn for wn in labels if any((k,) + wn in s for k in kernels)]
    colors = {"stock": "#c0504d", "xenpv": "#4f81bd"}
    vals = [s[(k,) + wn]["entries"] for wn in wls for k in kernels
            if (k,) + wn in s and s[(k,) + wn].get("entries", 0) > 0]
    if not vals:
        vals = [1]
    lo = 10 ** math.floor(math.log10(min(min(vals), 1)))
    hi = 10 ** math.ceil(math.log10(max(vals)))
    if hi <= lo:
        hi = lo * 10
    left, width, bar, gap = 330, 520, 12, 10
    height = 60 + len(wls) * (bar * len(kernels) + gap) + 40

    def x(v):
        v = max(v, lo)
        return left + width * (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="sans-serif" font-size="11">' % (left + width + 90, height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="10" y="20" font-size="14" font-weight="bold">Hypervisor entries per '
           'operation (hypercalls + trapped PT writes; log scale)</text>']
    d = lo
    while d <= hi * 1.0001:
        out.append('<line x1="%.1f" y1="40" x2="%.1f" y2="%d" stroke="#ddd"/>' % (x(d), x(d), height - 35))
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (x(d), height - 22, "%g" % d))
        d *= 10
    y = 45
    for wn in wls:
        out.append('<text x="%d" y="%d" text-anchor="end">%s</text>' %
                   (left - 8, y + bar * len(kernels) / 2 + 4, html.escape(labels[wn])))
        for k in kernels:
            e = s.get((k,) + wn, {}).get("entries")
            if e is not None and e > 0:
                out.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>' %
                           (left, y, x(e) - left, bar - 2, colors.get(k, "#888")))
                out.append('<text x="%.1f" y="%d">%s</text>' % (x(e) + 4, y + bar - 3, fmt(e)))
            else:
                out.append('<text x="%d" y="%d" fill="#888">%s: n/a</text>' % (left + 4, y + bar - 3, k))
            y += bar
        y += gap
    lx = left
    for k in kernels:
        out.append('<rect x="%d" y="%d" width="12" height="10" fill="%s"/>' % (lx, height - 14, colors.get(k, "#888")))
        out.append('<text x="%d" y="%d">%s</text>' % (lx + 16, height - 5, k))
        lx += 90
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def clock_of(info):
    """How the rig's machine clock ran, as the markdown header states it."""
    ic = {i.get("icount", "off") for i in info.values()} or {"off"}
    if ic == {"off"}:
        return "the host's (times and timer ticks follow the host's speed)"
    return ("QEMU -icount %s (1 ns of guest time per instruction when shift=0: times "
            "and timer ticks count work, not the host's speed)" % "/".join(sorted(ic)))


def vcpus2_table(path, kernels):
    """Markdown lines: the 2-vCPU pass, entries and time beside each other."""
    s, info, fails = load_summary(path)

    def g(k, wn, m):
        return s.get((k,) + wn, {}).get(m)

    L = ["## Two vCPUs: the operations that may flush another vCPU's TLB", "",
         "A 2-vCPU domU, %s rounds per workload (`plan-vcpus2.txt`); status: %s." % (
             "/".join(sorted({str(int(v["rounds"])) for v in s.values() if "rounds" in v})) or "?",
             ", ".join("%s %s" % (k, info.get(k, {}).get("status", "ok")) for k in kernels)), ""]
    for k in kernels:
        for x in fails.get(k, []):
            L.append("- %s: FAILED %s" % (k, x))
    L += ["| operation | stock entries | xenpv entries | xenpv/stock | stock us | xenpv us "
          "| xenpv/stock | mmuext ops (pins, flushes) stock | xenpv |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for wn, lab in LABELS.items():
        if not any((k,) + wn in s for k in kernels):
            continue
        a, b = g("stock", wn, "entries"), g("xenpv", wn, "entries")
        ta, tb = g("stock", wn, "time_med_us"), g("xenpv", wn, "time_med_us")
        L.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            lab, fmt(a), fmt(b), ratio(a, b), fmt(ta), fmt(tb), ratio(ta, tb),
            fmt(g("stock", wn, "mmuext_ops")), fmt(g("xenpv", wn, "mmuext_ops"))))
    return L + [""] + real_tables(s, kernels, "two vCPUs")


def cmd_markdown(summary, md, svg, vcpus2=None):
    s, info, fails = load_summary(summary)
    kernels = ["stock", "xenpv"]

    def status(k):
        st = info.get(k, {}).get("status")
        if st:
            return st
        if not any(key[0] == k for key in s):
            return "n/a (no data)"
        return "ok"

    def g(k, wn, m):
        return s.get((k,) + wn, {}).get(m)

    L = ["# xenpv bench: hypervisor work per memory operation", ""]
    L.append("Generated by `bench/run.sh` (`make bench`) from `%s`. Xen 4.17 perf counters, "
             "%s-vCPU PV domU under QEMU TCG, stock dom0, machine clock: %s. Per operation = "
             "(real window − null twin − idle rate × window-length difference) / operations; "
             "each workload is measured in %s rounds and reported by its median round; see "
             "bench/README.md."
             % (summary.split("/")[-1],
                "/".join(sorted({i.get("vcpus", "1") for i in info.values()})) or "1",
                clock_of(info),
                "/".join(sorted({str(int(v["rounds"])) for v in s.values() if "rounds" in v})) or "?"))
    L.append("")
    for k in kernels:
        i = info.get(k, {})
        L.append("- **%s**: %s; domU kernel %s; xenpv debugfs: %s; dom0 script %s s of machine time; "
                 "failed windows: %s" % (k, status(k), i.get("domu_kernel", "?"),
                                         i.get("xenpv_debugfs", "") or "none",
                                         i.get("bench_seconds", "?"), i.get("failed_windows", "?")))
    for k in kernels:
        for x in fails.get(k, []):
            L.append("  - %s: FAILED %s" % (k, x))
    idle = {k: s.get((k, "idle", "-"), {}).get("entries_per_s") for k in kernels}
    L.append("- idle background (subtracted): %s entries/s" %
             ", ".join("%s %s" % (k, fmt(v)) for k, v in idle.items() if v is not None))
    L.append("")
    f1000 = [g(k, ("fork", "1000"), "entries") for k in kernels]
    st = "Fork of a 1000-page process (fork+exit+wait): stock Linux %s hypervisor entries" % fmt(f1000[0])
    if f1000[1] is not None and f1000[0]:
        st += ", xenpv %s (%.1f× fewer)." % (fmt(f1000[1]), f1000[0] / f1000[1] if f1000[1] > 0 else float("inf"))
    else:
        st += ", xenpv %s." % status("xenpv")
    L += ["**%s**" % st, "", "![hypervisor entries per operation](latest.svg)", ""]
    L += ["## Headline: hypervisor entries and machine time per operation", "",
          "| operation | stock | xenpv | xenpv/stock | stock us | xenpv us | xenpv/stock "
          "| stock in anchors.md | target |",
          "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for wn, lab in LABELS.items():
        a, b = g("stock", wn, "entries"), g("xenpv", wn, "entries")
        ta, tb = g("stock", wn, "time_med_us"), g("xenpv", wn, "time_med_us")
        an = ANCHORS.get(wn)
        L.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            lab, fmt(a), fmt(b) if b is not None else status("xenpv"), ratio(a, b),
            fmt(ta), fmt(tb), ratio(ta, tb),
            fmt(an[0]) if an else "–", ("≤ " + fmt(an[2])) if an else "–"))
    L.append("")
    L += ["## Stock against anchors.md's measured table", "",
          "| operation | entries | anchors | trapped PT writes | anchors | MMU entries | "
          "others (iret, timer, ...) | guest timer irqs |",
          "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for wn, lab in LABELS.items():
        an = ANCHORS.get(wn)
        if not an or ("stock",) + wn not in s:
            continue
        L.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            lab, fmt(g("stock", wn, "entries")), fmt(an[0]), fmt(g("stock", wn, "wpt")),
            fmt(an[1]), fmt(g("stock", wn, "mmu_entries")), fmt(g("stock", wn, "hc_other")),
            fmt(g("stock", wn, "proc:timer_irqs"))))
    L += ["", ANCHOR_NOTES, ""]
    L += real_tables(s, kernels)
    if vcpus2:
        L += vcpus2_table(vcpus2, kernels)
    sng = [(wn, "stress-ng %s, per bogo op" % wn[0][4:]) for wn in sng_rows(s)]
    for wn, lab in list(LABELS.items()) + list(REAL_LABELS.items()) + sng:
        if not any((k,) + wn in s for k in kernels):
            continue
        ops = g("stock", wn, "ops") or g("xenpv", wn, "ops")
        L += ["## %s" % lab, "", "Operations per window: %s." % fmt(ops), "",
              "| per operation | stock | xenpv | xenpv/stock |", "|---|---:|---:|---:|"]
        for m, ml in METRICS:
            a, b = g("stock", wn, m), g("xenpv", wn, m)
            if a is None and b is None:
                continue
            L.append("| %s | %s | %s | %s |" % (ml, fmt(a), fmt(b), ratio(a, b)))
        # Backend counters that stayed (near) zero in this workload say
        # nothing; the full set is in latest.csv.
        xk = sorted({m for k in kernels for m in s.get((k,) + wn, {}) if m.startswith("xenpv:")})
        for m in xk:
            if all(abs(g(k, wn, m) or 0) < 0.005 for k in kernels):
                continue
            L.append("| backend counter %s | %s | %s | |" % (m[6:], fmt(g("stock", wn, m)), fmt(g("xenpv", wn, m))))
        L.append("")
    passes = [("1 vCPU" if not vcpus2 else "plan.txt, 1 vCPU", info)]
    if vcpus2:
        passes.append(("plan-vcpus2.txt, 2 vCPUs", load_summary(vcpus2)[1]))
    L += host_time(passes, kernels)
    with open(md, "w") as f:
        f.write("\n".join(L) + "\n")
    svg_chart(s, kernels, svg)


def host_time(passes, kernels):
    """Markdown lines: the host's seconds per plan row, largest first.

    run.sh records them (info rows host_s:WORKLOAD N) so that the rows to
    trim can be read off when make bench outgrows its 30 minutes.
    """
    L = ["## What make bench spent of the host's time", "",
         "Host seconds from each plan row's start to the next row's (its "
         "rounds, set-up and null twins); the rest of a pass's rig time is "
         "the boot and the tools' set-up.  `make bench` must stay under 30 "
         "minutes.", "",
         "| pass | kernel | rig s | rows s | the largest rows, host s |",
         "|---|---|---:|---:|---|"]
    for name, info in passes:
        for k in kernels:
            rows = sorted(((int(v), key[7:]) for key, v in info.get(k, {}).items()
                           if key.startswith("host_s:") and v.isdigit()), reverse=True)
            if not rows:
                continue
            L.append("| %s | %s | %s | %d | %s |" % (
                name, k, info[k].get("rig_seconds", "?"), sum(t for t, _ in rows),
                ", ".join("%s %d" % (w, t) for t, w in rows[:8])))
    return L + [""] if len(L) > 6 else []


def sng_rows(s):
    """The stress-ng workloads of a summary, (workload, n), in SNG's order."""
    return sorted({(key[1], key[2]) for key in s if key[1].startswith("sng-")},
                  key=lambda wn: (SNG.index(wn[0][4:]) if wn[0][4:] in SNG else len(SNG), wn))


def real_tables(s, kernels, vcpus="one vCPU"):
    """Markdown lines: Redis's fork per GB and stress-ng per bogo op."""
    def g(k, wn, m):
        return s.get((k,) + wn, {}).get(m)

    L = []
    rows = [wn for wn in REAL_LABELS if any((k,) + wn in s for k in kernels)]
    if rows:
        L += ["## Real workloads: Redis (redis-server 7.0, %s)" % vcpus, "",
              "Hypervisor entries per BGSAVE (fork, the child's exit, Redis "
              "reaping it) or per burst of 20,000 SETs, and machine time: "
              "Redis's own fork time (`latest_fork_usec`), or the burst's "
              "time (for SETs during a save, its time beyond the same burst "
              "with no child).  Redis's documentation gives fork ms per GB of "
              "RSS: %s." % REDIS_PUBLISHED, "",
              "| workload | RSS MiB | stock entries | xenpv entries | xenpv/stock "
              "| stock ms | xenpv ms | xenpv/stock | stock ms/GB | xenpv ms/GB "
              "| stock entries/GB | xenpv entries/GB |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for wn in rows:
            rss = g("stock", wn, "value:rss_bytes") or g("xenpv", wn, "value:rss_bytes")
            t = [g(k, wn, "time_med_us") for k in kernels]
            t = [x / 1e3 if x is not None else None for x in t]
            a, b = g("stock", wn, "entries"), g("xenpv", wn, "entries")
            per_gb = e_gb = ["–"] * 2
            if wn[0] in ("redis-first", "redis-save", "redis-burst") and rss:
                per_gb = [fmt(x * (1 << 30) / rss) if x is not None else "–" for x in t]
                e_gb = [fmt(x * (1 << 30) / rss) if x is not None else "–" for x in (a, b)]
            L.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                REAL_LABELS[wn], fmt(rss / (1 << 20)) if rss else "–", fmt(a), fmt(b),
                ratio(a, b), fmt(t[0]), fmt(t[1]), ratio(t[0], t[1]), per_gb[0], per_gb[1],
                e_gb[0], e_gb[1]))
        L.append("")
    sng = sng_rows(s)
    if sng:
        L += ["## Real workloads: stress-ng, per bogo operation, %s" % vcpus, "",
              "One instance of each stressor (Debian's stress-ng 0.15, as an "
              "unprivileged user) for N bogo operations; its null twin runs it "
              "for one, so start-up cancels.", "",
              "| stressor | N | stock entries | xenpv entries | xenpv/stock "
              "| stock us | xenpv us | xenpv/stock |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for wn in sng:
            a, b = g("stock", wn, "entries"), g("xenpv", wn, "entries")
            ta, tb = g("stock", wn, "time_med_us"), g("xenpv", wn, "time_med_us")
            L.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
                wn[0][4:], wn[1], fmt(a), fmt(b), ratio(a, b), fmt(ta), fmt(tb), ratio(ta, tb)))
        L.append("")
    return L


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "summary":
        cmd_summary(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 5 and sys.argv[1] == "markdown":
        cmd_markdown(*sys.argv[2:6])
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()
