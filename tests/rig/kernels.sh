# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by every script that boots one of the project's kernels (rig.sh,
# bare.sh and its users, bench/run.sh): where a kernel given by name lives
# and where its modules are.  Needs TOP, the repository's top.

# kernel_image NAME: the bzImage of a variant scripts/kernel.sh built
# (stock | xenpv | debug, in out/NAME/), or NAME itself, taken as a path
# (the packaged kernel in out/deb/root/boot, say).
kernel_image() {
	case "$1" in
	stock | xenpv | debug) echo "$TOP/out/$1/bzImage" ;;
	*) echo "$1" ;;
	esac
}

# kernel_modules IMAGE: the directory that holds IMAGE's lib/modules/
# (modules/ beside a built variant's image, the unpacked root above a
# packaged kernel's boot/), or nothing if there is none.
kernel_modules() {
	local d=${1%/*}/modules
	[ -d "$d/lib/modules" ] || d=${1%/*}/..
	[ -d "$d/lib/modules" ] && (cd "$d" && pwd)
	return 0
}
