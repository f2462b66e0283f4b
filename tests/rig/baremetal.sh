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
K=${1:-xenpv}
case "$K" in stock | xenpv) K=$TOP/out/$K/bzImage ;; esac
OUT=$TOP/out/rig
TIMEOUT=${BAREMETAL_TIMEOUT:-900}

die() {
	echo "baremetal: FAILED: $*" >&2
	exit 1
}

[ -f "$K" ] || die "no kernel $K (make kernel)"
[ -d "${K%/*}/modules/lib/modules" ] || die "no modules beside $K"
make -s -C "$TOP/tests/guest" OUT="$TOP/out/guest" >/dev/null || die "building tests/guest"
run=$(mktemp -d)
trap 'rm -rf "$run"' EXIT
MODULES=${K%/*}/modules "$HERE/mkroot.sh" domU "$run/root.cpio.gz" "$TOP/out/guest/bin" ||
	die "building the initramfs"
mkdir -p "$OUT/logs"
log=$OUT/logs/baremetal-$(date +%Y%m%d-%H%M%S)-$$.log
echo "baremetal: $K (log: $log)"
timeout "$TIMEOUT" qemu-system-x86_64 -machine q35 -accel tcg -cpu max -smp 2 -m 1024 \
	-display none -vga none -nic none -no-reboot -monitor none \
	-kernel "$K" -initrd "$run/root.cpio.gz" \
	-append "console=ttyS0 rdinit=/init xenpv.baremetal panic=-1" \
	-serial "file:$log" </dev/null >"$log.qemu" 2>&1 || echo "baremetal: QEMU exit status $?"
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
