#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Who makes each hypercall of the xenpv backend, per operation.

Reads the console log of bench/prof/hcalls.sh (ftrace records of every
flush_batch() that issued something and of every direct hypercall, each
with its stack, between "@@HC BEGIN i OPS WORKLOAD" and "@@HC END i") and
prints, for each workload, the hypercalls per operation grouped by what
was issued, the code that queued the first entry and the code that
flushed it.  A workload given as "-n 0 W" is the null twin of W: its
counts are subtracted from W's (for a stress-ng workload the difference
is N-1 bogo operations, as in the bench).
"""
import re
import sys
from collections import Counter

OPS = {1: "mmu_update", 3: "stack_switch", 14: "update_va_mapping",
       26: "mmuext_op", 25: "set_segment_base", 10: "update_descriptor",
       5: "fpu_taskswitch"}
EXT = {0: "pin_l1", 1: "pin_l2", 2: "pin_l3", 3: "pin_l4", 4: "unpin",
       5: "new_baseptr", 6: "tlb_flush_local", 7: "invlpg_local",
       8: "tlb_flush_multi", 9: "invlpg_multi", 10: "tlb_flush_all",
       11: "invlpg_all", 13: "set_ldt", 15: "new_user_baseptr"}
WHY = ["explicit", "issue", "lazy", "full_entries", "full_args",
       "full_records", "full_callbacks"]
# Frames of the batch itself and of the lazy-mode glue: the flusher is
# the first frame past them.
GLUE = re.compile(r"^(flush_batch|xenpv_batch_|xenpv_mc_|xen_mc_|"
                  r"arch_leave_lazy|arch_flush_lazy|xenpv_leave_lazy|"
                  r"xenpv_lazy|xenpv_flush_lazy|paravirt_|xenpv_direct_|"
                  r"xenpv_queue|__xenpv|xenpv_issue|_raw_spin|"
                  r"lazy_mmu|leave_lazy)")


def fn(sym):
    """function name of a symbol+off/len string"""
    return sym.split("+")[0]


def what(f):
    """a short description of entry i of a flush record"""
    op = int(f.get("op", 0))
    name = OPS.get(op, "op%d" % op)
    if op == 26 and f.get("a", "").startswith("0x"):
        name += ":" + EXT.get(int(f["a"], 16) & 0xffffffff, "?")
    return name


def parse(path):
    wins, cur, ev = {}, None, None
    for line in open(path, errors="replace"):
        line = line.rstrip("\r\n")
        m = re.search(r"@@HC BEGIN (\d+) (\d+) (.*)$", line)
        if m:
            cur = {"ops": int(m.group(2)), "events": []}
            wins[m.group(3).strip()] = cur
            continue
        if "@@HC END" in line:
            cur = ev = None
            continue
        if cur is None:
            continue
        if " fb: " in line or " dc: " in line:
            args = dict(re.findall(r"(\w+)=(\S+)", line.split(")", 1)[1]))
            ev = {"kind": "fb" if " fb: " in line else "dc", "args": args,
                  "stack": []}
            cur["events"].append(ev)
        elif line.strip().startswith("=>") and ev is not None:
            ev["stack"].append(line.strip()[2:].strip())
    return wins


def key(ev):
    a = ev["args"]
    flusher = [fn(s) for s in ev["stack"] if not GLUE.match(fn(s))][:3]
    if ev["kind"] == "dc":
        op = OPS.get(int(a["op"]), a["op"])
        return ("direct " + op, fn(a["caller"]), "")
    n = int(a["nr"])
    ents = []
    for i in range(min(n, 4)):
        f = {"op": a.get("op%d" % i, "0"), "a": a.get("a%d" % i, "")}
        c = a.get("c%d" % i, "?")
        if i == 0 and int(f["op"]) in (1, 26):
            c = a.get("rc0", c)
        ents.append("%s<%s" % (what(f), fn(c)))
    kind = ("single" if n == 1 else "multicall[%d]" % n)
    why = WHY[int(a["why"])] if int(a["why"]) < len(WHY) else a["why"]
    return ("%s %s" % (kind, why), " ".join(ents) + (" ..." if n > 4 else ""),
            " < ".join(flusher))


def counts(win):
    return Counter(key(ev) for ev in win["events"])


def main():
    wins = parse(sys.argv[1])
    for w, win in wins.items():
        if w.startswith("-n "):
            continue
        c = counts(win)
        twin = wins.get("-n 0 " + w)
        if twin:
            c.subtract(counts(twin))
        ops = win["ops"]
        if twin and w.startswith("sng-"):
            ops -= 1        # the twin ran one bogo operation
        ops = max(ops, 1)
        total = sum(c.values()) / ops
        print("== %s: %.2f backend hypercalls per operation%s" %
              (w, total, ", null twin subtracted" if twin else ""))
        for k, v in sorted(c.items(), key=lambda kv: -abs(kv[1])):
            if abs(v) / ops < 0.05:
                continue
            print("%7.2f  %-28s %s\n         flushed by %s" %
                  (v / ops, k[0], k[1], k[2] or "-"))
        print()


if __name__ == "__main__":
    main()
