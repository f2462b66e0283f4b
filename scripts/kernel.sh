#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a Linux 6.12 kernel with the stock or the xenpv PV MMU backend.
#
# The kernel tree lives at a fixed path outside the checkout so ccache hits
# and incremental builds survive fresh clones (CI builds from a new clone
# every time).  It is extracted from Debian's linux-source-6.12 tarball (or
# copied from LINUX_SRC), patched with patches/linux-6.12/, and the
# project's own directories are synced into it with content checksums, so
# an unchanged file keeps its mtime and is not rebuilt.
#
# Usage: scripts/kernel.sh stock|xenpv   build out/VARIANT/{bzImage,vmlinux,config}
#        scripts/kernel.sh prepare       only extract and patch the tree

set -euo pipefail

V=${1:?usage: kernel.sh stock|xenpv|prepare}
case "$V" in stock | xenpv | prepare) ;; *) echo "kernel.sh: unknown variant '$V'" >&2; exit 2 ;; esac

TOP=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${XENPV_CACHE:-/var/cache/xenpv}
KSRC=$CACHE/linux
KOUT=$CACHE/build/$V
OUT=$TOP/out/$V
TARBALL=${LINUX_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
JOBS=${JOBS:-$(nproc)}
export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
export CCACHE_BASEDIR=$CACHE

fail() {
	echo "kernel.sh[$V]: FAILED: $*" >&2
	exit 1
}
say() { echo "kernel.sh[$V]: $*"; }

hash_of() { cat "$@" 2>/dev/null | sha1sum | cut -c1-16; }

# One kernel.sh at a time per cache: they share the tree.
mkdir -p "$CACHE"
exec 9>"$CACHE/kernel.lock"
flock 9 || fail "cannot lock $CACHE/kernel.lock"

# 1. The patched tree.  Re-extract only when the source or the patches change.
if [ -n "${LINUX_SRC:-}" ]; then
	[ -f "$LINUX_SRC/Makefile" ] || fail "LINUX_SRC=$LINUX_SRC is not a kernel tree"
	src_id="dir:$(cd "$LINUX_SRC" && pwd)"
else
	[ -f "$TARBALL" ] || fail "no $TARBALL (run scripts/deps.sh)"
	src_id="tar:$TARBALL:$(stat -c %s:%Y "$TARBALL")"
fi
want="$src_id $(hash_of "$TOP"/patches/linux-6.12/*.patch)"
if [ "$(cat "$KSRC/.xenpv-stamp" 2>/dev/null)" != "$want" ]; then
	say "preparing $KSRC"
	rm -rf "$KSRC" "$CACHE/build"
	mkdir -p "$KSRC"
	if [ -n "${LINUX_SRC:-}" ]; then
		rsync -a --exclude=.git "$LINUX_SRC"/ "$KSRC"/ || fail "copy $LINUX_SRC"
	else
		tar xf "$TARBALL" -C "$KSRC" --strip-components=1 || fail "extract $TARBALL"
	fi
	for p in "$TOP"/patches/linux-6.12/*.patch; do
		patch -d "$KSRC" -p1 -s --no-backup-if-mismatch <"$p" ||
			fail "patch $(basename "$p") does not apply"
	done
	echo "$want" >"$KSRC/.xenpv-stamp"
fi

[ "$V" = prepare ] && exit 0

# 2. Our directories, as they are in the checkout; each must exist.
sync_dir() { # $1 = project dir, $2 = tree dir, rest = rsync options
	local from=$1 to=$2
	shift 2
	[ -d "$TOP/$from" ] || fail "no $from in the checkout"
	mkdir -p "$KSRC/$to"
	rsync -rc --delete --exclude='*.o' --exclude='.*.cmd' "$@" \
		"$TOP/$from"/ "$KSRC/$to"/ || fail "sync $from"
}
sync_dir arch/x86/xenpv arch/x86/xenpv --exclude=/mm/ --exclude=/drv/
sync_dir mm arch/x86/xenpv/mm
sync_dir drivers/xen arch/x86/xenpv/drv
sync_dir include/xen/xenpv include/xen/xenpv

# 3. The config: defconfig + the kernel's xen fragments + ours.
frags=("$KSRC/arch/x86/configs/x86_64_defconfig" "$KSRC/kernel/configs/xen.config"
	"$KSRC/arch/x86/configs/xen.config" "$TOP/configs/base.config" "$TOP/configs/$V.config")
cfg_want=$(hash_of "${frags[@]}")
mkdir -p "$KOUT" "$OUT"
if [ "$(cat "$KOUT/.xenpv-cfg" 2>/dev/null)" != "$cfg_want" ] || [ ! -f "$KOUT/.config" ]; then
	say "configuring"
	(cd "$KSRC" && scripts/kconfig/merge_config.sh -m -O "$KOUT" "${frags[@]}" \
		>"$KOUT/merge.log" 2>&1) || fail "merge_config (log: $KOUT/merge.log)"
	make -s -C "$KSRC" O="$KOUT" olddefconfig >>"$KOUT/merge.log" 2>&1 ||
		fail "olddefconfig (log: $KOUT/merge.log)"
	# Every option our fragments ask for must have stuck.
	bad=0
	for f in "$TOP/configs/base.config" "$TOP/configs/$V.config"; do
		while IFS= read -r line; do
			case "$line" in
			CONFIG_*=n) sym=${line%%=*}
				grep -q "^$sym=" "$KOUT/.config" && { echo "  $sym: wanted n, got $(grep "^$sym=" "$KOUT/.config")"; bad=1; } ;;
			CONFIG_*=*) grep -qx "$line" "$KOUT/.config" || { echo "  wanted $line, got: $(grep -E "^(# )?${line%%=*}[= ]" "$KOUT/.config" || echo unset)"; bad=1; } ;;
			"# CONFIG_"*" is not set") sym=${line#\# }; sym=${sym%% *}
				grep -q "^$sym=" "$KOUT/.config" && { echo "  $sym: wanted unset"; bad=1; } ;;
			esac
		done <"$f"
	done
	[ $bad = 0 ] || fail "config options did not stick (see above)"
	echo "$cfg_want" >"$KOUT/.xenpv-cfg"
fi

# 4. Build.
say "building (log: $KOUT/build.log)"
start=$(date +%s)
if ! nice make -C "$KSRC" O="$KOUT" -j"$JOBS" CC="ccache gcc" bzImage \
	>"$KOUT/build.log" 2>&1; then
	grep -E 'error|Error|undefined' "$KOUT/build.log" | head -40 >&2
	tail -20 "$KOUT/build.log" >&2
	fail "kernel build (log: $KOUT/build.log)"
fi
cp "$KOUT/arch/x86/boot/bzImage" "$OUT/bzImage.tmp" && mv "$OUT/bzImage.tmp" "$OUT/bzImage"
cp "$KOUT/vmlinux" "$OUT/vmlinux.tmp" && mv "$OUT/vmlinux.tmp" "$OUT/vmlinux"
cp "$KOUT/.config" "$OUT/config"
say "ok: $OUT/bzImage ($(($(date +%s) - start)) s)"
