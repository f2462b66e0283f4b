# SPDX-License-Identifier: GPL-2.0
#
# bench/dom0-bench.sh - dom0 side of bench/, sourced by tests/rig/recipe.sh
# (MODE=script) once the domU is up; all recipe.sh functions are available.
#
# Why this file exists: it turns the plan (/rig/files/plan: "WORKLOAD N REPS
# [ROUNDS]" per line) into counting windows.  For every workload and each of
# the rounds (the line's ROUNDS, or /rig/files/rounds if that is fewer,
# default 5) it runs the guest's xenpv-bench
# twice through xenpv-perfwin, which resets and reads Xen's counters around
# the window with no dom0 process started in between: once for real, once
# as the null twin (same set-up and signalling, operation skipped, padded
# to the real window's length); variants real.R and null.R.  The
# difference, divided by the operations performed, is the hypervisor work
# of one operation; the host (bench/report.py) does that arithmetic.  Every
# number is printed raw as "OUT| row,WORKLOAD,N,VARIANT,METRIC,VALUE" for
# bench/run.sh; a failed window prints
# "OUT| fail,WORKLOAD,N,VARIANT,REASON" and the others go on.

XB_FILES=/rig/files
XB_PW=$XB_FILES/xenpv-perfwin
XB_TIMEOUT=${XB_TIMEOUT:-600}
XB_ROUNDS=$(cat $XB_FILES/rounds 2>/dev/null || echo 5)
xb_seq=0
xb_fail=0

# xb_g TIMEOUT COMMAND: gcmd with its output in /tmp/xb-g.txt.  Never call
# gcmd inside $(...) or a pipeline: its command counter would advance in a
# subshell only, and the next call would find the old command's answer.
xb_g() {
	gcmd "$@" >/tmp/xb-g.txt
}

# Xen counters worth keeping (the scheduler's are left out).
XB_PERF='^(exceptions|page faults|writable pt emulations|calls to mmu_update|page updates|mmu_updates of writable pages|calls to mmuext_op|mmuext ops|calls to update_va_map|calls from multicall|hypercalls|copy_user faults|PG_need_flush tlb flushes|domain page tlb flushes|apic timer interrupts|sched: context switches)$'

xb_row() { # WORKLOAD N VARIANT: turn perfwin and guest output into rows
	awk -v w="$1" -v n="$2" -v v="$3" -v keep="$XB_PERF" '
	function row(m, val) { gsub(/,/, ";", m); printf "OUT| row,%s,%s,%s,%s,%s\n", w, n, v, m, val }
	$1 == "perf" { val = $NF; $1 = ""; $NF = ""; sub(/^ +/, ""); sub(/ +$/, ""); if ($0 ~ keep) row("perf:" $0, val); next }
	$1 == "hcall" { row("hcall:" $3, $4); next }
	$1 == "dom0_window_ns" { row("dom0:window_ns", $2); next }
	$1 == "guest" { $1 = "" ; sub(/^ +/, "") }
	$1 == "window_ns" || $1 == "busy_ns" || $1 == "ops" || $1 == "reps" { row("guest:" $1, $2); next }
	$1 == "unit" { $1 = ""; sub(/^ +/, ""); row("guest:unit", $0); next }
	$1 == "samples_ns" { $1 = ""; sub(/^ +/, ""); row("guest:samples_ns", $0); next }
	$1 == "xenpv" { row("xenpv:" $2, $3); next }
	$1 == "value" { row("value:" $2, $3); next }
	$1 == "proc" { row("proc:" $2, $3); next }
	'
}

# xb_window WORKLOAD N REPS VARIANT [PAD_US]: one counting window; prints
# rows; sets xb_window_ns from the guest's results.  xenpv-perfwin
# drives the whole exchange (command, window, results) on the console.
xb_window() {
	local w=$1 n=$2 reps=$3 v=$4 pad=$5 tty rc
	xb_seq=$((xb_seq + 1))
	xb_window_ns=
	tty=$(xenstore-read /local/domain/$xb_domid/console/tty) ||
		{ echo "OUT| fail,$w,$n,$v,no console"; return 1; }
	"$XB_PW" "$tty" "b$xb_seq" "xb$xb_seq.$$" "$XB_TIMEOUT" \
		xenpv-bench -s "xb$xb_seq.$$" ${pad:+-n $pad} "$w" "$n" "$reps" \
		>/tmp/xb-perf.txt 2>/tmp/xb-perf.err
	rc=$?
	if [ $rc != 0 ]; then
		echo "OUT| fail,$w,$n,$v,xenpv-perfwin status $rc: $(tr '\n' ' ' </tmp/xb-perf.err)"
		sed -n 's/^guest /OUT| #   /p' /tmp/xb-perf.txt
		return 1
	fi
	xb_row "$w" "$n" "$v" </tmp/xb-perf.txt
	xb_window_ns=$(sed -n 's/^guest window_ns //p' /tmp/xb-perf.txt)
	return 0
}

xb_start=$(date +%s)
xb_domid=$(domid)
xb_g 30 'uname -r'
echo "OUT| info,domu_kernel,$(sed 's/^  | //' /tmp/xb-g.txt | head -1)"
# (the trailing echo ends the line: the console agent's end marker must
# start a line of its own)
xb_g 30 'ls /sys/kernel/debug/xenpv 2>/dev/null | tr "\n" " "; echo'
echo "OUT| info,xenpv_debugfs,$(sed 's/^  | //' /tmp/xb-g.txt | head -1)"
if ! gcmd 30 "test -x /usr/bin/xenpv-bench" >/dev/null; then
	echo "OUT| fail,all,0,real,xenpv-bench is not in the domU's /usr/bin"
	false
else
	# Background rate: two pure idle windows; their difference has no
	# harness in it (report.py corrects for unequal window lengths).
	xb_window idle 300 1 idle || xb_fail=$((xb_fail + 1))
	xb_window idle 2300 1 idle || xb_fail=$((xb_fail + 1))
	while read -r xb_w xb_n xb_reps xb_rounds <&3; do
		case "$xb_w" in '' | '#'*) continue ;; esac
		[ -n "$xb_rounds" ] && [ "$xb_rounds" -lt "$XB_ROUNDS" ] || xb_rounds=$XB_ROUNDS
		# Redis and stress-ng: the tools image at /x and a Redis server on
		# it, from the first of them on (the server's 10 ms housekeeping
		# would add to the background of every window before).
		case "$xb_w" in
		redis-* | sng-*)
			[ -n "${xb_real:-}" ] || check real-setup 90 xenpv-real-setup ||
				xb_fail=$((xb_fail + 1))
			xb_real=1
			;;
		esac
		say "bench $xb_w $xb_n x$xb_reps, $xb_rounds rounds"
		xb_r=1
		while [ $xb_r -le "$xb_rounds" ]; do
			if ! { xb_window "$xb_w" "$xb_n" "$xb_reps" real.$xb_r && [ -n "$xb_window_ns" ] &&
				xb_window "$xb_w" "$xb_n" "$xb_reps" null.$xb_r $((xb_window_ns / 1000)); }; then
				xb_fail=$((xb_fail + 1))
			fi
			alive || break
			xb_r=$((xb_r + 1))
		done
		alive || { echo "OUT| fail,$xb_w,$xb_n,real,the guest is not running any more"; break; }
	done 3<"$XB_FILES/plan"
	echo "OUT| info,bench_seconds,$(($(date +%s) - xb_start))"
	echo "OUT| info,failed_windows,$xb_fail"
	[ "$xb_fail" = 0 ]
fi
