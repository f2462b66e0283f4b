#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Check the patch series as a user and a maintainer meet it (make check's
# "series" step, also `make check-series`):
#
#  1. `make export` writes it (out/series/, scripts/series.sh);
#  2. git am applies it to a fresh clone of pristine Linux 6.12 (Debian's
#     linux-source-6.12) and gives exactly the tree the kernels are built
#     from;
#  3. checkpatch.pl --strict passes on every patch: no error, warning or
#     check, except FILE_PATH_CHANGES on the patches that add the
#     backend's files (the MAINTAINERS entry comes with the Kconfig patch
#     that builds them) and CamelCase for Xen's console.domU; the cover
#     letter explains both;
#  4. every patch builds: at each commit, the C files it touches are
#     compiled with the xenpv kernel's configuration (bisectable);
#  5. at the end of the series, the generic and x86 files it touches compile in a
#     bare-metal x86_64_defconfig (PARAVIRT without PARAVIRT_XXL, and no
#     PARAVIRT at all), and the backend and those
#     files compile under Debian's own amd64 configuration
#     (linux-config-6.12) with the xenpv backend selected.
#
# Needs the xenpv kernel's configuration (scripts/kernel.sh xenpv first).
# Builds in $CACHE/build/series-*, one job at a time (the kernel lock).

set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${XENPV_CACHE:-/var/cache/xenpv}
GIT=$CACHE/linux-git
OUT=$TOP/out/series
WT=$CACHE/build/series-tree
JOBS=${JOBS:-$(nproc)}
. "$TOP/scripts/ccache-env.sh"
DEBCFG=/usr/src/linux-config-6.12/config.amd64_none_amd64.xz
bad=0

say() { echo "series-check: $*"; }
flunk() {
	echo "series-check: FAILED: $*"
	bad=1
}

exec 9>"$CACHE/kernel.lock"
flock 9 || { say "cannot lock $CACHE/kernel.lock"; exit 1; }

# 1. Export.
head=$("$TOP/scripts/series.sh" "$OUT") || { say "FAILED: make export"; exit 1; }
mapfile -t patches < <(ls "$OUT"/[0-9]*.patch | grep -v /0000-cover-letter.patch)
say "${#patches[@]} patches in out/series"

# 2. git am onto a fresh clone of the base.
rm -rf "$WT"
git clone -q --shared --no-checkout "$GIT" "$WT" &&
	git -C "$WT" -c advice.detachedHead=false checkout -q xenpv-base ||
	{ say "FAILED: clone of the pristine tree"; exit 1; }
if git -C "$WT" -c user.name=check -c user.email=check@localhost am -q "${patches[@]}"; then
	[ "$(git -C "$WT" rev-parse 'HEAD^{tree}')" = "$(git -C "$GIT" rev-parse "$head^{tree}")" ] ||
		flunk "git am gives a different tree from the one the kernels are built from"
else
	flunk "git am of out/series does not apply to pristine Linux"
	exit 1
fi

# 3. checkpatch --strict (its SPDX check needs Debian's python3 with ply,
# see lint.sh).
export PATH=/usr/bin:$PATH
for p in "${patches[@]}"; do
	allow='^$'
	grep -q '^Subject: \[PATCH [0-9/]*\] x86/xenpv: add ' "$p" && allow='FILE_PATH_CHANGES'
	o=$(cd "$WT" && scripts/checkpatch.pl --strict --terse --show-types "$p" 2>&1 |
		grep -E '(ERROR|WARNING|CHECK):|Traceback|Error:' | grep -v -E ":($allow):" |
		grep -v -E 'CHECK:CAMELCASE: Avoid CamelCase: <domU>')
	[ -z "$o" ] || { echo "$o"; flunk "checkpatch --strict on $(basename "$p")"; }
done
rm -f "$WT"/.checkpatch-camelcase.*

# 4. Each commit builds the C files it touches.
compile() { # compile DIR TARGET...: make single targets in build dir DIR
	local dir=$1
	shift
	[ $# = 0 ] && return 0
	nice make -s -C "$WT" O="$dir" -j"$JOBS" CC="ccache gcc" "$@" >"$dir/compile.log" 2>&1 || {
		grep -E 'error|Error' "$dir/compile.log" | head -20
		return 1
	}
}
configure() { # configure DIR CONFIG-FILE [+SYM|-SYM|SYM=string ...]
	local dir=$1 cfg=$2 op
	shift 2
	mkdir -p "$dir"
	cp "$cfg" "$dir/.config"
	for op in "$@"; do
		case "$op" in
		+*) op=(--enable "${op#+}") ;;
		-*) op=(--disable "${op#-}") ;;
		*) op=(--set-str "${op%%=*}" "${op#*=}") ;;
		esac
		"$WT"/scripts/config --file "$dir/.config" "${op[@]}"
	done
	make -s -C "$WT" O="$dir" olddefconfig >"$dir/config.log" 2>&1
}
XCFG=$CACHE/build/xenpv/.config
[ -f "$XCFG" ] || { flunk "no $XCFG: build the xenpv kernel first"; exit 1; }
B=$CACHE/build/series-bisect
for c in $(git -C "$WT" rev-list --reverse xenpv-base..HEAD); do
	git -C "$WT" -c advice.detachedHead=false checkout -q "$c"
	subj=$(git -C "$WT" log -1 --format=%s "$c")
	mapfile -t objs < <(git -C "$WT" diff-tree --no-commit-id --name-only -r "$c" |
		grep -E '\.c$' | sed 's/\.c$/.o/')
	# Before the Kconfig patch nothing builds arch/x86/xenpv/.
	if ! grep -q XEN_PV_MMU_XENPV "$WT/arch/x86/xen/Kconfig"; then
		mapfile -t objs < <(printf '%s\n' "${objs[@]}" | grep -v '^arch/x86/xenpv/' | grep .)
	fi
	configure "$B" "$XCFG" || { flunk "configure at '$subj'"; continue; }
	compile "$B" "${objs[@]}" || flunk "build at '$subj'"
	say "builds at '$subj' (${#objs[@]} files)"
done

# 5. The end of the series under other configurations.
mapfile -t generic < <(git -C "$WT" diff --name-only xenpv-base HEAD -- mm include arch/x86/mm |
	grep -E '\.c$' | sed 's/\.c$/.o/')
# x86 files every configuration builds (paravirt.c needs PARAVIRT).
mapfile -t x86 < <(git -C "$WT" diff --name-only xenpv-base HEAD -- arch/x86/kernel |
	grep -E '\.c$' | grep -v '/paravirt\.c$' | sed 's/\.c$/.o/')
# Bare metal: x86_64_defconfig has PARAVIRT without PARAVIRT_XXL; also
# without PARAVIRT at all.
for pv in on off; do
	N=$CACHE/build/series-native-pv$pv
	ops=()
	[ $pv = off ] && ops=(-HYPERVISOR_GUEST -PARAVIRT)
	if configure "$N" "$WT/arch/x86/configs/x86_64_defconfig" "${ops[@]}" &&
		! grep -q '^CONFIG_PARAVIRT_XXL=y' "$N/.config" &&
		{ [ $pv = on ] || ! grep -q '^CONFIG_PARAVIRT=y' "$N/.config"; }; then
		compile "$N" "${generic[@]}" arch/x86/mm/pgtable.o "${x86[@]}" ||
			flunk "bare-metal build (x86_64_defconfig, PARAVIRT $pv)"
		say "bare metal (x86_64_defconfig, PARAVIRT $pv): ${generic[*]} arch/x86/mm/pgtable.o ${x86[*]}"
	else
		flunk "x86_64_defconfig with PARAVIRT $pv"
	fi
done
D=$CACHE/build/series-debian
if [ -f "$DEBCFG" ]; then
	mkdir -p "$D"
	xz -dc "$DEBCFG" >"$D/debian.config"
	if configure "$D" "$D/debian.config" -XEN_PV_MMU_STOCK +XEN_PV_MMU_XENPV \
		SYSTEM_TRUSTED_KEYS= SYSTEM_REVOCATION_KEYS= &&
		grep -q '^CONFIG_XEN_PV_MMU_XENPV=y' "$D/.config"; then
		compile "$D" "${generic[@]}" "${x86[@]}" arch/x86/kernel/paravirt.o arch/x86/xenpv/ ||
			flunk "build under Debian's configuration"
		say "Debian amd64 config + xenpv: ${generic[*]} ${x86[*]} arch/x86/kernel/paravirt.o arch/x86/xenpv/"
	else
		flunk "Debian's configuration with CONFIG_XEN_PV_MMU_XENPV=y"
	fi
else
	flunk "no $DEBCFG (package linux-config-6.12; scripts/deps.sh installs it)"
fi

[ $bad = 0 ] && say "ok"
exit $bad
