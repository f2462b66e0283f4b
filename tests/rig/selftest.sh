#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The rig must fail fast and say why when the domU kernel is broken, never
# hang.  Two cases: a domU kernel path that does not exist (must fail
# before QEMU starts), and a domU kernel that panics at boot (stock kernel
# told to run an init that does not exist: it panics with "No working init
# found"), which must fail at the boot step with the guest console shown.

set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
pass=0
fail=0
res() { if [ "$1" = ok ]; then pass=$((pass + 1)); echo "PASS $2"; else fail=$((fail + 1)); echo "FAIL $2: $3"; fi; }

s=$(date +%s)
out=$(DOMU=/nonexistent "$HERE/rig.sh" 2>&1)
rc=$?
t=$(($(date +%s) - s))
if [ $rc != 0 ] && grep -q "domU kernel '/nonexistent' does not exist" <<<"$out" && [ $t -lt 30 ]; then
	res ok "missing domU kernel (${t} s)"
else
	res bad "missing domU kernel" "rc=$rc after ${t} s: $out"
fi

s=$(date +%s)
out=$(DOMU=stock DOMU_CMDLINE="rdinit=/no-such-init init=/no-such-init" GUEST_TESTS=0 \
	RIG_TIMEOUT=900 "$HERE/rig.sh" 2>&1)
rc=$?
t=$(($(date +%s) - s))
if [ $rc != 0 ] && grep -q "step boot: FAIL" <<<"$out" && grep -q "domU| .*Kernel panic" <<<"$out"; then
	res ok "panicking domU kernel fails at boot (${t} s)"
else
	res bad "panicking domU kernel" "rc=$rc after ${t} s; output tail: $(tail -30 <<<"$out")"
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
