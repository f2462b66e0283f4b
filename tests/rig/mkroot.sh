#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the initramfs images the rig boots:
#   mkroot.sh dom0 OUT.cpio.gz           busybox + the xl toolstack + xenperf
#                                        + what the domU's disks need
#   mkroot.sh domU OUT.cpio.gz [BINDIR [ROOTDIR]]
#                                        busybox + the guest test programs
#                                        (+ ROOTDIR overlaid at /, with the
#                                        libraries its programs need)
#                                        + the kernel modules under $MODULES
#   mkroot.sh extra OUT.cpio.gz DIR      a small archive of DIR, appended to
#                                        dom0's (Linux unpacks concatenated
#                                        cpio archives in order)
#   mkroot.sh tools OUT.img              an ext4 image of Debian's stress-ng
#                                        and redis-server (bench/) with their
#                                        libraries, too big for the domU's
#                                        initramfs: the domU mounts it
#                                        read-only and chroots into it
# Dynamically linked tools are copied together with every library ldd names.
# dom0 loads modules with Debian's kmod (busybox --install leaves its names
# alone).  The domU keeps busybox's static modprobe: the kernel starts
# modprobe as a usermode helper for every request_module() (stress-ng's
# exec stressor makes one per unknown binary format), and a dynamically
# linked kmod under TCG can outlast the 5 s the suspend freezer waits for
# helpers, which refuses the guest's suspend.  MODULES names a directory
# whose lib/modules/ tree goes into the domU's image (dom0 gets its
# kernel's modules through the extra archive instead, one per run).

set -euo pipefail
KIND=${1:?kind}
OUTF=${2:?output}
HERE=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

add_libs() { # copy the libraries a program needs, keeping their paths
	local lib
	for lib in $(ldd "$1" 2>/dev/null | grep -o '/[^ ]*' || true); do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

add_bin() { # copy binaries and the libraries they need, keeping paths
	local f
	for f in "$@"; do
		[ -e "$f" ] || { echo "mkroot: missing $f" >&2; exit 1; }
		mkdir -p "$root$(dirname "$f")"
		cp -L "$f" "$root$f"
		add_libs "$f"
	done
}

base_tree() {
	mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,run,tmp,root,var/tmp,mnt,usr/bin,usr/sbin}
	cp /bin/busybox "$root/bin/busybox"
	for a in sh mount mkdir ln; do ln -sf busybox "$root/bin/$a"; done
}

add_kmod() { # Debian's kmod at the paths the kernel and scripts call it by
	add_bin /bin/kmod
	for a in modprobe depmod insmod rmmod lsmod modinfo; do ln -sf /bin/kmod "$root/sbin/$a"; done
}

case "$KIND" in
dom0)
	base_tree
	add_kmod
	X=/usr/lib/xen-4.17/bin
	add_bin $X/xl $X/xenstored $X/xenconsoled $X/xenconsole $X/xen-init-dom0 $X/xenperf \
		$X/libxl-save-helper /usr/bin/xenstore-read /usr/bin/xenstore-write \
		/usr/bin/xenstore-ls /usr/bin/xenstore-list /usr/bin/xenstore-rm \
		/usr/bin/xenstore-exists /usr/bin/xenstore-chmod /usr/bin/xenstore-watch
	# The domU's disks: libxl's block script is bash and wants util-linux's
	# flock and losetup (their output formats); QEMU serves qdisk disks.
	add_bin /bin/bash /usr/bin/flock /sbin/losetup /usr/libexec/xen-qemu-system-i386
	mkdir -p "$root/usr/share/qemu/keymaps"
	cp /usr/share/qemu/keymaps/en-us "$root/usr/share/qemu/keymaps/"
	# glibc dlopens libgcc_s for pthread_cancel, which xl uses.
	mkdir -p "$root/lib/x86_64-linux-gnu"
	cp -L /lib/x86_64-linux-gnu/libgcc_s.so.1 "$root/lib/x86_64-linux-gnu/"
	# libxl looks for its helpers and scripts at the Debian paths.
	mkdir -p "$root"/etc/xen "$root"/var/lib/xen "$root"/var/log/xen/console \
		"$root"/var/run/xen "$root"/run/xen
	: >"$root/etc/xen/xl.conf"
	cp -a /etc/xen/scripts "$root/etc/xen/"
	cp "$HERE/dom0-init" "$root/init"
	cp "$HERE/recipe.sh" "$root/rig-recipe.sh"
	chmod +x "$root/init" "$root/rig-recipe.sh"
	;;
domU)
	base_tree
	cp "$HERE/domU-init" "$root/init"
	chmod +x "$root/init"
	if [ -n "${MODULES:-}" ]; then
		[ -d "$MODULES/lib/modules" ] || { echo "mkroot: no lib/modules in $MODULES" >&2; exit 1; }
		cp -a "$MODULES/lib" "$root/"
	fi
	if [ -n "${3:-}" ] && [ -d "$3" ]; then
		cp -a "$3"/. "$root/usr/bin/"
	fi
	if [ -n "${4:-}" ] && [ -d "$4" ]; then
		cp -a "$4"/. "$root/"
		while IFS= read -r f; do
			add_libs "$f"
		done < <(find "$4" -type f -perm -u+x)
	fi
	;;
extra)
	cp -a "${3:?dir}"/. "$root/"
	;;
tools)
	# coreutils' chroot switches to an unprivileged user inside: stress-ng's
	# exec stressor refuses to run as root.
	add_bin /usr/bin/stress-ng /usr/sbin/chroot /usr/bin/redis-check-rdb
	# One binary: run as redis-server it is the server.
	ln -s redis-check-rdb "$root/usr/bin/redis-server"
	mkdir -p "$root"/{proc,sys,dev,tmp,etc}
	echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
	echo 'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin' >>"$root/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
	mkdir -p "$(dirname "$OUTF")"
	rm -f "$OUTF.$$.tmp"
	mke2fs -q -t ext4 -L xenpv-tools -d "$root" "$OUTF.$$.tmp" \
		$(($(du -sk "$root" | cut -f1) / 1024 + 16))M || exit 1
	mv "$OUTF.$$.tmp" "$OUTF"
	exit 0
	;;
*)
	echo "mkroot: unknown kind $KIND" >&2
	exit 2
	;;
esac

mkdir -p "$(dirname "$OUTF")"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -1 >"$OUTF.$$.tmp"
mv "$OUTF.$$.tmp" "$OUTF"
