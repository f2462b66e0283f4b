#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Per-function instruction counts from insnprof.c windows, and the
difference between two kernels on the same workload.

    profile.py [--ops N] [--xen XEN_SYMS] [--twin A1.prof [--twin B1.prof]]
               A.prof VMLINUX_A [B.prof VMLINUX_B]

Each block's instructions go to the guest-kernel function it starts in
(found with nm in that kernel's vmlinux), to the Xen function (with
--xen, the xen-syms of the hypervisor that ran; "[xen]" without), or to
"[user]".  Xen's functions are shown as "xen:NAME".  With one profile: the top functions per operation.  With two: the
functions whose counts differ most, B minus A, per operation.  With
--twin each profile has the window of its null twin subtracted (the same
stress-ng run for one bogo operation, so that start-up cancels as in the
bench).
"""
import argparse
import bisect
import collections
import subprocess

XEN_LO, XEN_HI = 0xffff82d040000000, 0xffff82d0c0000000


def symbols(vmlinux):
    out = subprocess.run(['nm', '-n', vmlinux], capture_output=True,
                         text=True, check=True).stdout
    addrs, names = [], []
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in 'tTwW':
            addrs.append(int(f[0], 16))
            names.append(f[2])
    return addrs, names


XEN_SYMS = None


def load(prof, vmlinux):
    addrs, names = symbols(vmlinux)
    per = collections.Counter()
    for line in open(prof):
        va, n, execs = line.split()
        va, insns = int(va, 16), int(n) * int(execs)
        if va < 1 << 47:
            per['[user]'] += insns
        elif XEN_LO <= va < XEN_HI:
            if XEN_SYMS:
                i = bisect.bisect_right(XEN_SYMS[0], va) - 1
                per['xen:' + XEN_SYMS[1][i]] += insns
            else:
                per['[xen]'] += insns
        else:
            i = bisect.bisect_right(addrs, va) - 1
            per[names[i] if i >= 0 else '[kernel?]'] += insns
    return per


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--ops', type=float, default=1.0,
                    help='operations in the window (figures are per op)')
    ap.add_argument('--top', type=int, default=40)
    ap.add_argument('--xen', help="the hypervisor's xen-syms")
    ap.add_argument('--twin', action='append', default=[],
                    help='a profile to subtract; once per kernel, in order')
    ap.add_argument('files', nargs='+')
    a = ap.parse_args()
    global XEN_SYMS
    if a.xen:
        XEN_SYMS = symbols(a.xen)
    if a.twin and len(a.twin) != len(a.files) // 2:
        ap.error('--twin needs one profile per kernel')

    def prof(k):
        per = load(*a.files[2 * k:2 * k + 2])
        if a.twin:
            per.subtract(load(a.twin[k], a.files[2 * k + 1]))
        return per

    if len(a.files) == 2:
        per = prof(0)
        total = sum(per.values())
        print(f'total {total / a.ops:12.1f} insns/op')
        for name, v in per.most_common(a.top):
            print(f'{v / a.ops:12.1f} {100 * v / total:5.1f}%  {name}')
        return
    pa, pb = prof(0), prof(1)
    ta, tb = sum(pa.values()), sum(pb.values())
    print(f'total A {ta / a.ops:10.1f}  B {tb / a.ops:10.1f}  '
          f'B-A {(tb - ta) / a.ops:+10.1f} insns/op ({tb / ta:.4f}x)')
    xa = sum(v for k, v in pa.items() if k.startswith(('xen:', '[xen]')))
    xb = sum(v for k, v in pb.items() if k.startswith(('xen:', '[xen]')))
    print(f'  [user]   A {pa["[user]"] / a.ops:10.1f}  B {pb["[user]"] / a.ops:10.1f}')
    print(f'  [xen]    A {xa / a.ops:10.1f}  B {xb / a.ops:10.1f}')
    ka, kb = ta - pa['[user]'] - xa, tb - pb['[user]'] - xb
    print(f'  [guest]  A {ka / a.ops:10.1f}  B {kb / a.ops:10.1f}')
    diff = {k: pb[k] - pa[k] for k in set(pa) | set(pb)}
    for name in sorted(diff, key=lambda k: -abs(diff[k]))[:a.top]:
        print(f'{diff[name] / a.ops:+10.1f}  A {pa[name] / a.ops:9.1f}  '
              f'B {pb[name] / a.ops:9.1f}  {name}')


if __name__ == '__main__':
    main()
