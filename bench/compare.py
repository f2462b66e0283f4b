#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""compare.py - do two bench runs agree?  (repeatability acceptance check)

Why this file exists: a hypervisor-entry count is only worth comparing
between kernels if the same kernel gives the same count twice.  This prints,
for every kernel, workload and metric both runs have, the two per-operation
values and their relative difference, and fails (exit 1) if a checked metric
differs by more than the tolerance (default 5%).  Differences below an
absolute floor (default 0.1 per operation) always pass: a metric that is
0.02 in one run and 0.04 in the other has not changed.

  compare.py A-summary.csv B-summary.csv [--tol 0.05] [--floor 0.1]
             [--metrics entries,mmu_entries,...]
"""
import argparse
import csv
import sys

CHECKED = ("entries,mmu_entries,wpt,page_updates,hc_multicall,hc_mmu_update,"
           "hc_mmuext_op,hc_update_va_mapping")


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
    ap.add_argument("--all", action="store_true", help="also list passing metrics")
    o = ap.parse_args()
    a, b = load(o.a), load(o.b)
    metrics = o.metrics.split(",")
    keys = sorted(k for k in set(a) & set(b) if k[3] in metrics)
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
        ok = rel <= o.tol or abs(x - y) <= o.floor
        bad += not ok
        w = (k[0], k[3])
        if ok and abs(x - y) > o.floor:
            worst[w] = max(worst.get(w, 0.0), rel)
        if not ok or o.all or k[3] == "entries":
            print("%-7s %-9s %-6s %-21s %12.2f %12.2f %7.1f%%%s" % (k + (x, y, 100 * rel, "" if ok else "  FAIL")))
    print()
    for (kern, met), r in sorted(worst.items()):
        print("largest difference %s %s: %.1f%%" % (kern, met, 100 * r))
    print("compare: %d of %d checked values differ by more than %.0f%% (and more than %g per op)"
          % (bad, len(keys), 100 * o.tol, o.floor))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
