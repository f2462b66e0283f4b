#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything xenpv needs on a Debian 12 machine, idempotently:
# the Debian packages for building Linux 6.12 and the unit tests, the Xen
# 4.17 toolstack, QEMU, and a Xen hypervisor rebuilt from Debian's source
# with shadow paging (needed to live-migrate PV guests) and perf counters
# (needed by xenperf).  Results are cached under $XENPV_CACHE so a second
# run takes seconds.  Must run as root.
#
# Usage: scripts/deps.sh [--check]   (--check: exit 1 if anything is missing)

set -euo pipefail

CACHE=${XENPV_CACHE:-/var/cache/xenpv}
XEN_SRC_VERSION=${XEN_SRC_VERSION:-4.17.5+72-g01140da4e8-1}
XEN_IMAGE=$CACHE/xen/xen-shadow-perfc
STAMP=$CACHE/deps.stamp

PKGS=(
	linux-source-6.12 linux-config-6.12 xen-utils-4.17 qemu-system-x86 qemu-system-xen
	qemu-system-data busybox-static cpio python3-ply python3-git
	sparse ccache dpkg-dev build-essential bc bison flex libssl-dev
	libelf-dev python3 rsync kmod xz-utils libxen-dev clang
	libclang-rt-14-dev gcovr perl git file mount util-linux debhelper stress-ng
	redis-tools
)

fail() {
	echo "deps.sh: FAILED: $*" >&2
	exit 1
}

codename() { (. /etc/os-release && echo "$VERSION_CODENAME"); }

# deb_src_sources: deb-src entries (deb822) for the Debian suites the
# machine's apt sources already use (its mirror, e.g. a local one or a
# snapshot), as apt itself resolved them: the release, -updates and
# -security suites of this machine's codename, main only.
deb_src_sources() {
	local c uri suite
	c=$(codename)
	apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' 'Identifier: Packages' |
		awk -v c="$c" '$3 == "main" && ($2 == c || $2 == c "-updates" || $2 == c "-security") { print $1, $2 }' |
		sort -u | while read -r uri suite; do
			printf 'Types: deb-src\nURIs: %s\nSuites: %s\nComponents: main\n' "$uri" "$suite"
			printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n'
		done
}

missing_pkgs() {
	local p
	for p in "${PKGS[@]}"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$' || echo "$p"
	done
}

if [ "${1:-}" = "--check" ]; then
	[ -z "$(missing_pkgs)" ] && [ -f "$XEN_IMAGE" ] && exit 0
	exit 1
fi

[ "$(id -u)" = 0 ] || fail "must run as root (apt-get and $CACHE)"
mkdir -p "$CACHE"

# 1. Debian packages.
need=$(missing_pkgs)
if [ -n "$need" ]; then
	echo "deps.sh: installing:" $need
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq || fail "apt-get update"
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $need >"$CACHE/apt.log" 2>&1 ||
		{ tail -30 "$CACHE/apt.log" >&2; fail "apt-get install (log: $CACHE/apt.log)"; }
fi

# 2. The hypervisor with shadow paging and perf counters.
if [ ! -f "$XEN_IMAGE" ]; then
	src=/etc/apt/sources.list.d/xenpv-deb-src.sources
	if [ ! -f "$src" ]; then
		deb_src_sources >"$src.tmp" && [ -s "$src.tmp" ] ||
			{ rm -f "$src.tmp"; fail "no Debian $(codename) entry in the apt sources to take deb-src from"; }
		mv "$src.tmp" "$src"
		apt-get update -qq || fail "apt-get update (deb-src)"
	fi
	work=$CACHE/xen/build
	rm -rf "$work"
	mkdir -p "$work"
	echo "deps.sh: fetching Debian xen source $XEN_SRC_VERSION"
	(cd "$work" && apt-get source -qq --download-only "xen=$XEN_SRC_VERSION" >/dev/null 2>&1) ||
		fail "apt-get source xen=$XEN_SRC_VERSION"
	(cd "$work" && dpkg-source -x --skip-debianization *.dsc src >/dev/null 2>&1 ||
		dpkg-source -x *.dsc src >/dev/null) || fail "dpkg-source -x xen"
	# The base config is the one Debian ships its hypervisor with.
	(cd "$work" && apt-get download -qq "xen-hypervisor-4.17-amd64" >/dev/null 2>&1) ||
		fail "apt-get download xen-hypervisor-4.17-amd64"
	dpkg-deb -x "$work"/xen-hypervisor-4.17-amd64_*.deb "$work/hv" ||
		fail "unpack xen-hypervisor deb"
	cfg=$(ls "$work"/hv/boot/xen-*.config | head -1)
	[ -f "$cfg" ] || fail "no xen .config in the hypervisor package"
	x="$work/src/xen"
	cp "$cfg" "$x/.config"
	cat >>"$x/.config" <<-CFG
	CONFIG_EXPERT=y
	CONFIG_SHADOW_PAGING=y
	CONFIG_PERF_COUNTERS=y
	CFG
	echo "deps.sh: building the Xen hypervisor (about 2 minutes)"
	make -C "$x" olddefconfig XEN_CONFIG_EXPERT=y >"$work/build.log" 2>&1 &&
		make -C "$x" -j"$(nproc)" XEN_CONFIG_EXPERT=y >>"$work/build.log" 2>&1 ||
		{ tail -30 "$work/build.log" >&2; fail "xen build (log: $work/build.log)"; }
	grep -q '^CONFIG_SHADOW_PAGING=y' "$x/.config" || fail "shadow paging not enabled"
	grep -q '^CONFIG_PERF_COUNTERS=y' "$x/.config" || fail "perf counters not enabled"
	# xen-syms names Xen's functions for bench/prof.
	cp "$x/xen" "$XEN_IMAGE.tmp" && cp "$x/.config" "$CACHE/xen/config" &&
		cp "$x/xen-syms" "$CACHE/xen/xen-syms" &&
		mv "$XEN_IMAGE.tmp" "$XEN_IMAGE"
	rm -rf "$work"
	echo "deps.sh: hypervisor ready: $XEN_IMAGE"
fi
date >"$STAMP"
