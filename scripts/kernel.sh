#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a Linux 6.12 kernel with the stock or the xenpv PV MMU backend.
#
# Both kernels are built from the xenpv patch series (scripts/series.sh,
# the same patches `make export` writes for users), applied to Debian's
# linux-source-6.12; they differ only in the Kconfig choice of backend.
# The kernel tree lives at a fixed path outside the checkout so ccache hits
# and incremental builds survive fresh clones (CI builds from a new clone
# every time).  Only the files the series changes are copied into it, with
# content checksums, so an unchanged file keeps its mtime and is not
# rebuilt.
#
# Usage: scripts/kernel.sh stock|xenpv|debug
#                                        build out/VARIANT/{bzImage,vmlinux,config,
#                                        modules/}; debug is xenpv with the
#                                        kernel's checkers (configs/debug.config)
#        scripts/kernel.sh prepare       only bring the tree up to date

set -euo pipefail

V=${1:?usage: kernel.sh stock|xenpv|debug|prepare}
case "$V" in stock | xenpv | debug | prepare) ;; *) echo "kernel.sh: unknown variant '$V'" >&2; exit 2 ;; esac

TOP=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${XENPV_CACHE:-/var/cache/xenpv}
KSRC=$CACHE/linux
KOUT=$CACHE/build/$V
OUT=$TOP/out/$V
JOBS=${JOBS:-$(nproc)}
. "$TOP/scripts/ccache-env.sh"

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

# 1. The tree: pristine Linux plus the series.  series.sh commits the series
# in $GIT; the files it touches, now or in the tree's previous state, are
# copied from there (or removed, where the series no longer has them).
GIT=$CACHE/linux-git
"$TOP/scripts/series.sh" >/dev/null || fail "the patch series (scripts/series.sh)"
base=$(git -C "$GIT" rev-parse xenpv-base)
if [ "$(cat "$KSRC/.xenpv-base" 2>/dev/null)" != "$base" ]; then
	say "preparing $KSRC"
	rm -rf "$KSRC" "$CACHE/build"
	mkdir -p "$KSRC"
	git -C "$GIT" archive xenpv-base | tar x -C "$KSRC" || fail "extract the base tree"
	: >"$KSRC/.xenpv-paths"
	echo "$base" >"$KSRC/.xenpv-base"
fi
paths=$(mktemp)
trap 'rm -f "$paths" "$paths.new"' EXIT
git -C "$GIT" diff --name-only xenpv-base HEAD >"$paths.new"
sort -u "$paths.new" "$KSRC/.xenpv-paths" >"$paths"
rsync -c --files-from="$paths" --ignore-missing-args "$GIT"/ "$KSRC"/ ||
	fail "copy the series' files into $KSRC"
while IFS= read -r f; do
	[ -e "$GIT/$f" ] || rm -f "$KSRC/$f"
done <"$paths"
mv "$paths.new" "$KSRC/.xenpv-paths"

[ "$V" = prepare ] && exit 0

# 2. The config: defconfig + the kernel's xen fragments + ours.
# The debug variant is xenpv.config plus debug.config.
ours=("$TOP/configs/base.config")
[ "$V" = debug ] && ours+=("$TOP/configs/xenpv.config")
ours+=("$TOP/configs/$V.config")
frags=("$KSRC/arch/x86/configs/x86_64_defconfig" "$KSRC/kernel/configs/xen.config"
	"$KSRC/arch/x86/configs/xen.config" "${ours[@]}")
cfg_want=$(hash_of "${frags[@]}")
# A variant built for the first time starts from a copy of the other
# variant's finished tree (stock and xenpv differ in a few options):
# kbuild records which options each object depends on, so after the new
# config only the objects that use a changed option are rebuilt.  Without
# the copy every object would be compiled again (ccache helps little
# there: autoconf.h differs, so each file is preprocessed again).
if [ ! -f "$KOUT/vmlinux" ] && [ "$V" != debug ]; then
	for o in stock xenpv; do
		[ "$o" != "$V" ] && [ -f "$CACHE/build/$o/vmlinux" ] || continue
		say "starting from the $o build tree"
		rm -rf "$KOUT" "$KOUT.tmp"
		cp -a "$CACHE/build/$o" "$KOUT.tmp" && mv "$KOUT.tmp" "$KOUT" ||
			fail "copy $CACHE/build/$o"
		break
	done
fi
mkdir -p "$KOUT" "$OUT"
if [ "$(cat "$KOUT/.xenpv-cfg" 2>/dev/null)" != "$cfg_want" ] || [ ! -f "$KOUT/.config" ]; then
	say "configuring"
	(cd "$KSRC" && scripts/kconfig/merge_config.sh -m -O "$KOUT" "${frags[@]}" \
		>"$KOUT/merge.log" 2>&1) || fail "merge_config (log: $KOUT/merge.log)"
	make -s -C "$KSRC" O="$KOUT" olddefconfig >>"$KOUT/merge.log" 2>&1 ||
		fail "olddefconfig (log: $KOUT/merge.log)"
	# Every option our fragments ask for must have stuck (a later
	# fragment's line for a symbol wins, as in merge_config).
	bad=0
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=n) sym=${line%%=*}
			grep -q "^$sym=" "$KOUT/.config" && { echo "  $sym: wanted n, got $(grep "^$sym=" "$KOUT/.config")"; bad=1; } ;;
		CONFIG_*=*) grep -qx "$line" "$KOUT/.config" || { echo "  wanted $line, got: $(grep -E "^(# )?${line%%=*}[= ]" "$KOUT/.config" || echo unset)"; bad=1; } ;;
		"# CONFIG_"*" is not set") sym=${line#\# }; sym=${sym%% *}
			grep -q "^$sym=" "$KOUT/.config" && { echo "  $sym: wanted unset"; bad=1; } ;;
		esac
	done < <(awk '/^CONFIG_/ { s = $0; sub(/=.*/, "", s) }
		/^# CONFIG_.* is not set$/ { s = $2 }
		s != "" { if (!(s in want)) order[++n] = s; want[s] = $0; s = "" }
		END { for (i = 1; i <= n; i++) print want[order[i]] }' "${ours[@]}")
	[ $bad = 0 ] || fail "config options did not stick (see above)"
	echo "$cfg_want" >"$KOUT/.xenpv-cfg"
fi

# 3. Build: the kernel and its modules.  The modules are installed
# (stripped, with depmod's indexes) under out/VARIANT/modules/lib/modules/,
# which the rig copies into dom0's and the domU's initramfs.
say "building (log: $KOUT/build.log)"
start=$(date +%s)
if ! nice make -C "$KSRC" O="$KOUT" -j"$JOBS" CC="ccache gcc" bzImage modules \
	>"$KOUT/build.log" 2>&1; then
	grep -E 'error|Error|undefined' "$KOUT/build.log" | head -40 >&2
	tail -20 "$KOUT/build.log" >&2
	fail "kernel build (log: $KOUT/build.log)"
fi
rm -rf "$OUT/modules.tmp"
make -s -C "$KSRC" O="$KOUT" INSTALL_MOD_PATH="$OUT/modules.tmp" INSTALL_MOD_STRIP=1 \
	modules_install >>"$KOUT/build.log" 2>&1 || fail "modules_install (log: $KOUT/build.log)"
find "$OUT/modules.tmp" -type l \( -name build -o -name source \) -delete
rm -rf "$OUT/modules" && mv "$OUT/modules.tmp" "$OUT/modules"
cp "$KOUT/arch/x86/boot/bzImage" "$OUT/bzImage.tmp" && mv "$OUT/bzImage.tmp" "$OUT/bzImage"
cp "$KOUT/vmlinux" "$OUT/vmlinux.tmp" && mv "$OUT/vmlinux.tmp" "$OUT/vmlinux"
cp "$KOUT/.config" "$OUT/config"
say "ok: $OUT/bzImage, $(find "$OUT/modules" -name '*.ko' | wc -l) modules ($(($(date +%s) - start)) s)"
