#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The rig's test recipe, run by dom0's /init.  It follows Xen's osstest
# guest recipe: create the PV domU, run the guest checks, save/restore x2,
# live-migrate to localhost x2 and then x10, with a liveness check and a
# memory-integrity check after every step, then shut the guest down.  Every
# step has a timeout; the first failure dumps the guest console and stops
# the run.  Lines starting with "RIG:" are read by tests/rig/rig.sh on the
# host; the last one is "RIG: N passed, N failed".
#
# Settings come from /rig/config (see rig.sh).

. /rig/config
NAME=xenpv-domu
LOGDIR=/var/log/xen/console
SAVE=/var/tmp/$NAME.save
pass=0
fail=0
seq=0

say() { echo "RIG: $*"; }

guest_logs() { ls -t "$LOGDIR"/guest-*.log 2>/dev/null; }

dump_guest() {
	local f
	f=$(guest_logs | head -1)
	say "---- last 50 lines of the guest console ($f) ----"
	[ -n "$f" ] && tr -d '\r' <"$f" | tail -50 | sed 's/^/domU| /'
	say "---- xl list ----"
	xl list 2>&1 | sed 's/^/xl| /'
}

step_ok() {
	pass=$((pass + 1))
	say "step $1: PASS ($(($(date +%s) - step_start)) s)"
}

step_fail() {
	fail=$((fail + 1))
	say "step $1: FAIL: $2"
	dump_guest
	finish
}

finish() {
	xl destroy $NAME >/dev/null 2>&1
	say "$pass passed, $fail failed"
	sync
	reboot -f
	exit 1
}

domid() { xl domid $NAME 2>/dev/null; }

alive() { # the domain exists and has not crashed or shut down
	xl list $NAME 2>/dev/null | awk -v n=$NAME '$1 == n { s = $5 } END { exit !(s != "" && s !~ /[cs]/) }'
}

# gcmd TIMEOUT COMMAND: run COMMAND in the guest through the console agent,
# print its output, return its exit status (124 on timeout, 125 if the guest
# died).
gcmd() {
	local t=$1 id d tty f rc start
	shift
	start=$(date +%s)
	seq=$((seq + 1))
	id="c$seq"
	d=$(domid) || return 125
	tty=$(xenstore-read /local/domain/$d/console/tty 2>/dev/null) || return 125
	stty -F "$tty" raw -echo 2>/dev/null
	printf '%s %s\n' "$id" "$*" >"$tty"
	while :; do
		f=$(grep -l "^@@DONE $id " $(guest_logs) 2>/dev/null | head -1)
		if [ -n "$f" ]; then
			tr -d '\r' <"$f" | sed -n "/^@@BEGIN $id\$/,/^@@DONE $id /p" |
				sed '1d;$d' | sed 's/^/  | /'
			rc=$(tr -d '\r' <"$f" | sed -n "s/^@@DONE $id \([0-9]*\)\$/\1/p" | tail -1)
			return "${rc:-1}"
		fi
		alive || return 125
		# wall clock: on a starved dom0 one round of this loop takes seconds
		[ $(($(date +%s) - start)) -ge "$t" ] && return 124
		sleep 0.5
	done
}

why() { # text for gcmd's status
	case $1 in
	124) echo "timed out" ;;
	125) echo "guest is not running" ;;
	*) echo "exit status $1" ;;
	esac
}

# check NAME TIMEOUT COMMAND: a step made of one guest command
check() {
	local name=$1 t=$2 rc
	shift 2
	step_start=$(date +%s)
	gcmd "$t" "$@"
	rc=$?
	[ $rc = 0 ] || step_fail "$name" "'$*': $(why $rc)"
	step_ok "$name"
}

# host_step NAME TIMEOUT COMMAND: a step made of one dom0 command
host_step() {
	local name=$1 t=$2 rc
	shift 2
	step_start=$(date +%s)
	timeout "$t" "$@" >/tmp/step.log 2>&1
	rc=$?
	sed 's/^/  > /' /tmp/step.log | tail -20
	[ $rc = 0 ] || step_fail "$name" "'$*': $([ $rc = 124 ] && echo "timed out after $t s" || echo "exit status $rc")"
	step_ok "$name"
}

integrity_start() {
	STRESS=${STRESS:-10}
	if gcmd 30 test -x /usr/bin/xenpv-tests >/dev/null; then
		INTEG_CHECK="xenpv-tests integrity-check 300"
		check integrity-start 300 "xenpv-tests integrity-start ${INTEGRITY_MIB:-64}"
	else
		INTEG_CHECK="md5sum -c /run/pattern.md5"
		STRESS=0
		check integrity-start 300 "dd if=/dev/urandom of=/dev/shm/pattern bs=1M count=${INTEGRITY_MIB:-64} 2>/dev/null && md5sum /dev/shm/pattern >/run/pattern.md5"
	fi
}

after() { # liveness and integrity after a disruptive step
	check "$1:liveness" 60 "echo alive; uptime"
	check "$1:integrity" 300 "$INTEG_CHECK"
}

stress_start() {
	[ "$STRESS" -gt 0 ] || return 0
	gcmd 30 "rm -f /run/stress.rc; (xenpv-tests stress $STRESS >/run/stress.log 2>&1; echo \$? >/run/stress.rc) &" >/dev/null
}

stress_check() {
	[ "$STRESS" -gt 0 ] || return 0
	check "$1:stress" $((STRESS + 120)) \
		'while [ ! -f /run/stress.rc ]; do sleep 1; done; tail -3 /run/stress.log; exit $(cat /run/stress.rc)'
}

migrate() { # migrate NAME: live migration to localhost, stress running inside
	stress_start
	host_step "$1" 300 xl migrate -s '' $NAME 'xl migrate-receive'
	stress_check "$1"
	after "$1"
}

# balloon: xl mem-set the domU to half its memory and back while stress
# runs; the balloon driver must reach each target (current_kb within 4 MiB)
# and the integrity pattern must survive.
balloon_wait() { # NAME KIB: guest waits until its balloon holds KIB
	check "$1" 180 "i=/sys/devices/system/xen_memory/xen_memory0/info; n=0; \
		while [ \$((\$(cat \$i/current_kb) - $2)) -gt 4096 ] || \
		      [ \$(($2 - \$(cat \$i/current_kb))) -gt 4096 ]; do \
			n=\$((n + 1)); [ \$n -gt 150 ] && { echo stuck at \$(cat \$i/current_kb) kB; exit 1; }; \
			sleep 1; done; echo balloon at \$(cat \$i/current_kb) kB"
}

balloon() {
	local full=$((${MEMORY:-256} * 1024))
	stress_start
	host_step balloon-down 60 xl mem-set $NAME $((full / 2))k
	balloon_wait balloon-down:reached $((full / 2))
	host_step balloon-up 60 xl mem-set $NAME ${full}k
	balloon_wait balloon-up:reached $full
	stress_check balloon
	after balloon
}

create_guest() {
	cat >/etc/xen/$NAME.cfg <<-CFG
	name = "$NAME"
	type = "pv"
	kernel = "/rig/domU-bzImage"
	ramdisk = "/rig/domU.cpio.gz"
	extra = "console=hvc0 rdinit=/init ${DOMU_CMDLINE:-}"
	memory = ${MEMORY:-256}
	maxmem = ${MEMORY:-256}
	vcpus = ${VCPUS:-1}
	on_crash = "preserve"
	on_reboot = "destroy"
	CFG
	step_start=$(date +%s)
	timeout 120 xl create /etc/xen/$NAME.cfg >/tmp/step.log 2>&1 ||
		{ cat /tmp/step.log; step_fail boot "xl create failed"; }
	n=0
	until tr -d '\r' <"$(guest_logs | head -1)" 2>/dev/null | grep -q '^@@READY'; do
		alive || step_fail boot "the domU died while booting"
		n=$((n + 1))
		[ $n -ge 600 ] && step_fail boot "no @@READY from the guest within 300 s"
		sleep 0.5
	done
	step_ok boot
}

[ "${MODE:-rig}" = interactive ] && DOMU_CMDLINE="${DOMU_CMDLINE:-} xenpv.shell"
say "mode ${MODE:-rig}, domU vcpus ${VCPUS:-1}, memory ${MEMORY:-256} MiB"
create_guest

case "${MODE:-rig}" in
run)
	gcmd "${RUN_TIMEOUT:-3600}" "$(cat /rig/run-cmd)" >/tmp/run.out
	rc=$?
	sed 's/^  | /RUN| /' /tmp/run.out
	say "run exit $rc"
	xl destroy $NAME >/dev/null 2>&1
	reboot -f
	;;
script)
	# A caller-supplied dom0 script (e.g. bench/), with gcmd and friends
	# available; lines it prints starting with "OUT| " reach the host.
	. /rig/script.sh
	say "script exit $?"
	xl destroy $NAME >/dev/null 2>&1
	reboot -f
	;;
interactive)
	say "domU console follows; Ctrl-] leaves and powers the rig off"
	xl console $NAME
	xl destroy $NAME >/dev/null 2>&1
	reboot -f
	;;
esac

# A xenpv kernel checks its own invariants at boot (arch/x86/xenpv/
# selfcheck.c); its console must say they held.  Stock kernels print no
# "xenpv:" line and skip this.
check self-check 30 'if dmesg | grep -q "xenpv:"; then dmesg | grep "xenpv: self-check" | sed "s/^\[[ 0-9.]*\] //"; dmesg | grep -q "xenpv: self-check passed"; else echo "not a xenpv kernel"; fi'

integrity_start
[ "${GUEST_TESTS:-1}" = 1 ] && gcmd 10 test -x /usr/bin/xenpv-tests >/dev/null &&
	check guest-tests "${GUEST_TESTS_TIMEOUT:-900}" "xenpv-tests"

[ "${BALLOON:-1}" = 1 ] && balloon

i=1
while [ $i -le "${SAVES:-2}" ]; do
	host_step "save$i" 300 xl save $NAME $SAVE
	host_step "restore$i" 300 xl restore $SAVE
	rm -f $SAVE
	after "save-restore$i"
	i=$((i + 1))
done

m=1
for batch in ${MIGRATES:-2 10}; do
	i=1
	while [ $i -le "$batch" ]; do
		migrate "migrate$m"
		i=$((i + 1))
		m=$((m + 1))
	done
done

step_start=$(date +%s)
timeout 120 xl shutdown -w $NAME >/tmp/step.log 2>&1 || { cat /tmp/step.log; step_fail shutdown "xl shutdown -w did not finish"; }
step_ok shutdown
say "$pass passed, $fail failed"
