#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The rig's test recipe, run by dom0's /init.  It follows Xen's osstest
# guest recipe: create the PV domU, run the guest checks, save/restore x2,
# live-migrate to localhost x2 and then x10, with a liveness check and a
# memory-integrity check after every step, then shut the guest down.  The
# domU has file-backed disks (DISKS): one served by the kernel's blkback,
# one by QEMU's Xen disk backend (qdisk) in dom0; a file written at boot is
# read back after every step, and finally from dom0 off the image itself.
# dom0 also maps grants (good and bad) and does DMA through swiotlb-xen.
# Every step has a timeout; the first failure dumps the guest console and stops
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

# What a kernel report on a console starts with (dump_guest, step splats).
SPLAT='cut here \]-|WARNING: |BUG: |Oops: |kernel BUG at|general protection fault|INFO: task .* blocked'

dump_guest() {
	local f first
	f=$(guest_logs | head -1)
	# the first kernel report whole, if the tail below does not show it
	first=$([ -n "$f" ] && tr -d '\r' <"$f" | grep -n -m1 -E "$SPLAT|Kernel panic" | cut -d: -f1)
	if [ -n "$first" ] && [ "$first" -lt $(($(wc -l <"$f") - 50)) ]; then
		say "---- the first report on the guest console, line $first ----"
		tr -d '\r' <"$f" | sed -n "$first,$((first + 59))p" | sed 's/^/domU| /'
	fi
	say "---- last 50 lines of the guest console ($f) ----"
	[ -n "$f" ] && tr -d '\r' <"$f" | tail -50 | sed 's/^/domU| /'
	say "---- xl list ----"
	xl list 2>&1 | sed 's/^/xl| /'
	# the disks' backends: libxl's hotplug scripts and QEMU
	for f in /var/log/xen/xen-hotplug.log /var/log/xen/qemu-dm-*.log; do
		[ -s "$f" ] || continue
		say "---- last 30 lines of $f ----"
		tail -30 "$f" | sed 's/^/log| /'
	done
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
		# GCMD_POLL: seconds between looks (bench/prof: long, so that
		# dom0 stays out of the profiled windows)
		sleep "${GCMD_POLL:-0.5}"
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

# The integrity pattern is 32 MiB by default: at half its 256 MiB (the
# balloon step) the domU has ~97 MiB for user space, and the stress
# workers (up to 32 MiB), the disks' page cache and the tests need room
# beside it; 64 MiB got the pattern's daemon OOM-killed.
integrity_start() {
	STRESS=${STRESS:-10}
	INTEG_CHECK="xenpv-tests integrity-check 300"
	check integrity-start 300 "xenpv-tests integrity-start ${INTEGRITY_MIB:-32}"
}

# ---- the domU's disks ----
# DISKS names the backends, one disk each: "phy" is a file that libxl's
# block script puts behind a loop device for the kernel's blkback, "qdisk"
# is a file that QEMU (xen-qemu-system-i386, started by libxl) serves.
# DISK_MIB is their size (sparse files: only what the guest writes takes
# dom0's memory).
DISKS=${DISKS:-phy qdisk}
[ "$DISKS" = none ] && DISKS=
disk_vdev() { case $1 in phy) echo xvda ;; qdisk) echo xvdb ;; esac; }
disk_img() { echo "/var/tmp/disk-$1.img"; }

# STRESSNG=1 (rig.sh; on by default in a rig run): rig.sh puts an ext4 image of
# Debian's stress-ng at /rig/tools.img, too big for the domU's initramfs;
# the domU gets it as a read-only disk (xvdc, blkback on a read-only loop
# device; QEMU 7.2's qdisk refuses read-only disks) and chroots into it.
[ -f /rig/tools.img ] || STRESSNG=0

disk_cfg() { # the xl config's disk line
	local k sep=
	printf 'disk = ['
	for k in $DISKS; do
		printf "%s'format=raw, vdev=%s, access=rw, backendtype=%s, target=%s'" \
			"$sep" "$(disk_vdev "$k")" "$k" "$(disk_img "$k")"
		sep=', '
	done
	[ "$STRESSNG" = 1 ] &&
		printf "%s'format=raw, vdev=xvdc, access=ro, backendtype=phy, target=/rig/tools.img'" "$sep"
	echo ']'
}

disks_create() { # sparse images (DISK_MIB, default 64) in dom0's RAM-backed root
	local k
	for k in $DISKS; do
		case $k in phy | qdisk) ;; *) echo "RIG: FATAL: unknown disk kind '$k'"; finish ;; esac
		rm -f "$(disk_img "$k")"
		dd if=/dev/zero of="$(disk_img "$k")" bs=1M count=0 seek="${DISK_MIB:-64}" 2>/dev/null
	done
}

# disks_backends STEP: each disk is served by the backend it names
# (xenstore's backend directory for the domain; a QEMU process for qdisk).
disks_backends() {
	local k d cmd=true
	[ -n "$DISKS" ] || return 0
	d=$(domid)
	for k in $DISKS; do
		case $k in
		phy) cmd="$cmd && xenstore-ls /local/domain/0/backend/vbd/$d | grep -E '^ *(params|physical-device|state) '" ;;
		qdisk) cmd="$cmd && xenstore-ls /local/domain/0/backend/qdisk/$d | grep -E '^ *(params|state) ' && echo qemu: \$(pidof xen-qemu-system-i386)" ;;
		esac
	done
	host_step "$1:disk-backends" 30 sh -c "$cmd"
}

# disks_write: in the guest, make a filesystem on each disk, write 16 MiB
# of random data and keep its checksum (in the guest and here in dom0).
disks_write() {
	local k m
	for k in $DISKS; do
		m=/mnt/$k
		check "disk-write:$k" 120 "mke2fs -q /dev/$(disk_vdev "$k") && mkdir -p $m && \
			mount /dev/$(disk_vdev "$k") $m && \
			dd if=/dev/urandom of=$m/data bs=1M count=16 2>/dev/null && sync && \
			md5sum $m/data | tee /run/disk-$k.md5"
		# not in a $(...) subshell: gcmd must count its command ids here
		gcmd 30 cat /run/disk-$k.md5 >/tmp/disk.sum
		eval "disk_sum_$k=$(awk '{ print $2 }' /tmp/disk.sum)"
	done
}

# disks_check STEP: with the page cache dropped, the data must read back
# intact through the frontend, and a new file must write and read back.
disks_check() {
	local k cmd=
	[ -n "$DISKS" ] || return 0
	for k in $DISKS; do
		cmd="$cmd dd if=/dev/urandom of=/mnt/$k/step bs=64k count=16 2>/dev/null && \
			md5sum /mnt/$k/step >/run/step-$k.md5 &&"
	done
	cmd="$cmd sync && echo 3 >/proc/sys/vm/drop_caches"
	for k in $DISKS; do
		cmd="$cmd && md5sum -c /run/disk-$k.md5 && md5sum -c /run/step-$k.md5"
	done
	check "$1:disks" 120 "$cmd"
}

disks_umount() {
	local k
	for k in $DISKS; do
		check "disk-umount:$k" 60 "umount /mnt/$k"
	done
}

# disks_readback: after the guest is gone, dom0 mounts each image and
# checks the file the guest wrote at boot.
disks_readback() {
	local k sum
	for k in $DISKS; do
		eval "sum=\$disk_sum_$k"
		mkdir -p /mnt/$k
		host_step "disk-readback:$k" 60 sh -c "mount -o ro,loop $(disk_img "$k") /mnt/$k && \
			md5sum /mnt/$k/data && md5sum /mnt/$k/data | grep -q '^$sum '; rc=\$?; \
			umount /mnt/$k; exit \$rc"
		rm -f "$(disk_img "$k")"
	done
}

after() { # liveness and integrity after a disruptive step
	check "$1:liveness" 60 "echo alive; uptime"
	check "$1:integrity" 300 "$INTEG_CHECK"
	disks_check "$1"
	case $1 in save-restore* | migrate*) disks_backends "$1" ;; esac
}

# tools_mount: the stress-ng image at /x in the guest, with the kernel's
# filesystems bound in for the chroot (tests/guest/xenpv-tools-mount).
tools_mount() {
	[ "$STRESSNG" = 1 ] || return 0
	check tools-mount 60 "xenpv-tools-mount && chroot /x stress-ng --version"
}

# The external stressor beside our own: stress-ng's fork, vm, mmap, mremap,
# mprotect, madvise and exec stressors, with --verify (checked by those
# that have it), as an unprivileged user (exec refuses root).  Sizes are
# small enough for the balloon step's half-size guest.  exec runs without
# its threads (--exec-no-pthread): a thread's exec waits in de_thread(),
# not freezable, for its sibling threads to die, and a sibling the
# suspend freezer has frozen never does, so the guest refuses to suspend
# (Linux's own behaviour with either PV MMU: soak, 2026-12-04, migration
# 57 of 100).
STRESSNG_ARGS='--temp-path /tmp --verify --metrics-brief --fork 1 --vm 1 --vm-bytes 2M
	--mmap 1 --mmap-bytes 1M --mremap 1 --mremap-bytes 1M --mprotect 1 --madvise 1
	--exec 1 --exec-max 4 --exec-no-pthread'

stress_start() {
	[ "$STRESS" -gt 0 ] || return 0
	gcmd 30 "rm -f /run/stress.rc; (xenpv-tests stress $STRESS >/run/stress.log 2>&1; echo \$? >/run/stress.rc) &" >/dev/null
	[ "$STRESSNG" = 1 ] || return 0
	gcmd 30 "rm -f /run/stressng.rc; (chroot /x /usr/sbin/chroot --userspec=65534:65534 / stress-ng --timeout ${STRESS}s \
		$(echo $STRESSNG_ARGS) >/run/stressng.log 2>&1; echo \$? >/run/stressng.rc) &" >/dev/null
}

# stress_check STEP: both stressors ended cleanly; stress-ng's exit status
# is non-zero on a failed stressor or verification, and it reports those
# as "fail:" or "error:" lines.
stress_check() {
	[ "$STRESS" -gt 0 ] || return 0
	check "$1:stress" $((STRESS + 120)) \
		'while [ ! -f /run/stress.rc ]; do sleep 1; done; tail -3 /run/stress.log; exit $(cat /run/stress.rc)'
	[ "$STRESSNG" = 1 ] || return 0
	check "$1:stress-ng" $((STRESS + 120)) 'while [ ! -f /run/stressng.rc ]; do sleep 1; done; '\
'grep -E "metrc|fail|error|successful" /run/stressng.log | sed "s/^stress-ng: //"; '\
'! grep -q -E "fail:|error:" /run/stressng.log && exit $(cat /run/stressng.rc)'
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

# The domU's maxmem is EXTRA_MIB above its memory: Linux plans that much
# extra memory at boot and the balloon fills it when the target rises.
# With every p2m allocation set to fail (debugfs xenpv/fail_p2m_alloc) the
# balloon must still reach maxmem (a xenpv kernel gives planned extra
# memory private p2m leaves at boot, because Linux's balloon does not
# check the p2m store), and with one allocation set to fail, a target
# beyond maxmem (the balloon hot-adds memory, whose p2m leaves it must
# allocate) must be refused cleanly: one "no memory added" warning, one
# allocation failure counted, no new memory block, no p2m leaf leaked.
EXTRA_MIB=${EXTRA_MIB:-64}
XP=/sys/kernel/debug/xenpv
# P2MSTAT: the start of a fault-injection command: skip a kernel without
# xenpv's debugfs; p NAME prints one counter of xenpv/p2m.
P2MSTAT="[ -e $XP/fail_p2m_alloc ] || { echo not a xenpv kernel; exit 0; }; "
P2MSTAT=$P2MSTAT'p() { sed -n "s/^$1 //p" '$XP'/p2m; }; '
FAULTP2M=$P2MSTAT'd=/sys/devices/system/xen_memory/xen_memory0; w() { dmesg | grep -c "no memory added"; }; '
FAULTP2M=$FAULTP2M'b0=$(ls -d /sys/devices/system/memory/memory* | wc -l); w0=$(w); f0=$(p alloc_failures); l0=$(p private_leaves_allocated); '
FAULTP2M=$FAULTP2M't=$(cat $d/target_kb); echo 1 >'$XP'/fail_p2m_alloc; echo $((t + 262144)) >$d/target_kb; '
FAULTP2M=$FAULTP2M'n=0; while [ $(w) = $w0 ] && [ $n -lt 60 ]; do sleep 1; n=$((n + 1)); done; echo $t >$d/target_kb; '
FAULTP2M=$FAULTP2M'left=$(cat '$XP'/fail_p2m_alloc); echo 0 >'$XP'/fail_p2m_alloc; dmesg | grep "no memory added" | tail -1; '
FAULTP2M=$FAULTP2M'b1=$(ls -d /sys/devices/system/memory/memory* | wc -l); f1=$(p alloc_failures); l1=$(p private_leaves_allocated); '
FAULTP2M=$FAULTP2M'echo "warnings +$(($(w) - w0)), alloc failures +$((f1 - f0)), private leaves +$((l1 - l0)), memory blocks $b0 -> $b1, armed 1 left $left"; '
FAULTP2M=$FAULTP2M'[ $(($(w) - w0)) = 1 ] && [ $((f1 - f0)) = 1 ] && [ $l1 = $l0 ] && [ $b1 = $b0 ] && [ $left = 0 ]'

balloon_extra() {
	local full=$((${MEMORY:-256} * 1024)) max=$(((${MEMORY:-256} + EXTRA_MIB) * 1024))
	stress_start
	check balloon-extra:arm 30 "if [ -e $XP/fail_p2m_alloc ]; then echo 1000000 >$XP/fail_p2m_alloc; \
		echo p2m allocations set to fail: \$(cat $XP/fail_p2m_alloc); else echo not a xenpv kernel; fi"
	host_step balloon-extra-up 60 xl mem-set $NAME ${max}k
	balloon_wait balloon-extra-up:reached $max
	check balloon-extra:no-p2m-alloc 30 "[ -e $XP/fail_p2m_alloc ] || exit 0; n=\$(cat $XP/fail_p2m_alloc); \
		echo 0 >$XP/fail_p2m_alloc; echo p2m allocations tried: \$((1000000 - n)); [ \$n = 1000000 ]"
	check fault-p2m:hotplug 120 "$FAULTP2M"
	host_step balloon-extra-down 60 xl mem-set $NAME ${full}k
	balloon_wait balloon-extra-down:reached $full
	stress_check balloon-extra
	after balloon-extra
}

# save-cancel: `xl save -c` writes a checkpoint and lets the domain run
# on: the guest's suspend returns "cancelled", and everything it changed
# for the tools (pinned tables, the p2m frame lists) must be as before.
# The checkpoint is then restored beside it, as a second domain with copies
# of the disk images, and both must pass the checks.
save_cancel() {
	local copy=$NAME-copy k
	host_step save-cancel 300 xl save -c $NAME $SAVE
	after save-cancel
	for k in $DISKS; do cp "$(disk_img "$k")" "$(disk_img "$k").copy"; done
	sed -e "s/^name = .*/name = \"$copy\"/" -e "s|\(target=/var/tmp/[^']*\)'|\1.copy'|g" \
		/etc/xen/$NAME.cfg >/etc/xen/$copy.cfg
	host_step checkpoint-restore 300 xl restore /etc/xen/$copy.cfg $SAVE
	rm -f $SAVE
	NAME=$copy
	check checkpoint-copy:liveness 60 "echo alive; uptime"
	check checkpoint-copy:integrity 300 "$INTEG_CHECK"
	host_step checkpoint-copy:destroy 60 xl destroy $copy
	NAME=${copy%-copy}
	for k in $DISKS; do rm -f "$(disk_img "$k").copy"; done
	after save-cancel:original
}

# abort_migrate NAME RECEIVER: a live migration whose receiving side dies;
# xl migrate must fail and the source domain must run on, intact.
abort_migrate() {
	local name=$1 rc
	shift
	stress_start
	step_start=$(date +%s)
	timeout 300 xl migrate -s '' $NAME "$*" >/tmp/step.log 2>&1
	rc=$?
	sed 's/^/  > /' /tmp/step.log | tail -8
	[ $rc = 0 ] && step_fail "$name" "the migration completed; the receiver was meant to die"
	[ $rc = 124 ] && step_fail "$name" "xl migrate did not return within 300 s"
	xl destroy $NAME--incoming >/dev/null 2>&1
	alive || step_fail "$name" "the source domain is not running after the failed migration"
	step_ok "$name"
	stress_check "$name"
	after "$name"
}

# The receiver of abort-final: takes the stream until the source has
# suspended the guest for the last round, then is killed ($$ is the
# receiver itself once the script has exec'd it).
cat >/tmp/recv-die-final <<-EOF2
#!/bin/sh
( while xl list $NAME >/dev/null 2>&1; do
	xl list $NAME | awk '\$1 == "$NAME" { exit !(\$5 ~ /s/) }' && { kill -9 \$\$; exit 0; }
	sleep 0.05
  done ) &
exec xl migrate-receive
EOF2
chmod +x /tmp/recv-die-final

create_guest() {
	cat >/etc/xen/$NAME.cfg <<-CFG
	name = "$NAME"
	type = "pv"
	kernel = "/rig/domU-bzImage"
	ramdisk = "/rig/domU.cpio.gz"
	extra = "console=hvc0 rdinit=/init xenpv_selfcheck=1 ${DOMU_CMDLINE:-}"
	memory = ${MEMORY:-256}
	maxmem = $((${MEMORY:-256} + EXTRA_MIB))
	vcpus = ${VCPUS:-1}
	on_crash = "preserve"
	on_reboot = "destroy"
	$(disk_cfg)
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
say "mode ${MODE:-rig}, domU vcpus ${VCPUS:-1}, memory ${MEMORY:-256} MiB, disks: ${DISKS:-none}$([ "$STRESSNG" = 1 ] && echo ", stress-ng image")"
# MODCHECK: every module the init of this kernel (dom0-init, domU-init)
# asked modprobe for is loaded, and modprobe said nothing.
MODCHECK='r=0; for m in $(cat /run/modules.want); do '
MODCHECK=$MODCHECK'grep -q "^$(echo $m | tr - _) " /proc/modules || { echo "$m: not loaded"; r=1; }; done; '
MODCHECK=$MODCHECK'echo "$(wc -l </proc/modules) modules loaded from /lib/modules/$(uname -r)"; '
MODCHECK=$MODCHECK'cat /run/modules.err; [ $r = 0 ] && [ ! -s /run/modules.err ]'
host_step dom0-modules 30 sh -c "$MODCHECK"
disks_create
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
# selfcheck.c; off by default, on here through xenpv_selfcheck=1 in the
# domU's command line); its console must say they held.  Stock kernels
# print no "xenpv:" line and skip this.
check modules 30 "$MODCHECK"
check self-check 30 'if dmesg | grep -q "xenpv:"; then dmesg | grep "xenpv: self-check" | sed "s/^\[[ 0-9.]*\] //"; dmesg | grep -q "xenpv: self-check passed"; else echo "not a xenpv kernel"; fi'

# A record Xen refuses is reported exactly once, naming the record and the
# code that queued it, and the rest of its batch is still applied
# (debugfs xenpv/fail_record queues 100 records, record 50 naming a frame
# the domain does not own).  FAILREC below runs in the domU and in dom0.
FAILREC='f=/sys/kernel/debug/xenpv/fail_record; b=/sys/kernel/debug/xenpv/batch; '
FAILREC=$FAILREC'if [ ! -e $f ]; then echo "not a xenpv kernel"; exit 0; fi; '
FAILREC=$FAILREC'c=$(dmesg | grep -c "xenpv: cpu"); r0=$(grep "^reissued " $b); echo 100 >$f || exit 1; '
FAILREC=$FAILREC'n=$(($(dmesg | grep -c "xenpv: cpu") - c)); r1=$(grep "^reissued " $b); '
FAILREC=$FAILREC'dmesg | grep -A2 "xenpv: cpu" | tail -3; echo "$n report(s); $r0 -> $r1"; [ "$n" = 1 ] && '
FAILREC=$FAILREC'dmesg | grep "xenpv: cpu" | tail -1 | grep -q "mmu_update failed (op 1) result -[0-9]*, record 50 of 100, queued by fail_record_write" && '
FAILREC=$FAILREC'[ "${r1#reissued }" = $((${r0#reissued } + 1)) ]'
check fail-record 30 "$FAILREC"
host_step dom0-fail-record 30 sh -c "$FAILREC"

integrity_start
disks_backends boot
disks_write
tools_mount
# dom0 maps grants through gntdev, with bad references among them, while the
# guest's disks are in use; a mapping left behind keeps a grant busy, which
# the kernel reports when the grant is ended (tests/rig/dom0/xenpv-granttest.c)
host_step dom0-grants 120 sh -c "/rig/bin/xenpv-granttest 200 && sleep 2 && \
	! dmesg | grep -E 'g\.e\. .*(still|leaking)|xenpv: (no p2m|undoing)'"
# dom0 maps the domU's frames the way the save tools do, with frames the
# domU does not own in every other slot: each must fail alone
# (tests/rig/dom0/xenpv-foreigntest.c)
host_step dom0-foreign 120 /rig/bin/xenpv-foreigntest "$(domid)" 200

# Grant and foreign maps in a xenpv dom0 while every p2m allocation fails.
# Neither needs one, so neither may fail: a foreign map writes page-table
# entries only, and the pages gntdev maps grants at come from the balloon
# with private p2m leaves (Linux's balloon gives a page a leaf of its own
# when it hands it out, and the pages it takes from dom0's RAM have one).
# Defined outcome: both tests pass, no allocation is tried, no leaf added.
# (When the balloon has to hot-add memory for them, its p2m allocation
# is the one the domU's step fault-p2m:hotplug makes fail.)
GRANTP2M=$P2MSTAT'f0=$(p alloc_failures); l0=$(p private_leaves_allocated); echo 1000000 >'$XP'/fail_p2m_alloc; rc=0; '
GRANTP2M=$GRANTP2M'/rig/bin/xenpv-granttest 20 || rc=1; /rig/bin/xenpv-foreigntest "$1" 20 || rc=1; '
GRANTP2M=$GRANTP2M'left=$(cat '$XP'/fail_p2m_alloc); echo 0 >'$XP'/fail_p2m_alloc; f1=$(p alloc_failures); l1=$(p private_leaves_allocated); '
GRANTP2M=$GRANTP2M'echo "tests status $rc, allocations tried $((1000000 - left)), failures counted +$((f1 - f0)), private leaves +$((l1 - l0))"; '
GRANTP2M=$GRANTP2M'[ $rc = 0 ] && [ $left = 1000000 ] && [ $f1 = $f0 ] && [ $l1 = $l0 ]'
host_step dom0-fault-p2m:maps 120 sh -c "$GRANTP2M" sh "$(domid)"
# dom0 DMA through swiotlb-xen (rig.sh gives dom0 a scratch SATA disk and
# swiotlb=force): 16 MiB written with O_DIRECT must read back intact, both
# with O_DIRECT and through the page cache.
host_step dom0-dma 180 sh -c 'd=$(ls /sys/block | grep "^sd" | head -1); d=/dev/$d; \
	[ -b "$d" ] || { echo "no scratch disk"; exit 1; }; \
	dd if=/dev/urandom of=/var/tmp/dma.pat bs=1M count=16 2>/dev/null && \
	dd if=/var/tmp/dma.pat of=$d bs=1M oflag=direct 2>/dev/null && \
	a=$(md5sum </var/tmp/dma.pat) && rm -f /var/tmp/dma.pat && \
	b=$(dd if=$d bs=1M count=16 iflag=direct 2>/dev/null | md5sum) && \
	echo 3 >/proc/sys/vm/drop_caches && \
	c=$(dd if=$d bs=4k count=4096 2>/dev/null | md5sum) && \
	echo "$d: written ${a%% *}, read direct ${b%% *}, cached ${c%% *}" && \
	h=$(cat /sys/kernel/debug/swiotlb/io_tlb_used_hiwater 2>/dev/null) && \
	echo "swiotlb: at most ${h:-?} slots of bounce buffer in use" && \
	[ "$a" = "$b" ] && [ "$a" = "$c" ] && [ "${h:-0}" -gt 0 ]'
[ "${GUEST_TESTS:-1}" = 1 ] && check guest-tests "${GUEST_TESTS_TIMEOUT:-900}" "xenpv-tests"

[ "${BALLOON:-1}" = 1 ] && { balloon; balloon_extra; }

i=1
while [ $i -le "${SAVES:-2}" ]; do
	host_step "save$i" 300 xl save $NAME $SAVE
	host_step "restore$i" 300 xl restore $SAVE
	rm -f $SAVE
	after "save-restore$i"
	i=$((i + 1))
done

[ "${SAVE_CANCEL:-1}" = 1 ] && save_cancel

# The receiver dies in the live phase (after 32 MiB of the stream), then
# during the final stop-and-copy; a normal migration must still work after.
if [ "${ABORTS:-1}" = 1 ]; then
	abort_migrate abort-live "sh -c 'head -c 33554432 | xl migrate-receive'"
	abort_migrate abort-final /tmp/recv-die-final
fi

m=1
for batch in ${MIGRATES:-2 10}; do
	i=1
	while [ $i -le "$batch" ]; do
		migrate "migrate$m"
		i=$((i + 1))
		m=$((m + 1))
	done
done

disks_umount
[ "$STRESSNG" = 1 ] && check tools-umount 60 'umount /x/tmp /x/dev /x/sys /x/proc /x'
step_start=$(date +%s)
timeout 120 xl shutdown -w $NAME >/tmp/step.log 2>&1 || { cat /tmp/step.log; step_fail shutdown "xl shutdown -w did not finish"; }
step_ok shutdown
disks_readback

# No kernel splat on any console: the guest consoles of every domain the
# recipe started (the restored checkpoint's too) and dom0's own log.  The
# kernel's warnings, BUGs, oopses and lockdep reports all print one of
# these; a debug kernel adds lockdep and DEBUG_VM.
step_start=$(date +%s)
splats=$({ cat $(guest_logs) 2>/dev/null | tr -d '\r' | sed 's/^/domU| /'; dmesg | sed 's/^/dom0| /'; } |
	grep -E -A30 "($SPLAT)" | head -120)
if [ -n "$splats" ]; then
	echo "$splats" | sed 's/^/  > /'
	step_fail splats "kernel warnings on a console (above)"
fi
step_ok splats
say "$pass passed, $fail failed"
