#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make deb`: Debian packages of the xenpv kernel, made by the kernel's own
# bindeb-pkg in the build tree scripts/kernel.sh keeps, so the packaged
# kernel is built from the same series, config and objects as the one the
# rig tests.  Written to out/deb/:
#   linux-image-VERSION_*.deb    vmlinuz, System.map, config and modules
#   linux-headers-VERSION_*.deb  what out-of-tree modules (DKMS) build against
#   linux-libc-dev_*.deb         the UAPI headers
# and linux-image-VERSION-dbg (unstripped vmlinux and modules) with
# DEB_DBG=1.  The image package is also unpacked into out/deb/root, where
# tests/rig/rig.sh finds its boot/vmlinuz-* and lib/modules/.
#
# Environment: KDEB_PKGVERSION (default KERNELVERSION-1), KDEB_COMPRESS
# (default xz, as Debian's own), DEB_DBG.

set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${XENPV_CACHE:-/var/cache/xenpv}
KSRC=$CACHE/linux
KOUT=$CACHE/build/xenpv
OUT=$TOP/out/deb
JOBS=${JOBS:-$(nproc)}
# The same ccache settings as kernel.sh: the package build reuses its objects.
. "$TOP/scripts/ccache-env.sh"

fail() {
	echo "deb.sh: FAILED: $*" >&2
	exit 1
}

"$TOP/scripts/kernel.sh" xenpv || fail "building the xenpv kernel"

exec 9>"$CACHE/kernel.lock"
flock 9 || fail "cannot lock $CACHE/kernel.lock"

# bindeb-pkg writes its packages next to the build directory.
pkgdir=$(dirname "$KOUT")
rm -f "$pkgdir"/*.deb "$pkgdir"/*.buildinfo "$pkgdir"/*.changes
kver=$(make -s -C "$KSRC" O="$KOUT" kernelversion)
profiles=pkg.linux-upstream.nokerneldbg
[ "${DEB_DBG:-0}" = 1 ] && profiles=
echo "deb.sh: building the packages (log: $KOUT/deb.log)"
start=$(date +%s)
if ! DEB_BUILD_PROFILES=$profiles DEBFULLNAME="xenpv maintainers" \
	DEBEMAIL="maintainers@users.noreply.r-seed-00113dbb.example" \
	nice make -C "$KSRC" O="$KOUT" -j"$JOBS" CC="ccache gcc" \
	KDEB_PKGVERSION="${KDEB_PKGVERSION:-$kver-1}" KDEB_COMPRESS="${KDEB_COMPRESS:-xz}" \
	bindeb-pkg >"$KOUT/deb.log" 2>&1; then
	tail -30 "$KOUT/deb.log" >&2
	fail "bindeb-pkg (log: $KOUT/deb.log)"
fi

rm -rf "$OUT"
mkdir -p "$OUT"
mv "$pkgdir"/*.deb "$OUT"/
rm -f "$pkgdir"/*.buildinfo "$pkgdir"/*.changes
image=$(ls "$OUT"/linux-image-*.deb | grep -v -- '-dbg_' | head -1)
[ -f "$image" ] || fail "no linux-image package in $OUT"
dpkg-deb -x "$image" "$OUT/root" || fail "unpacking $image"
ls "$OUT"/root/boot/vmlinuz-* >/dev/null 2>&1 || fail "no boot/vmlinuz-* in $image"
for f in "$OUT"/*.deb; do
	echo "deb.sh: $(basename "$f") ($(du -k "$f" | cut -f1) KiB)"
done
echo "deb.sh: ok ($(($(date +%s) - start)) s)"
