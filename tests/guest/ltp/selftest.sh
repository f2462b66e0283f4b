#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# selftest.sh - check run-ltp.sh against a fake LTP tree.
#
# Why this file exists: the real LTP tree is not installed on the build
# host, and a runner that maps an exit code wrongly turns failures into
# passes.  This builds testcases/bin with tiny scripts that exit with each
# LTP status (TPASS 0, TFAIL 1, TBROK 2, TWARN 4, TCONF 32, a combination),
# hang, crash, read stdin, or are missing, runs the runner under busybox sh
# with busybox applets first in PATH (as in the domU), and compares every
# result line, the summary line, the exit status, and that a hung test's
# background child was killed.
#
# usage: selftest.sh [path/to/run-ltp.sh]     (exit 0 if all checks pass)

here=$(cd "$(dirname "$0")" && pwd)
runner=${1:-$here/run-ltp.sh}
bb=$(command -v busybox)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ltp-selftest.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fails=0

fail() {
	echo "selftest: FAIL $*"
	fails=$((fails + 1))
}

# Busybox applets first in PATH, like the busybox-only initramfs.
mkdir -p "$tmp/bbin" "$tmp/ltp/testcases/bin" "$tmp/tmp"
if [ -n "$bb" ]; then
	for a in sh timeout setsid date tail cat mkdir dirname sleep kill; do
		ln -s "$bb" "$tmp/bbin/$a"
	done
	shell="$bb sh"
else
	echo "selftest: busybox not found, using /bin/sh and host tools"
	shell=/bin/sh
fi

mk() {
	printf '#!/bin/sh\n%s\n' "$2" >"$tmp/ltp/testcases/bin/$1"
	chmod 755 "$tmp/ltp/testcases/bin/$1"
}
mk t_pass 'exit 0'
mk t_fail 'echo "t_fail: TFAIL: something broke"; exit 1'
mk t_brok 'exit 2'
mk t_warn 'exit 4'
mk t_conf 'exit 32'
mk t_failconf 'exit 33'
mk t_args '[ "$1" = "-x" ] && [ "$2" = 7 ] || exit 1'
mk t_env '[ -n "$LTPROOT" ] && [ -d "$TMPDIR" ] && [ -x "$LTPROOT/testcases/bin/t_env" ] || exit 2'
mk t_hang 'sleep 1000 & echo $! >"$TMPDIR/hang.pid"; sleep 1000'
mk t_segv 'kill -SEGV $$'
mk t_stdin 'if read -r x; then exit 1; fi; exit 0'

cat >"$tmp/list" <<'EOF'
# comment line, then an empty one

pass t_pass
fail t_fail
brok t_brok
warn t_warn
conf t_conf
failconf t_failconf
args t_args -x 7
env t_env
hang t_hang
segv t_segv
stdin t_stdin
shellsyntax X=5; t_args -x 7
missing t_not_there
EOF

out=$(PATH="$tmp/bbin:$PATH" TMPDIR="$tmp/tmp" $shell "$runner" -t 2 \
	-l "$tmp/logs" "$tmp/ltp" "$tmp/list")
rc=$?
echo "$out" | sed 's/^/  | /'

expect() {
	echo "$out" | grep -q "^$1" || fail "missing line '$1'"
}
expect "PASS pass ("
expect "FAIL fail: TFAIL (exit 1"
expect "FAIL brok: TBROK (exit 2"
expect "FAIL warn: TWARN (exit 4"
expect "SKIP conf: TCONF"
expect "FAIL failconf: TFAIL TCONF (exit 33"
expect "PASS args ("
expect "PASS env ("
expect "FAIL hang: timeout after 2 s"
expect "FAIL segv: killed by signal 11"
expect "PASS stdin ("
expect "PASS shellsyntax ("
expect "SKIP missing: not installed"
expect "t_fail: TFAIL: something broke"
[ "$(echo "$out" | tail -n 1)" = "5 passed, 6 failed, 2 skipped" ] ||
	fail "summary line is '$(echo "$out" | tail -n 1)'"
[ $rc -ne 0 ] || fail "exit status 0 although tests failed"
[ -s "$tmp/logs/fail.log" ] || fail "no log for the failed test"
if [ -s "$tmp/tmp/hang.pid" ]; then
	hp=$(cat "$tmp/tmp/hang.pid")
	# A zombie (killed, not reaped yet by init) counts as dead.
	if kill -0 "$hp" 2>/dev/null &&
	   ! grep -q ') [ZX] ' "/proc/$hp/stat" 2>/dev/null; then
		fail "child of the hung test still running"
		kill -9 "$hp"
	fi
else
	fail "hang test did not start its child"
fi

out=$(PATH="$tmp/bbin:$PATH" TMPDIR="$tmp/tmp" $shell "$runner" -f 'pass' \
	"$tmp/ltp" "$tmp/list")
rc=$?
# The seconds in "(0 s)" depend on host load: compare without them.
[ "$(printf '%s\n' "$out" | sed 's/ ([0-9]* s)$//')" = "PASS pass
1 passed, 0 failed, 0 skipped" ] || fail "filtered run printed '$out'"
[ $rc -eq 0 ] || fail "filtered all-pass run exited $rc"

PATH="$tmp/bbin:$PATH" $shell "$runner" "$tmp/nonexistent" 2>/dev/null
[ $? -eq 2 ] || fail "missing LTP root is not a usage error (2)"

if [ $fails -eq 0 ]; then
	echo "selftest: OK run-ltp.sh"
	exit 0
fi
echo "selftest: $fails check(s) failed"
exit 1
