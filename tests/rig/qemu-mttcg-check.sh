#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Does this host's QEMU run a guest's cross-modified kernel code correctly
# with multi-threaded TCG?  QEMU before 8.1 can keep a translation of an
# int3 that Linux's text_poke_bp() wrote and removed again while another
# vCPU was translating that code (fixed upstream by "accel/tcg: Always lock
# pages before translation"); the guest then dies with "Oops: int3" at a
# static-key site although its memory holds the patched instruction.
# Debian 12's QEMU 7.2 has the bug.  In the rig it hits a suspend: the
# freezer flips the freezer_active key while the other vCPU runs
# get_signal() (soak, 2026-12-05: migration 46).
#
# This boots KERNEL (default: the stock kernel) without Xen on two vCPUs
# and flips the same key (a cgroup-v1 freezer group frozen and thawed)
# while both vCPUs fork, fault and take signals (xenpv-tests stress), for
# SECONDS (default 120), with THREAD=multi (QEMU's default) or single.
# Exit status 0 if the guest survived, 1 if it oopsed.
#
#   tests/rig/qemu-mttcg-check.sh [KERNEL] [SECONDS]

set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/rig/bare.sh"
K=$(kernel_image "${1:-stock}")
SECS=${2:-120}
THREAD=${THREAD:-multi}
[ -f "$K" ] || { echo "qemu-mttcg-check: no kernel $K" >&2; exit 2; }
run=$(mktemp -d)
trap 'rm -rf "$run"' EXIT
bare_initramfs "$K" "$run/base.cpio.gz" >/dev/null
mkdir "$run/ov"
cat >"$run/ov/flip.sh" <<EOS
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp
exec </dev/null >/dev/ttyS0 2>&1
mount -t tmpfs cg /sys/fs/cgroup
mkdir -p /sys/fs/cgroup/freezer
mount -t cgroup -o freezer none /sys/fs/cgroup/freezer
mkdir /sys/fs/cgroup/freezer/f
for i in 1 2 3; do xenpv-tests stress 100000 >/dev/null 2>&1 & done
n=0
end=\$((\$(cut -d. -f1 /proc/uptime) + $SECS))
while [ "\$(cut -d. -f1 /proc/uptime)" -lt \$end ]; do
	echo FROZEN >/sys/fs/cgroup/freezer/f/freezer.state
	echo THAWED >/sys/fs/cgroup/freezer/f/freezer.state
	n=\$((n + 1))
done
echo "flip: \$n freezes survived"
poweroff -f
EOS
chmod +x "$run/ov/flip.sh"
(cd "$run/ov" && find . | cpio -o -H newc 2>/dev/null | gzip) >"$run/ov.cpio.gz"
cat "$run/base.cpio.gz" "$run/ov.cpio.gz" >"$run/root.cpio.gz"
bare_boot "$THREAD" $((SECS + 300)) "$K" "$run/root.cpio.gz" \
	"console=ttyS0 rdinit=/flip.sh panic=-1 quiet" "$run/console.log" || true
log=$(tr -d '\r' <"$run/console.log")
grep -a -E '^flip:|Oops|RIP: 0010' <<<"$log" | head -3 | sed 's/^/qemu-mttcg-check: /'
if grep -aq '^flip: .* survived' <<<"$log" && ! grep -aq Oops <<<"$log"; then
	echo "qemu-mttcg-check: $(qemu-system-x86_64 --version | head -1), thread=$THREAD: ok"
	exit 0
fi
echo "qemu-mttcg-check: $(qemu-system-x86_64 --version | head -1), thread=$THREAD: the guest died"
exit 1
