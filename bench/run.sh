#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/run.sh - hypervisor work and latency per memory operation, stock
# Linux against xenpv, side by side (`make bench`).
#
# Why this file exists: it is the one command behind the numbers in
# bench/results/latest.md.  It builds what is missing (the bench programs,
# the guest test binaries, a kernel whose bzImage does not exist yet), boots
# the rig once per domU kernel with a stock dom0 (tests/rig/rig.sh,
# MODE=script, bench/dom0-bench.sh), collects the raw counter rows, and
# writes, under $BENCH_OUT (default bench/results):
#   latest.csv           raw rows: KERNEL,row,WORKLOAD,N,VARIANT,METRIC,VALUE
#   latest-summary.csv   per-operation numbers (bench/report.py summary)
#   latest.md, latest.svg  tables and chart
# A kernel that does not exist or does not boot gets an "n/a" column.
#
# Environment:
#   BENCH_KERNELS   domU kernels, in order (default "stock xenpv")
#   BENCH_BUILD     1: build a missing kernel with scripts/kernel.sh (default 1)
#   BENCH_OUT       output directory (default bench/results)
#   BENCH_PLAN      workload plan (default bench/plan.txt)
#   BENCH_MEMORY    domU MiB (default 1024; the fork helpers hold REPS x N pages)
#   BENCH_ROUNDS    rounds per workload; the median round is reported (default 5)
#   BENCH_ICOUNT    QEMU -icount setting (default shift=0,sleep=off: the
#                   machine's clock advances 1 ns per instruction, so timer
#                   ticks per operation follow the work, not the host's
#                   speed; see bench/README.md); empty for the host's clock

set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=$TOP/bench
KERNELS=${BENCH_KERNELS:-stock xenpv}
OUTDIR=${BENCH_OUT:-$B/results}
PLAN=${BENCH_PLAN:-$B/plan.txt}
ICOUNT=${BENCH_ICOUNT-shift=0,sleep=off}
start=$(date +%s)

say() { echo "bench: $*"; }

mkdir -p "$OUTDIR" "$B/build"
nice make -s -C "$B" >/dev/null
nice make -s -C "$TOP/tests/guest" OUT="$TOP/out/guest" >/dev/null
# The domU initramfs takes every file in out/guest/bin (tests/rig/mkroot.sh).
install -m 755 "$B/build/xenpv-bench" "$TOP/out/guest/bin/xenpv-bench"

files=$(mktemp -d)
trap 'rm -rf "$files"' EXIT
cp "$B/build/xenpv-perfwin" "$files/"
grep -v '^#' "$PLAN" >"$files/plan"
echo "${BENCH_ROUNDS:-5}" >"$files/rounds"

raw=$OUTDIR/latest.csv
: >"$raw.tmp"
for k in $KERNELS; do
	img=$TOP/out/$k/bzImage
	if [ ! -f "$img" ] && [ "${BENCH_BUILD:-1}" = 1 ]; then
		say "building the $k kernel"
		nice "$TOP/scripts/kernel.sh" "$k" >"$B/build/kernel-$k.log" 2>&1 ||
			say "building $k failed (see bench/build/kernel-$k.log)"
	fi
	if [ ! -f "$img" ]; then
		say "$k: n/a (no kernel)"
		echo "$k,info,status,n/a (no kernel)" >>"$raw.tmp"
		continue
	fi
	t0=$(date +%s)
	for try in 1 2; do
		say "$k: booting the rig (log: bench/build/rig-$k.log)"
		rc=0
		nice env MODE=script RIG_SCRIPT="$B/dom0-bench.sh" RIG_FILES="$files" DISKS=none \
			RIG_ICOUNT="$ICOUNT" \
			DOM0=stock DOMU="$img" VCPUS="${BENCH_VCPUS:-1}" MEMORY="${BENCH_MEMORY:-1024}" \
			RIG_TIMEOUT="${BENCH_RIG_TIMEOUT:-1500}" \
			"$TOP/tests/rig/rig.sh" >"$B/build/rig-$k.log" 2>&1 || rc=$?
		# A rig that died before the domU was even created (dom0 or QEMU
		# trouble, seen under TCG) says nothing about the kernel: once more.
		grep -q '^rig: step boot:' "$B/build/rig-$k.log" && break
		say "$k: the rig failed before creating the domU; $([ $try = 1 ] && echo retrying || echo giving up)"
		cp "$B/build/rig-$k.log" "$B/build/rig-$k.try$try.log"
	done
	grep -E '^(row|info|fail),' "$B/build/rig-$k.log" | sed "s/^/$k,/" >>"$raw.tmp" || true
	nrows=$(grep -c "^$k,row," "$raw.tmp" || true)
	# The dom0 script's own status, as the rig logs it: a script that
	# failed part-way has rows but must not pass as a complete run.
	sx=$(sed -n 's/^rig: script exit \([0-9]*\)$/\1/p' "$B/build/rig-$k.log" | tail -1)
	if grep -q 'step boot: FAIL' "$B/build/rig-$k.log"; then
		say "$k: n/a (did not boot)"
		echo "$k,info,status,n/a (did not boot)" >>"$raw.tmp"
	elif [ "$nrows" = 0 ]; then
		say "$k: n/a (no results; rig status $rc)"
		echo "$k,info,status,n/a (no results; rig status $rc)" >>"$raw.tmp"
	elif [ "$sx" != 0 ]; then
		echo "$k,info,status,partial (some windows failed)" >>"$raw.tmp"
	fi
	grep -E '^fail,' "$B/build/rig-$k.log" | sed "s/^/bench: $k: FAILED: /" || true
	echo "$k,info,rig_seconds,$(($(date +%s) - t0))" >>"$raw.tmp"
	echo "$k,info,icount,${ICOUNT:-off}" >>"$raw.tmp"
	echo "$k,info,vcpus,${BENCH_VCPUS:-1}" >>"$raw.tmp"
	say "$k: $nrows rows in $(($(date +%s) - t0)) s (script status ${sx:-none})"
done
mv "$raw.tmp" "$raw"

python3 "$B/report.py" summary "$raw" "$OUTDIR/latest-summary.csv"
python3 "$B/report.py" markdown "$OUTDIR/latest-summary.csv" "$OUTDIR/latest.md" "$OUTDIR/latest.svg"
say "wrote $OUTDIR/latest.md ($(($(date +%s) - start)) s in all)"
sed -n '/^\*\*Fork/p' "$OUTDIR/latest.md"
