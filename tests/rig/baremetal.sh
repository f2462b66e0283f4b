#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A Xen kernel is also a bare-metal kernel: distros ship one image for both,
# and with PARAVIRT_XXL every page-table hook the series adds is a pv-op
# whose native default runs there.  Boot KERNEL (stock | xenpv | a bzImage
# path; default xenpv) in QEMU without Xen, with the domU's initramfs in its
# bare-metal mode (domU-init, xenpv.baremetal): it loads modules, runs the
# guest test suite on the serial console and powers off.  Exit status 0
# only if both succeeded and the console has no kernel warning.

set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$TOP/tests/rig
. "$HERE/bare.sh"
K=$(kernel_image "${1:-xenpv}")
OUT=$TOP/out/rig
TIMEOUT=${BAREMETAL_TIMEOUT:-900}

die() {
	echo "baremetal: FAILED: $*" >&2
	exit 1
}

[ -f "$K" ] || die "no kernel $K (make kernel)"
[ -n "$(kernel_modules "$K")" ] || die "no modules for $K"
run=$(mktemp -d)
trap 'rm -rf "$run"' EXIT
bare_initramfs "$K" "$run/root.cpio.gz" || die "building the initramfs"
mkdir -p "$OUT/logs"
# A boot that QEMU's stale int3 killed (stale-int3.sh) is repeated, up to
# three boots in all; every log is kept.
for boot in 1 2 3; do
	log=$OUT/logs/baremetal-$(date +%Y%m%d-%H%M%S)-$$-$boot.log
	echo "baremetal: $K (log: $log)"
	bare_boot multi "$TIMEOUT" "$K" "$run/root.cpio.gz" \
		"console=ttyS0 rdinit=/init xenpv.baremetal panic=-1" "$log" ||
		echo "baremetal: QEMU exit status $?"
	stale_int3 "$log" || break
	[ "$boot" = 3 ] || echo "baremetal: QEMU's stale int3 (multi-threaded TCG) killed the kernel: booting again"
done
clean=$(tr -d '\r' <"$log")
grep -a -E '^(xenpv-guest:|@@|FAIL|[0-9]+ passed)' <<<"$clean" | sed 's/^/baremetal: | /'
splats=$(grep -a -c -E 'WARNING:|BUG:|Oops|Call Trace|Kernel panic' <<<"$clean" || true)
echo "baremetal: kernel warnings on the console: $splats"
if grep -aqx '@@MODULES 0' <<<"$clean" && grep -aqx '@@TESTS 0' <<<"$clean" && [ "$splats" = 0 ]; then
	echo "baremetal: ok"
	exit 0
fi
echo "baremetal: ---- last 40 lines of the console ----"
tail -40 <<<"$clean"
exit 1
