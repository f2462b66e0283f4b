# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by the scripts that boot a kernel in QEMU without Xen
# (baremetal.sh, qemu-mttcg-check.sh): the domU's initramfs built for a
# kernel, and the QEMU machine they share (q35, two CPUs, 1 GiB, serial
# console only).  Needs TOP, the repository's top; brings kernels.sh's
# kernel_image and kernel_modules and stale-int3.sh's stale_int3.

. "$TOP/tests/rig/kernels.sh"
. "$TOP/tests/rig/stale-int3.sh"

# bare_initramfs KERNEL FILE: the domU's initramfs, with KERNEL's modules
# and the guest test programs.
bare_initramfs() {
	make -s -C "$TOP/tests/guest" OUT="$TOP/out/guest" >/dev/null &&
		MODULES=$(kernel_modules "$1") "$TOP/tests/rig/mkroot.sh" domU "$2" "$TOP/out/guest/bin"
}

# bare_boot THREAD SECONDS KERNEL INITRD CMDLINE LOG: boot KERNEL with
# TCG_THREAD=multi or single, for at most SECONDS; the serial console goes
# to LOG, QEMU's own output to LOG.qemu.  Returns QEMU's exit status
# (124: timed out).
bare_boot() {
	timeout "$2" qemu-system-x86_64 -machine q35 -accel "tcg,thread=$1" -cpu max \
		-smp 2 -m 1024 -display none -vga none -nic none -no-reboot -monitor none \
		-kernel "$3" -initrd "$4" -append "$5" -serial "file:$6" </dev/null >"$6.qemu" 2>&1
}
