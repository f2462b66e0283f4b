#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check-ltp LTP=/path/to/ltp`: run the curated LTP memory-management
# list (tests/guest/ltp/mm-tests.txt) inside a PV domU on the rig.  The
# tests named in the list are copied from an installed LTP tree (runtest/,
# testcases/bin/) into the domU's initramfs under /opt/ltp, with the shared
# libraries they need, and run by the busybox-only runner run-ltp.sh with a
# per-test timeout.  Prints "N passed, N failed, N skipped".

set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
LTP=${LTP:?set LTP=/path/to/an/installed/ltp}
LIST=$TOP/tests/guest/ltp/mm-tests.txt
[ -d "$LTP/testcases/bin" ] || { echo "ltp: $LTP/testcases/bin not found" >&2; exit 2; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
dst=$stage/opt/ltp/testcases/bin
mkdir -p "$dst"
# The binaries the list names, and LTP's shell/test helpers.
for cmd in $(grep -v -E '^\s*(#|$)' "$LIST" | awk '{ print $2 }' | sort -u); do
	[ -e "$LTP/testcases/bin/$cmd" ] && cp -a "$LTP/testcases/bin/$cmd" "$dst/"
done
cp -a "$LTP"/testcases/bin/tst_* "$LTP"/testcases/bin/*.sh "$dst/" 2>/dev/null || true
[ -d "$LTP/testcases/data" ] && cp -a "$LTP/testcases/data" "$stage/opt/ltp/testcases/"
echo "ltp: $(ls "$dst" | wc -l) files, $(du -sh "$stage" | cut -f1) staged from $LTP"

export MODE=run DOMU_ROOT=$stage MEMORY=${MEMORY:-512} RUN_TIMEOUT=${RUN_TIMEOUT:-5400}
export RIG_TIMEOUT=${RIG_TIMEOUT:-6000}
export RUN="LTPROOT=/opt/ltp LTP_TIMEOUT_MUL=${LTP_TIMEOUT_MUL:-10} PATH=/opt/ltp/testcases/bin:\$PATH run-ltp.sh -t ${LTP_TEST_TIMEOUT:-900} /opt/ltp /usr/bin/mm-tests.txt"
exec "$TOP/tests/rig/rig.sh"
