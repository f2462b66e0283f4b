#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Which code makes each hypercall of the xenpv backend: boot the xenpv
# kernel as a 1-vCPU domU, record with ftrace kprobes every batch flush
# that issued something and every direct hypercall during each workload's
# window (xenpv-bench -t), and print them per operation, grouped by what
# was issued, the code that queued it and the code that flushed it.  Each
# workload also runs as its null twin, which is subtracted.
#
#   bench/prof/hcalls.sh "fork 0 20" "munmap 1000 10" ...
#
# Output: out/hcalls/rig.log (the raw trace) and out/hcalls/report.txt.
# Needs the xenpv kernel built (make kernels).  Counts entries and
# callers, not time: bench/prof/prof.sh says where the instructions go.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${XENPV_CACHE:-/var/cache/xenpv}
OUT=$TOP/out/hcalls
. "$TOP/bench/prof/guest.sh"
VMLINUX=$CACHE/build/xenpv/vmlinux
[ $# -gt 0 ] || { echo "usage: $0 'WORKLOAD N REPS'..." >&2; exit 2; }
[ -f "$VMLINUX" ] || { echo "hcalls: no $VMLINUX (make kernels)" >&2; exit 1; }
mkdir -p "$OUT"
# Where flush_batch()'s kprobe finds the batch's fields.
offsets=$(gdb -batch \
	-ex 'print (int)&((struct xenpv_batch *)0)->nr_mc' \
	-ex 'print (int)&((struct xenpv_batch *)0)->meta' \
	-ex 'print (int)sizeof(struct xenpv_batch_meta)' \
	-ex 'print (int)&((struct xenpv_batch *)0)->rec_caller' \
	"$VMLINUX" 2>/dev/null | sed -n 's/^\$[0-9]* = //p' | tr '\n' ' ')
[ "$(wc -w <<<"$offsets")" = 4 ] ||
	{ echo "hcalls: struct xenpv_batch not found in $VMLINUX" >&2; exit 1; }
prof_guest_install
install -m 755 "$TOP/bench/prof/hcalls-guest.sh" "$TOP/out/guest/bin/xenpv-hcalls"
# Redis and stress-ng need the rig's tools image.
cmd=$(prof_real_setup "$@")
tools=0
[ -z "$cmd" ] || tools=1
cmd+="xenpv-hcalls $offsets"
for w in "$@"; do cmd+=" '$w' '-n 0 $w'"; done
MODE=run DOM0=stock DOMU=xenpv VCPUS=1 MEMORY=1536 STRESSNG=$tools \
	RIG_ICOUNT=shift=0,sleep=off GCMD_POLL=20 DISKS=none RUN="$cmd" \
	timeout 1800 "$TOP/tests/rig/rig.sh" >"$OUT/rig.log" 2>&1 ||
	{ tail -20 "$OUT/rig.log"; exit 1; }
"$TOP/bench/prof/hcalls.py" "$OUT/rig.log" | tee "$OUT/report.txt"
