#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Static checks on the project's C sources: the kernel's checkpatch.pl on
# every C file and header we own, and sparse on the code that goes into the
# kernel (through the kernel build, `make C=2`, once the xenpv variant
# exists; on mm/ through the unit-test shims before that).

set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${XENPV_CACHE:-/var/cache/xenpv}
KSRC=$CACHE/linux
cd "$TOP"
[ -f "$KSRC/scripts/checkpatch.pl" ] || scripts/kernel.sh prepare >/dev/null || exit 1
bad=0

mapfile -t files < <(git ls-files -co --exclude-standard -- '*.c' '*.h' | grep -v '^out/' | sort)
echo "lint: checkpatch on ${#files[@]} files"
for f in "${files[@]}"; do
	o=$("$KSRC/scripts/checkpatch.pl" --no-tree --terse --show-types -f "$f" 2>&1 |
		grep -v -E '^total: 0 errors, 0 warnings|^$')
	if [ -n "$o" ]; then
		echo "$o"
		bad=1
	fi
done

if [ -f arch/x86/xenpv/Makefile ] && [ -f "$CACHE/build/xenpv/.config" ]; then
	echo "lint: sparse on arch/x86/xenpv (kernel build)"
	touch_list=$(find "$KSRC/arch/x86/xenpv" -name '*.c')
	# shellcheck disable=SC2086
	touch $touch_list
	o=$(make -s -C "$KSRC" O="$CACHE/build/xenpv" C=1 CHECK=sparse CC="ccache gcc" \
		arch/x86/xenpv/ 2>&1 | grep -E 'warning|error' || true)
	[ -n "$o" ] && { echo "$o"; bad=1; }
elif [ -d mm ] && [ -d tests/unit/shim ]; then
	echo "lint: sparse on mm/ (unit-test shims)"
	for f in mm/*.c; do
		o=$(sparse -Wsparse-all -Wno-declaration-after-statement -D__CHECKER__ \
			-Itests/unit/shim -Iinclude -I/usr/include "$f" 2>&1 || true)
		[ -n "$o" ] && { echo "$o"; bad=1; }
	done
fi
[ $bad = 0 ] && echo "lint: clean"
exit $bad
