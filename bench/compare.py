#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""compare.py - do two bench runs agree?  (repeatability acceptance check)

Why this file exists: a hypervisor-entry count is only worth comparing
between kernels if the same kernel gives the same count twice.  This prints,
for every kernel, workload and metric both runs have, the two per-operation
values and their relative difference, and fails (exit 1) if a checked metric
(hypervisor entries, MMU entries, trapped PT writes, page updates) differs by
more than the tolerance (default 5%).  Differences below an
absolute floor (default 0.1 per operation) always pass: a metric that is
0.02 in one run and 0.04 in the other has not changed.

It also prints each kernel's totals over the workloads both runs have: a
metric per operation times the operations in the window, summed (for
time_med_us, the machine time of all the plan's measured operations).

  compare.py A-summary.csv B-summary.csv [--tol 0.05] [--floor 0.1]
             [--metrics entries,mmu_entries,...]
"""
import argparse
import csv
import sys

# The verdict is on these; the per-type hypercall counts are shown too, but
# small ones (a dozen mmuext_op per fork) move with scheduling and are only
# reported.
CHECKED = "entries,mmu_entries,wpt,page_updates"
SHOWN = "hc_multicall,hc_mmu_update,hc_mmuext_op,hc_update_va_mapping,hc_other"


def load(path):
    d = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if r["workload"] in ("info", "fail"):
                continue
            try:
                d[(r["kernel"], r["workload"], r["n"], r["metric"])] = float(r["per_op"])
            except ValueError:
                pass
    return d


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--tol", type=float, default=0.05)
    ap.add_argument("--floor", type=float, default=0.1)
    ap.add_argument("--metrics", default=CHECKED)
    ap.add_argument("--shown", default=SHOWN)
    ap.add_argument("--all", action="store_true", help="also list passing metrics")
    o = ap.parse_args()
    a, b = load(o.a), load(o.b)
    metrics = o.metrics.split(",")
    shown = o.shown.split(",")
    keys = sorted(k for k in set(a) & set(b) if k[3] in metrics + shown)
    if not keys:
        print("compare: no common data")
        return 1
    bad = 0
    worst = {}
    print("%-7s %-9s %-6s %-21s %12s %12s %8s" % ("kernel", "workload", "n", "metric", "run A", "run B", "diff"))
    for k in keys:
        x, y = a[k], b[k]
        m = max(abs(x), abs(y))
        rel = abs(x - y) / m if m else 0.0
        ok = rel <= o.tol or abs(x - y) <= o.floor + 1e-9
        checked = k[3] in metrics
        bad += checked and not ok
        w = (k[0], k[3])
        if abs(x - y) > o.floor + 1e-9:
            worst[w] = max(worst.get(w, 0.0), rel)
        if not ok or o.all or k[3] in ("entries", "mmu_entries"):
            flag = "" if ok else ("  FAIL" if checked else "  (shown only)")
            print("%-7s %-9s %-6s %-21s %12.2f %12.2f %7.1f%%%s" % (k + (x, y, 100 * rel, flag)))
    print()
    for (kern, met), r in sorted(worst.items()):
        print("largest difference %s %-21s %5.1f%%%s" % (kern, met, 100 * r, "" if met in metrics else " (shown only)"))
    print()
    rows = sorted({k[:3] for k in keys})
    for kern in sorted({r[0] for r in rows}):
        for met in metrics:
            tot = [0.0, 0.0]
            for r in rows:
                k, ops = r + (met,), r + ("ops",)
                if r[0] == kern and k in a and k in b and ops in a and ops in b:
                    tot[0] += a[k] * a[ops]
                    tot[1] += b[k] * b[ops]
            m = max(abs(tot[0]), abs(tot[1]))
            if m:
                print("total %-7s %-21s %14.1f %14.1f %7.2f%%" % (
                    kern, met, tot[0], tot[1], 100 * abs(tot[0] - tot[1]) / m))
    nchecked = sum(1 for k in keys if k[3] in metrics)
    print("compare: %d of %d checked values (%s) differ by more than %.0f%% (and more than %g per op)"
          % (bad, nchecked, ",".join(metrics), 100 * o.tol, o.floor))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
