#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Where the machine time of one operation goes, stock against xenpv: boot
# each kernel once as a 1-vCPU domU with QEMU's instruction clock and the
# insnprof plugin, run each workload of the plan with profile markers, and
# print per-function instruction counts per operation, xenpv minus stock.
# A stress-ng workload ("sng-NAME N REPS") also gets its null twin (the
# same run of one bogo operation, xenpv-bench -n), whose window is
# subtracted as the bench does: the counts are then the marginal cost of
# one operation, start-up apart.
#
#   bench/prof/prof.sh "mmap 1000 20" "fork 0 100" ...
#
# Output goes to out/prof/ (raw windows, and report.txt).  Needs the two
# kernels built (make kernels).  The plugin is built against the header of
# the QEMU that runs it, taken from Debian's qemu source package once.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${XENPV_CACHE:-/var/cache/xenpv}
OUT=$TOP/out/prof
. "$TOP/bench/prof/guest.sh"
HDR=$CACHE/qemu/include
# scripts/deps.sh keeps the symbols of the hypervisor it builds: with them
# Xen's own functions are named too.
xenargs=()
[ -f "$CACHE/xen/xen-syms" ] && xenargs=(--xen "$CACHE/xen/xen-syms")
[ $# -gt 0 ] || { echo "usage: $0 'WORKLOAD N REPS'..." >&2; exit 2; }
if [ ! -f "$HDR/qemu-plugin.h" ]; then
	ver=$(dpkg-query -W -f '${source:Version}' qemu-system-x86)
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get source -qq --download-only "qemu=$ver" >/dev/null 2>&1 &&
		tar xJf qemu_*.orig.tar.xz --wildcards '*/include/qemu/qemu-plugin.h') ||
		{ echo "prof: could not fetch QEMU $ver's plugin header" >&2; exit 1; }
	mkdir -p "$HDR"
	cp "$tmp"/*/include/qemu/qemu-plugin.h "$HDR/"
	rm -rf "$tmp"
fi
mkdir -p "$OUT"
gcc -O2 -Wall -Wextra -Werror -shared -fPIC -I"$HDR" \
	-o "$OUT/insnprof.so" "$TOP/bench/prof/insnprof.c"
prof_guest_install

# The windows: the workloads asked for, then the null twin of each
# stress-ng one (its window's number in twin[]).
runs=("$@")
declare -A twin=()
for w in "$@"; do
	case "$w" in
	sng-*)
		runs+=("-n 0 $w")
		twin[$w]=${#runs[@]}
		;;
	esac
done
# Redis and stress-ng need the rig's tools image (1 GiB of Redis data also
# needs the bench's larger domU, which every run here gets).
cmd=$(prof_real_setup "$@")
tools=0
[ -z "$cmd" ] || tools=1
# Each run's "ops N" line (the operations in its window) reaches the log.
for w in "${runs[@]}"; do cmd+="xenpv-bench -m $w | grep '^ops '; "; done
for k in stock xenpv; do
	rm -f "$OUT/$k".*
	MODE=run DOM0=stock DOMU=$k VCPUS=1 MEMORY=1536 STRESSNG=$tools \
		RIG_ICOUNT=shift=0,sleep=off GCMD_POLL=20 DISKS=none \
		RIG_QEMU_EXTRA="-plugin $OUT/insnprof.so,out=$OUT/$k" RUN="$cmd" \
		timeout 1800 "$TOP/tests/rig/rig.sh" >"$OUT/rig-$k.log" 2>&1 ||
		{ tail -20 "$OUT/rig-$k.log"; exit 1; }
done
ops_of() { # ops_of WINDOW: the operations in window WINDOW
	tr -d '\r' <"$OUT/rig-xenpv.log" | grep -a '^ops ' | sed -n "${1}s/^ops //p"
}
i=0
for w in "$@"; do
	i=$((i + 1))
	ops=$(ops_of "$i")
	[ -n "$ops" ] || { echo "prof: no operation count for '$w'" >&2; exit 1; }
	twinargs=()
	what="instructions per operation"
	if [ -n "${twin[$w]:-}" ]; then
		t=${twin[$w]}
		twinargs=(--twin "$OUT/stock.$t" --twin "$OUT/xenpv.$t")
		what="instructions per operation, its null twin subtracted"
	fi
	echo "== $w: $what, A = stock, B = xenpv"
	"$TOP/bench/prof/profile.py" --ops "$ops" --top 40 "${xenargs[@]}" "${twinargs[@]}" \
		"$OUT/stock.$i" "$CACHE/build/stock/vmlinux" \
		"$OUT/xenpv.$i" "$CACHE/build/xenpv/vmlinux"
	echo
done | tee "$OUT/report.txt"
