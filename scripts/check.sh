#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: every test, fast ones first.  Every step always runs to the
# end and is reported (one whose prerequisite is missing fails); the run
# fails if any step failed.  The last line is "N passed, N failed" (steps).

set -uo pipefail
cd "$(dirname "$0")/.."
pass=0
fail=0
failed=()
t0=$(date +%s)

# Each step's output is also kept in out/check/NAME.log, from which the
# end of the run repeats the lines that say why a failed step failed: the
# end of a long run's output is what a CI report shows.
LOGS=out/check
rm -rf "$LOGS"
mkdir -p "$LOGS"

step() { # step NAME COMMAND...
	local name=$1 s rc
	shift
	s=$(date +%s)
	echo "==== check: $name"
	"$@" 2>&1 | tee "$LOGS/$name.log"
	rc=${PIPESTATUS[0]}
	if [ $rc = 0 ]; then
		pass=$((pass + 1))
		echo "==== check: $name: PASS ($(($(date +%s) - s)) s)"
	else
		fail=$((fail + 1))
		failed+=("$name")
		echo "==== check: $name: FAIL (exit $rc, $(($(date +%s) - s)) s)"
	fi
	return $rc
}

if ! step deps make -s deps; then
	echo "check: dependencies missing, nothing else can run"
	echo "0 passed, 1 failed"
	exit 1
fi
step unit make -s -C tests/unit run
step guest-native make -s -C tests/guest OUT="$PWD/out/guest-native" check
step bench-selftest make -s -C bench check
step kernel-stock scripts/kernel.sh stock
step kernel-xenpv scripts/kernel.sh xenpv
# The xenpv kernel with lockdep, DEBUG_VM, DEBUG_PAGEALLOC and the lazy MMU
# checker (configs/debug.config); its last rig runs it.
step kernel-debug scripts/kernel.sh debug
# Debian packages of the xenpv kernel; rig-deb-dom0 boots their vmlinuz.
step deb scripts/deb.sh
step baremetal-stock tests/rig/baremetal.sh stock
step baremetal-xenpv tests/rig/baremetal.sh xenpv
step lint scripts/lint.sh
step series scripts/series-check.sh
# The baseline: stock Linux as dom0 and domU through the recipe, with four
# migrations (the xenpv rigs make twelve).  Its domU panicked once under
# stress-ng during a migration (2026-12-04: int3 in get_signal(), "Fatal
# exception in interrupt": QEMU's stale int3, see rig.sh), so it runs
# without stress-ng.
step rig-stock-vcpus2 env DOM0=stock DOMU=stock VCPUS=2 STRESSNG=0 MIGRATES=4 tests/rig/rig.sh
step rig-broken-domU tests/rig/selftest.sh
step rig-xenpv-vcpus1 env DOM0=stock DOMU=xenpv VCPUS=1 tests/rig/rig.sh
step rig-xenpv-vcpus4 env DOM0=stock DOMU=xenpv VCPUS=4 tests/rig/rig.sh
# xenpv as dom0: the kernel Debian's configuration builds, as dom0 and as
# its domU (one save/restore, two migrations, the cancelled save and both
# aborts), then the debug kernel, which must print no warning, lockdep or
# DEBUG_VM report on any console (make check-debug runs the whole recipe).
deb_kernel=$(ls out/deb/root/boot/vmlinuz-* 2>/dev/null | head -1)
step rig-deb-dom0-vcpus2 env DOM0="${deb_kernel:-out/deb/missing}" DOMU="${deb_kernel:-out/deb/missing}" \
	VCPUS=2 SAVES=1 MIGRATES=2 tests/rig/rig.sh
step rig-debug-vcpus2 env DOM0=debug DOMU=debug VCPUS=2 SAVES=1 MIGRATES=2 SAVE_CANCEL=0 ABORTS=0 \
	tests/rig/rig.sh

# Why a failed step failed, in at most 20 lines: the lines that say FAIL
# or that a machine did not get through (and any new boot the rig made),
# then the first kernel report (a warning, oops or panic, from any console
# in the log) with its RIP and the first functions of its call trace.
why() { # why NAME
	tr -d '\r' <"$LOGS/$1.log" | awk '
		/^==== check/ { next }
		/FAIL|did not (finish|start|complete|reach)|booting again|rig again/ && nfail < 6 { print; nfail++ }
		!rep && /(WARNING:|BUG:|Oops:|Kernel panic|general protection|\(XEN\) .*(crash|FATAL))/ { rep = 1; print; next }
		rep == 1 && /(RIP:|Call Trace|\+0x)/ && ntr < 12 { print; ntr++ }
		rep == 1 && /end trace|end Kernel panic/ { rep = 2 }
	' | head -20 | sed "s/^/check: $1: /"
}

echo "==== check: done in $(($(date +%s) - t0)) s"
if [ $fail != 0 ]; then
	for name in "${failed[@]}"; do
		why "$name"
	done
	echo "check: failed steps: ${failed[*]}"
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
