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
# checkpatch runs from the series' git repository: its SPDX check wants a
# git work tree.
KGIT=$CACHE/linux-git
. "$TOP/scripts/ccache-env.sh"
cd "$TOP"
[ -f "$KGIT/scripts/checkpatch.pl" ] || scripts/kernel.sh prepare >/dev/null || exit 1
bad=0

# Kernel code (arch/, mm/, drivers/, include/) gets checkpatch --strict
# against the kernel tree; CamelCase is allowed only for names of Xen's
# public interface (start_info's console.domU), which we cannot rename.
# Userspace programs (tests, bench) get checkpatch's default checks (the
# --strict ones ask for kernel types).  tests/unit/shim/ imitates kernel headers
# for userspace and is exempt.  Test programs may use assertion macros
# that return from the test function, which checkpatch flags in kernel
# code.  Nothing else is waived.
# checkpatch's SPDX check runs python3 with ply, which deps.sh installs
# for Debian's python3; a python3 earlier in PATH may lack it, and a
# failing helper is reported, not ignored.
export PATH=/usr/bin:$PATH
TEST_IGNORE=MACRO_WITH_FLOW_CONTROL,SINGLE_STATEMENT_DO_WHILE_MACRO,EMBEDDED_FUNCTION_NAME
XEN_NAMES='domU'
mapfile -t files < <(git ls-files -co --exclude-standard -- '*.c' '*.h' '*.S' |
	grep -v -E '^out/|^tests/unit/shim/' | sort)
echo "lint: checkpatch on ${#files[@]} files"
for f in "${files[@]}"; do
	case "$f" in
	arch/* | mm/* | drivers/* | include/*)
		opts=(--strict --root="$KGIT") ;;
	tests/*) opts=(--no-tree --ignore "$TEST_IGNORE") ;;
	*) opts=(--no-tree) ;;
	esac
	o=$("$KGIT/scripts/checkpatch.pl" "${opts[@]}" --terse --show-types -f "$f" 2>&1 |
		grep -E '(ERROR|WARNING|CHECK):|Traceback|Error:' |
		grep -v -E "CHECK:CAMELCASE: Avoid CamelCase: <($XEN_NAMES)>")
	if [ -n "$o" ]; then
		echo "$o"
		bad=1
	fi
done

# checkpatch caches CamelCase names it found in the tree in the cwd.
rm -f .checkpatch-camelcase.*

# sparse VARIANT TARGET: sparse on TARGET in that kernel's build tree.
sparse() {
	local o
	echo "lint: sparse on $2 ($1 kernel build)"
	o=$(make -s -C "$KSRC" O="$CACHE/build/$1" C=2 CHECK=sparse CC="ccache gcc" \
		"$2" 2>&1 | grep -E 'warning|error' || true)
	[ -n "$o" ] && { echo "$o"; bad=1; }
	return 0
}
if [ ! -f "$CACHE/build/xenpv/.config" ]; then
	echo "lint: FAILED: no $CACHE/build/xenpv/.config; build the xenpv kernel first (make kernel VARIANT=xenpv)"
	bad=1
else
	sparse xenpv arch/x86/xenpv/
fi
# The lazy MMU checker is built only into the debug kernel.
[ -f "$CACHE/build/debug/.config" ] && sparse debug arch/x86/xenpv/lazycheck.o
[ $bad = 0 ] && echo "lint: clean"
exit $bad
