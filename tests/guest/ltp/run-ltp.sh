#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run-ltp.sh - run a curated LTP list inside a busybox-only domU.
#
# Why this file exists: LTP's own runners (kirk, runltp, ltp-pan) need
# Python, Perl or bash; the PV domU has busybox only.  This runner needs a
# POSIX sh (busybox ash is enough), busybox timeout, setsid and date.
#
# usage: run-ltp.sh [-t SEC] [-l LOGDIR] [-f GLOB] [-v] LTPROOT [LIST]
#   LTPROOT  LTP install root (holds testcases/bin)
#   LIST     runtest-format file "tag command [args]" (default: mm-tests.txt
#            next to this script)
#   -t SEC   per-test timeout, default $LTP_PER_TEST_TIMEOUT or 600
#   -l DIR   per-test logs (default $TMPDIR/ltp-logs)
#   -f GLOB  only run tags matching the shell pattern GLOB
#   -v       copy every test's output to stdout (default: only on failure)
#
# Exit codes of LTP tests are bit masks (lib/tst_test.c, include/tst_res_flags.h):
# TPASS 0, TFAIL 1, TBROK 2, TWARN 4, TCONF 32 (set only when nothing passed).
# Mapping: 0 -> PASS; exactly 32 -> SKIP; any of 1|2|4 -> FAIL; a timeout,
# a signal or any other status -> FAIL.  A test whose binary is not in
# LTPROOT is reported "SKIP tag: not installed".  Output: one line per test
# and a last line "N passed, N failed, N skipped"; exit 1 if anything failed,
# 2 on a usage error.
#
# Set LTP_TIMEOUT_MUL (LTP's own per-test timeout multiplier) in the
# environment when running under emulation; it is passed through.

usage() {
	echo "usage: $0 [-t SEC] [-l LOGDIR] [-f GLOB] [-v] LTPROOT [LIST]" >&2
	exit 2
}

tmo=${LTP_PER_TEST_TIMEOUT:-600}
logdir=
filter='*'
verbose=0
while getopts t:l:f:v opt; do
	case $opt in
	t) tmo=$OPTARG ;;
	l) logdir=$OPTARG ;;
	f) filter=$OPTARG ;;
	v) verbose=1 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] && [ $# -le 2 ] || usage
case $tmo in
''|*[!0-9]*) usage ;;
esac

root=$1
list=${2:-$(dirname "$0")/mm-tests.txt}
if [ ! -d "$root/testcases/bin" ]; then
	echo "run-ltp: $root/testcases/bin not found" >&2
	exit 2
fi
if [ ! -r "$list" ]; then
	echo "run-ltp: cannot read list $list" >&2
	exit 2
fi
root=$(cd "$root" && pwd)

LTPROOT=$root
PATH=$root/testcases/bin:$PATH
TMPDIR=${TMPDIR:-/tmp}
LTP_COLORIZE_OUTPUT=0
export LTPROOT PATH TMPDIR LTP_COLORIZE_OUTPUT
mkdir -p "$TMPDIR"
logdir=${logdir:-$TMPDIR/ltp-logs}
mkdir -p "$logdir" || exit 2

# busybox timeout gained -k late; use it when present.
if timeout -k 1 5 true 2>/dev/null; then
	tkill="-k 10"
else
	tkill=
fi

# Decode an LTP exit status into words.
decode() {
	d=
	[ $(($1 & 1)) -ne 0 ] && d="$d TFAIL"
	[ $(($1 & 2)) -ne 0 ] && d="$d TBROK"
	[ $(($1 & 4)) -ne 0 ] && d="$d TWARN"
	[ $(($1 & 32)) -ne 0 ] && d="$d TCONF"
	echo "${d# }"
}

# Kill every process left in session $1 (read from /proc).
kill_session() {
	sid_to_kill=$1
	for d in /proc/[0-9]*; do
		{ read -r st <"$d/stat"; } 2>/dev/null || continue
		st=${st##*) }
		# shellcheck disable=SC2086
		set -- $st
		# fields after the name: state ppid pgrp session
		[ "$4" = "$sid_to_kill" ] && kill -9 "${d#/proc/}" 2>/dev/null
	done
}

show_log() {
	if [ "$verbose" = 0 ]; then
		echo "---- last lines of $1 ----"
		tail -n 20 "$1"
		echo "----"
	fi
}

npass=0
nfail=0
nskip=0
while read -r tag cmd; do
	case $tag in
	''|'#'*) continue ;;
	esac
	# shellcheck disable=SC2254
	case $tag in
	$filter) ;;
	*) continue ;;
	esac
	if [ -z "$cmd" ]; then
		echo "FAIL $tag: no command in list"
		nfail=$((nfail + 1))
		continue
	fi
	# Plain commands: check the binary exists (older LTP may lack it).
	first=${cmd%% *}
	case $first in
	*=*|*\;*|*\`*|*\$*|*\|*|*\&*|*\<*|*\>*) ;;
	*)
		if ! command -v "$first" >/dev/null 2>&1; then
			echo "SKIP $tag: not installed ($first)"
			nskip=$((nskip + 1))
			continue
		fi
		;;
	esac

	log=$logdir/$tag.log
	t0=$(date +%s)
	(
		cd "$TMPDIR" || exit 2
		# Own session, so a timeout can take every child with it.
		# shellcheck disable=SC2086
		exec timeout $tkill "$tmo" setsid sh -c "$cmd" </dev/null >"$log" 2>&1
	) &
	pid=$!
	wait $pid 2>/dev/null
	rc=$?
	t1=$(date +%s)
	el=$((t1 - t0))
	# Whatever the test left behind dies now (its session is $pid).
	kill_session "$pid"
	[ "$verbose" = 1 ] && cat "$log"

	if [ $rc -eq 0 ]; then
		echo "PASS $tag (${el} s)"
		npass=$((npass + 1))
	elif [ $rc -eq 32 ]; then
		echo "SKIP $tag: TCONF (${el} s)"
		nskip=$((nskip + 1))
	elif [ $rc -ge 124 ] && [ $el -ge $((tmo - 1)) ]; then
		echo "FAIL $tag: timeout after ${tmo} s (status $rc)"
		nfail=$((nfail + 1))
		show_log "$log"
	elif [ $rc -gt 128 ]; then
		echo "FAIL $tag: killed by signal $((rc - 128)) (${el} s)"
		nfail=$((nfail + 1))
		show_log "$log"
	elif [ $((rc & 7)) -ne 0 ]; then
		echo "FAIL $tag: $(decode $rc) (exit $rc, ${el} s)"
		nfail=$((nfail + 1))
		show_log "$log"
	else
		echo "FAIL $tag: unexpected exit status $rc (${el} s)"
		nfail=$((nfail + 1))
		show_log "$log"
	fi
done <"$list"

echo "$npass passed, $nfail failed, $nskip skipped"
[ $nfail -eq 0 ]
