#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check-ltp LTP=/path/to/ltp`: run the curated LTP memory-management
# list (tests/guest/ltp/mm-tests.txt) inside a PV domU on the rig, once per
# kernel of LTP_KERNELS (default "stock xenpv"), and show the kernels side
# by side.
#
# Why this file exists: LTP is the widest external check of the memory
# paths the backend sits under, and its library expects a fuller system
# than the rig's busybox domU.  This stages, into the domU's initramfs
# under /opt/ltp, the tests the list names (from an LTP tree installed as
# LTP's INSTALL describes: runtest/, testcases/bin/), with the shared
# libraries they need, plus what LTP's library looks for:
#   - /etc/passwd and /etc/group with the nobody user and its group;
#   - the running kernel's config, named by KCONFIG_PATH (tst_kconfig);
#   - libgcc_s.so.1, which glibc loads at run time for pthread_exit and
#     thread cancellation (an ldd walk does not find it);
#   - mkfs.ext2/3/4 (e2fsprogs) and a 320 MiB scratch disk, /dev/xvda,
#     named in LTP_DEV for the tests that need a block device.
# The busybox-only runner run-ltp.sh runs the list with a per-test timeout.
# A test of the list that the install lacks fails the run: every line must
# end PASS, or TCONF (skipped) for a feature the kernel or the guest lacks.
# Output: each kernel's "N passed, N failed, N skipped", then the tests
# whose result differs between the kernels; per-kernel logs in out/ltp/.
# Exit 0 if every kernel ran with 0 failed and the same number passed.

set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/rig/kernels.sh"
LTP=${LTP:?set LTP=/path/to/an/installed/ltp}
LIST=$TOP/tests/guest/ltp/mm-tests.txt
KERNELS=${LTP_KERNELS:-stock xenpv}
OUT=$TOP/out/ltp
[ -d "$LTP/testcases/bin" ] || { echo "ltp: $LTP/testcases/bin not found" >&2; exit 2; }
mkdir -p "$OUT"

# The list's commands that the install lacks (a command line with shell
# syntax names its binary after the last ';').
missing=
while read -r cmd; do
	[ -e "$LTP/testcases/bin/$cmd" ] || missing="$missing $cmd"
done < <(grep -v -E '^\s*(#|$)' "$LIST" | sed -E 's/^[^[:space:]]+[[:space:]]+//; s/.*; *//' |
	awk '{ print $1 }' | sort -u)
[ -z "$missing" ] || echo "ltp: not in $LTP/testcases/bin:$missing"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
dst=$stage/opt/ltp/testcases/bin
mkdir -p "$dst" "$stage/etc" "$stage/boot" "$stage/sbin" "$stage/lib/x86_64-linux-gnu"
# All of testcases/bin: the list's tests start helpers (execve_child,
# dirtyc0w_child, mmstress_dummy, ...) by name.
cp -a "$LTP"/testcases/bin/. "$dst/"
[ -d "$LTP/testcases/data" ] && cp -a "$LTP/testcases/data" "$stage/opt/ltp/testcases/"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
	>"$stage/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\nnobody:x:65534:\n' >"$stage/etc/group"
cp -L /lib/x86_64-linux-gnu/libgcc_s.so.1 "$stage/lib/x86_64-linux-gnu/"
cp -L /sbin/mke2fs "$stage/sbin/"
for fs in ext2 ext3 ext4; do ln -sf mke2fs "$stage/sbin/mkfs.$fs"; done
echo "ltp: $(find "$dst" -maxdepth 1 -type f | wc -l) files, $(du -sh "$stage" | cut -f1) staged from $LTP"

# run_kernel KERNEL: one rig run of the list on KERNEL (a variant's name
# or a bzImage's path); its result lines go to out/ltp/NAME.txt, NAME the
# last part of KERNEL.
run_kernel() {
	local k=${1##*/} img rel cfg
	img=$(kernel_image "$1")
	cfg=${img%/*}/config
	: >"$OUT/$k.txt"
	if [ ! -f "$img" ] || [ ! -f "$cfg" ]; then
		echo "ltp: $k: no kernel and config at ${img%/*}/"
		return
	fi
	rel=$(ls "$(kernel_modules "$img")/lib/modules")
	rm -f "$stage"/boot/config-*
	cp "$cfg" "$stage/boot/config-$rel"
	echo "ltp: $k (kernel $rel): running the list (log: ${OUT#"$TOP"/}/$k.log)"
	MODE=run DOMU="$1" DOMU_ROOT=$stage MEMORY=${MEMORY:-512} DISKS=phy DISK_MIB=320 \
		RUN_TIMEOUT=${RUN_TIMEOUT:-5400} RIG_TIMEOUT=${RIG_TIMEOUT:-6000} \
		RUN="LTPROOT=/opt/ltp LTP_DEV=/dev/xvda KCONFIG_PATH=/boot/config-$rel LTP_TIMEOUT_MUL=${LTP_TIMEOUT_MUL:-10} PATH=/opt/ltp/testcases/bin:/sbin:\$PATH run-ltp.sh -t ${LTP_TEST_TIMEOUT:-900} /opt/ltp /usr/bin/mm-tests.txt" \
		"$TOP/tests/rig/rig.sh" >"$OUT/$k.log" 2>&1 || true
	grep -E '^(PASS|FAIL|SKIP) |^[0-9]+ passed, ' "$OUT/$k.log" >"$OUT/$k.txt" || true
}

names=
for k in $KERNELS; do
	run_kernel "$k"
	names="$names ${k##*/}"
done

rc=0
[ -z "$missing" ] || rc=1
declare -A passed
for k in $names; do
	sum=$(grep -E '^[0-9]+ passed, ' "$OUT/$k.txt" | tail -1 || true)
	echo "ltp: $k: ${sum:-did not finish (see ${OUT#"$TOP"/}/$k.log)}"
	passed[$k]=${sum%% *}
	case $sum in *' passed, 0 failed, '*) ;; *) rc=1 ;; esac
done
# Result per test, without the seconds it took, for the comparison.
for k in $names; do
	sed -E -n 's/^(PASS|FAIL|SKIP) ([^ :]+).*/\2 \1/p' "$OUT/$k.txt" | sort >"$OUT/$k.result"
done
# shellcheck disable=SC2086 # a list of names
set -- $names
if [ $# -ge 2 ]; then
	if [ "${passed[$1]:-x}" != "${passed[$2]:-y}" ]; then
		rc=1
	fi
	echo "ltp: tests whose result differs between $1 and $2:"
	join -a1 -a2 -e none -o 0,1.2,2.2 "$OUT/$1.result" "$OUT/$2.result" |
		awk '$2 != $3 { print "  " $0; n++ } END { if (!n) print "  none" }'
fi
exit $rc
