#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Static checks on the project's C sources: the kernel's checkpatch.pl on
# every C file and header we own, and sparse on the code that goes into the
# kernel (arch/x86/xenpv/ with mm/ and drivers/xen/ under it) through the
# xenpv kernel build, `make C=2`.  That needs the xenpv kernel's build
# directory: build the xenpv kernel first (make check runs lint after it).

set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${XENPV_CACHE:-/var/cache/xenpv}
KSRC=$CACHE/linux
cd "$TOP"
[ -f "$KSRC/scripts/checkpatch.pl" ] || scripts/kernel.sh prepare >/dev/null || exit 1
bad=0

# tests/unit/shim/ imitates kernel headers for userspace and is exempt.
# Test programs may use assertion macros that return from the test
# function, which checkpatch flags in kernel code; nothing else is waived.
TEST_IGNORE=MACRO_WITH_FLOW_CONTROL,SINGLE_STATEMENT_DO_WHILE_MACRO,EMBEDDED_FUNCTION_NAME
mapfile -t files < <(git ls-files -co --exclude-standard -- '*.c' '*.h' '*.S' |
	grep -v -E '^out/|^tests/unit/shim/' | sort)
echo "lint: checkpatch on ${#files[@]} files"
for f in "${files[@]}"; do
	extra=()
	case "$f" in tests/*) extra=(--ignore "$TEST_IGNORE") ;; esac
	o=$("$KSRC/scripts/checkpatch.pl" --no-tree --terse --show-types "${extra[@]}" -f "$f" 2>&1 |
		grep -v -E '^total: 0 errors, 0 warnings|^$')
	if [ -n "$o" ]; then
		echo "$o"
		bad=1
	fi
done

echo "lint: sparse on arch/x86/xenpv (kernel build)"
if [ ! -f "$CACHE/build/xenpv/.config" ]; then
	echo "lint: FAILED: no $CACHE/build/xenpv/.config; build the xenpv kernel first (make kernel VARIANT=xenpv)"
	bad=1
else
	o=$(make -s -C "$KSRC" O="$CACHE/build/xenpv" C=2 CHECK=sparse CC="ccache gcc" \
		arch/x86/xenpv/ 2>&1 | grep -E 'warning|error' || true)
	[ -n "$o" ] && { echo "$o"; bad=1; }
fi
[ $bad = 0 ] && echo "lint: clean"
exit $bad
