#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/run.sh - hypervisor work and latency per memory operation, stock
# Linux against xenpv, side by side (`make bench`).
#
# Why this file exists: it is the one command behind the numbers in
# bench/results/latest.md.  It builds what is missing (the bench programs,
# the guest test binaries, a kernel whose bzImage does not exist yet), boots
# the rig once per domU kernel and pass with a stock dom0 (tests/rig/rig.sh,
# MODE=script, bench/dom0-bench.sh), collects the raw counter rows, and
# writes, under $BENCH_OUT (default bench/results):
#   latest.csv           raw rows: KERNEL,row,WORKLOAD,N,VARIANT,METRIC,VALUE
#   latest-summary.csv   per-operation numbers (bench/report.py summary)
#   latest-vcpus2.csv, latest-vcpus2-summary.csv  the same, 2-vCPU pass
#   latest.md, latest.svg  tables and chart
# The passes: plan.txt on a 1-vCPU domU (memory operations, Redis,
# stress-ng), then plan-vcpus2.txt on a 2-vCPU domU (the operations whose
# TLB flushes may reach another vCPU).  BENCH_PLAN or BENCH_VCPUS makes it
# one pass of that plan on that many vCPUs, written as latest.*.
# A kernel that does not exist or does not boot gets an "n/a" column.
#
# Environment:
#   BENCH_KERNELS   domU kernels, in order (default "stock xenpv")
#   BENCH_BUILD     1: build a missing kernel with scripts/kernel.sh (default 1)
#   BENCH_OUT       output directory (default bench/results)
#   BENCH_PLAN      one pass of this plan instead of the two passes
#   BENCH_VCPUS     the one pass's domU vCPUs (default 1)
#   BENCH_MEMORY    domU MiB (default 1536: Redis holds 1 GiB; the fork
#                   helpers hold REPS x N pages)
#   BENCH_ROUNDS    rounds per workload; the median round is reported (default 5)
#   BENCH_ICOUNT    QEMU -icount setting (default shift=0,sleep=off: the
#                   machine's clock advances 1 ns per instruction, so timer
#                   ticks per operation follow the work, not the host's
#                   speed; see bench/README.md); empty for the host's clock

set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/rig/kernels.sh"
B=$TOP/bench
KERNELS=${BENCH_KERNELS:-stock xenpv}
OUTDIR=${BENCH_OUT:-$B/results}
ICOUNT=${BENCH_ICOUNT-shift=0,sleep=off}
start=$(date +%s)

say() { echo "bench: $*"; }

mkdir -p "$OUTDIR" "$B/build"
nice make -s -C "$B" >/dev/null
nice make -s -C "$TOP/tests/guest" OUT="$TOP/out/guest" >/dev/null
# The domU initramfs takes every file in out/guest/bin (tests/rig/mkroot.sh).
install -m 755 "$B/build/xenpv-bench" "$B/guest/xenpv-real-setup" "$TOP/out/guest/bin/"

files=$(mktemp -d)
trap 'rm -rf "$files"' EXIT
cp "$B/build/xenpv-perfwin" "$files/"
echo "${BENCH_ROUNDS:-5}" >"$files/rounds"

# host_clock: copies the rig's output, adding the host's seconds since the
# rig started to each workload's first line and to the script's end, so
# that the log shows what every row of the plan costs of make bench's time
# (row_host_seconds turns that into info rows).
host_clock() {
	local line s0=$SECONDS

	while IFS= read -r line; do
		case $line in
		'rig: bench '* | 'rig: script exit '*) printf '%s [host %d s]\n' "$line" $((SECONDS - s0)) ;;
		*) printf '%s\n' "$line" ;;
		esac
	done
}

# row_host_seconds LOG: "info,host_s:WORKLOAD N,SECONDS" for every row of
# the plan, from the stamps host_clock put in the rig's log: the host's
# time from one row's start to the next one's (or the script's end).
row_host_seconds() {
	sed -n 's/^rig: \(bench \([^ ]* [^ ]*\) .*\|script exit .*\) \[host \([0-9]*\) s\]$/\2|\3/p' "$1" |
		awk -F'|' 'prev != "" { printf "info,host_s:%s,%d\n", prev, $2 - t } { prev = $1; t = $2 }'
}

# bench_pass PLAN VCPUS RAW: boot the rig once per kernel with PLAN and a
# domU of VCPUS vCPUs, and write the raw rows of all kernels to RAW.
bench_pass() {
	local plan=$1 vcpus=$2 raw=$3 tools=0 k img t0 try rc nrows sx log
	grep -v '^#' "$plan" >"$files/plan"
	# Redis and stress-ng come on the rig's tools image.
	grep -qE '^(redis|sng)-' "$files/plan" && tools=1
	: >"$raw.tmp"
	for k in $KERNELS; do
		img=$(kernel_image "$k")
		log=$B/build/rig-$k-vcpus$vcpus.log
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
			say "$k, $vcpus vCPU(s), $(basename "$plan"): booting the rig (log: ${log#"$TOP"/})"
			rc=0
			nice env MODE=script RIG_SCRIPT="$B/dom0-bench.sh" RIG_FILES="$files" DISKS=none \
				STRESSNG="$tools" RIG_ICOUNT="$ICOUNT" \
				DOM0=stock DOMU="$img" VCPUS="$vcpus" MEMORY="${BENCH_MEMORY:-1536}" \
				RIG_TIMEOUT="${BENCH_RIG_TIMEOUT:-1500}" \
				"$TOP/tests/rig/rig.sh" 2>&1 | host_clock >"$log" || rc=$?
			# A rig that died before the domU was even created (dom0 or
			# QEMU trouble, seen under TCG) says nothing about the
			# kernel: once more.
			grep -q '^rig: step boot:' "$log" && break
			say "$k: the rig failed before creating the domU; $([ "$try" = 1 ] && echo retrying || echo giving up)"
			cp "$log" "${log%.log}.try$try.log"
		done
		grep -E '^(row|info|fail),' "$log" | sed "s/^/$k,/" >>"$raw.tmp" || true
		row_host_seconds "$log" | sed "s/^/$k,/" >>"$raw.tmp"
		nrows=$(grep -c "^$k,row," "$raw.tmp" || true)
		# The dom0 script's own status, as the rig logs it: a script that
		# failed part-way has rows but must not pass as a complete run.
		sx=$(sed -n 's/^rig: script exit \([0-9]*\)\( \[host .*\)\?$/\1/p' "$log" | tail -1)
		if grep -q 'step boot: FAIL' "$log"; then
			say "$k: n/a (did not boot)"
			echo "$k,info,status,n/a (did not boot)" >>"$raw.tmp"
		elif [ "$nrows" = 0 ]; then
			say "$k: n/a (no results; rig status $rc)"
			echo "$k,info,status,n/a (no results; rig status $rc)" >>"$raw.tmp"
		elif [ "$sx" != 0 ]; then
			echo "$k,info,status,partial (some windows failed)" >>"$raw.tmp"
		fi
		grep -E '^fail,' "$log" | sed "s/^/bench: $k: FAILED: /" || true
		echo "$k,info,rig_seconds,$(($(date +%s) - t0))" >>"$raw.tmp"
		echo "$k,info,icount,${ICOUNT:-off}" >>"$raw.tmp"
		echo "$k,info,vcpus,$vcpus" >>"$raw.tmp"
		say "$k: $nrows rows in $(($(date +%s) - t0)) s (script status ${sx:-none})"
	done
	mv "$raw.tmp" "$raw"
	python3 "$B/report.py" summary "$raw" "${raw%.csv}-summary.csv"
}

if [ -n "${BENCH_PLAN:-}${BENCH_VCPUS:-}" ]; then
	bench_pass "${BENCH_PLAN:-$B/plan.txt}" "${BENCH_VCPUS:-1}" "$OUTDIR/latest.csv"
	python3 "$B/report.py" markdown "$OUTDIR/latest-summary.csv" "$OUTDIR/latest.md" "$OUTDIR/latest.svg"
else
	bench_pass "$B/plan.txt" 1 "$OUTDIR/latest.csv"
	bench_pass "$B/plan-vcpus2.txt" 2 "$OUTDIR/latest-vcpus2.csv"
	python3 "$B/report.py" markdown "$OUTDIR/latest-summary.csv" "$OUTDIR/latest.md" "$OUTDIR/latest.svg" \
		"$OUTDIR/latest-vcpus2-summary.csv"
fi
say "wrote $OUTDIR/latest.md ($(($(date +%s) - start)) s in all)"
sed -n '/^\*\*Fork/p' "$OUTDIR/latest.md"
