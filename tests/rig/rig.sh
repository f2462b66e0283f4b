#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host side of the rig: boot the Xen hypervisor under QEMU (TCG) with a dom0
# initramfs that carries the xl toolstack and the recipe (recipe.sh), which
# runs a PV domU through boot, guest checks, save/restore and live migration.
# This script builds the initramfs images, runs QEMU under a timeout, shows
# the recipe's progress, and on failure prints the tails of the Xen and
# guest consoles.  Exit status 0 only if every step passed.
#
# Environment:
#   DOM0, DOMU   stock | xenpv | debug | path to a bzImage (default stock)
#                A kernel's modules are in modules/lib/modules/ beside its
#                image (out/VARIANT/), or for an unpacked package's
#                boot/vmlinuz-* in the package's lib/modules/.
#   VCPUS        domU vCPUs (1, 2 or 4)                 (default 1)
#   MODE         rig | run | interactive | script      (default rig)
#   RUN          command for MODE=run
#   RIG_SCRIPT   dom0 script for MODE=script, sourced by recipe.sh after the
#                guest boots; RIG_FILES: a directory it finds at /rig/files
#   SAVES, SAVE_CANCEL, ABORTS, MIGRATES, STRESS, BALLOON, DISKS, DISK_MIB,
#   GUEST_TESTS, MEMORY, DOMU_CMDLINE: see recipe.sh
#   RIG_TIMEOUT  seconds for the whole QEMU run         (default 3000)
#   RIG_ICOUNT   QEMU -icount argument, e.g. shift=0,sleep=off: the
#                machine's clock counts instructions instead of following
#                the host (single-threaded TCG); bench/ uses it so that
#                timer ticks per operation do not follow the host's speed
#   RIG_TCG_THREAD  multi or single: QEMU's TCG threads (default multi,
#                single with RIG_ICOUNT).  QEMU before 8.1 (Debian 12 has
#                7.2) can run a stale int3 that a guest's static-key
#                patching removed, with more than one thread
#                (tests/rig/qemu-mttcg-check.sh); make soak runs single
#   DOMU_ROOT    a directory overlaid on the domU's initramfs (e.g. LTP)
#   STRESSNG     1: the domU gets a read-only disk with Debian's stress-ng
#                and redis-server; the recipe runs stress-ng beside its own
#                stress, bench/ measures both (default 1 in
#                MODE=rig, 0 in the other modes)

set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$TOP/tests/rig
CACHE=${XENPV_CACHE:-/var/cache/xenpv}
XEN=${XEN_IMAGE:-$CACHE/xen/xen-shadow-perfc}
OUT=$TOP/out/rig
MODE=${MODE:-rig}
STRESSNG=${STRESSNG:-$([ "$MODE" = rig ] && echo 1 || echo 0)}
VCPUS=${VCPUS:-1}
RIG_TIMEOUT=${RIG_TIMEOUT:-3000}
# -icount needs a single TCG thread.
RIG_TCG_THREAD=${RIG_TCG_THREAD:-$([ -n "${RIG_ICOUNT:-}" ] && echo single || echo multi)}

die() {
	echo "rig: FAILED: $*" >&2
	exit 1
}

. "$HERE/kernels.sh"
. "$HERE/stale-int3.sh"
DOM0_K=$(kernel_image "${DOM0:-stock}")
DOMU_K=$(kernel_image "${DOMU:-stock}")
[ -f "$XEN" ] || die "no hypervisor image $XEN (run scripts/deps.sh)"
[ -f "$DOM0_K" ] || die "dom0 kernel '$DOM0_K' does not exist (DOM0=${DOM0:-stock}; build it with make kernel)"
[ -f "$DOMU_K" ] || die "domU kernel '$DOMU_K' does not exist (DOMU=${DOMU:-stock}; build it with make kernel)"
# Both kernels are modular (configs/base.config): their inits load the Xen
# drivers with modprobe, so a kernel without its modules cannot pass.
DOM0_M=$(kernel_modules "$DOM0_K")
DOMU_M=$(kernel_modules "$DOMU_K")
[ -n "$DOM0_M" ] || die "no modules for the dom0 kernel $DOM0_K"
[ -n "$DOMU_M" ] || die "no modules for the domU kernel $DOMU_K"
case "$VCPUS" in 1 | 2 | 4) ;; *) die "VCPUS must be 1, 2 or 4 (QEMU has 2 CPUs; 4 vCPUs share them)" ;; esac

mkdir -p "$OUT/logs"

# dom0's base image changes only with the rig scripts or the toolstack.
base=$OUT/dom0-base.cpio.gz
if [ ! -f "$base" ] || [ -n "$(find "$HERE" /usr/lib/xen-4.17/bin/xl -newer "$base" 2>/dev/null | head -1)" ]; then
	"$HERE/mkroot.sh" dom0 "$base" || die "building the dom0 initramfs"
fi
# The stress-ng image changes only with the package or mkroot.sh.
tools=$OUT/tools.img
if [ "$STRESSNG" = 1 ] && { [ ! -f "$tools" ] || [ -n "$(find /usr/bin/stress-ng /usr/bin/redis-check-rdb "$HERE/mkroot.sh" -newer "$tools")" ]; }; then
	"$HERE/mkroot.sh" tools "$tools" >/dev/null || die "building the stress-ng image"
fi
guestbin=$TOP/out/guest/bin
make -s -C "$TOP/tests/guest" OUT="$TOP/out/guest" >/dev/null || die "building tests/guest"

# dom0's own test programs (tests/rig/dom0/), against the toolstack's libraries
dom0bin=$OUT/dom0-bin
mkdir -p "$dom0bin"
for src in "$HERE"/dom0/*.c; do
	bin=$dom0bin/$(basename "$src" .c)
	[ "$bin" -nt "$src" ] && [ "$bin" -nt "$HERE/dom0/check.h" ] && continue
	gcc -O2 -Wall -Wextra -Werror -o "$bin" "$src" -lxengnttab -lxenforeignmemory -lxenctrl -lxentoollog || die "building $src"
done

# Everything specific to this run lives in its own directory, so rigs
# started side by side do not clobber each other's images.
run=$(mktemp -d)
trap 'rm -rf "$run"' EXIT
mkdir -p "$run/rig"
MODULES=$DOMU_M "$HERE/mkroot.sh" domU "$run/rig/domU.cpio.gz" "$guestbin" "${DOMU_ROOT:-}" ||
	die "building the domU initramfs"
cp "$DOMU_K" "$run/rig/domU-bzImage"
cp -a "$dom0bin" "$run/rig/bin"
cp -a "$DOM0_M/lib" "$run/"
[ "$STRESSNG" = 1 ] && cp "$tools" "$run/rig/tools.img"
{
	echo "MODE=$MODE"
	echo "VCPUS=$VCPUS"
	for v in SAVES MIGRATES STRESS BALLOON DISKS DISK_MIB GUEST_TESTS GUEST_TESTS_TIMEOUT MEMORY DOMU_CMDLINE INTEGRITY_MIB RUN_TIMEOUT GCMD_POLL SAVE_CANCEL ABORTS STRESSNG; do
		[ -n "${!v:-}" ] && printf '%s=%q\n' "$v" "${!v}"
	done
	true
} >"$run/rig/config"
printf '%s\n' "${RUN:-true}" >"$run/rig/run-cmd"
if [ "$MODE" = script ]; then
	[ -f "${RIG_SCRIPT:-}" ] || die "MODE=script needs RIG_SCRIPT=<dom0 script>"
	cp "$RIG_SCRIPT" "$run/rig/script.sh"
	# Extra files for the script (e.g. workload binaries) go to /rig/files.
	[ -d "${RIG_FILES:-}" ] && cp -a "$RIG_FILES" "$run/rig/files"
fi
"$HERE/mkroot.sh" extra "$run/extra.cpio.gz" "$run" || die "building the run archive"
cat "$base" "$run/extra.cpio.gz" >"$run/dom0-run.cpio.gz"
rm -rf "$run/rig" "$run/lib"

# dom0's DMA: a scratch SATA disk (AHCI) that the recipe writes and reads
# back (step dom0-dma); swiotlb=force sends every DMA through swiotlb-xen's
# bounce buffers, the machine-contiguous regions the PV MMU layer made.
# xenpv_selfcheck=1: a xenpv kernel checks its MMU invariants at boot (off
# by default); a stock kernel hands the unknown parameter to /init as an
# environment variable, which nothing reads.  The domU gets it too
# (recipe.sh).
truncate -s 64M "$run/scratch.img"
XEN_CMDLINE="console=com1 com1=115200,8n1 dom0_mem=768M,max:768M dom0_max_vcpus=2 loglvl=all guest_loglvl=all smap=0 spec-ctrl=eager-fpu ${XEN_EXTRA:-}"
DOM0_CMDLINE="console=hvc0 earlyprintk=xen rdinit=/init swiotlb=force xenpv_selfcheck=1 ${DOM0_EXTRA:-}"
QEMU=(qemu-system-x86_64 -machine q35 -accel "tcg,thread=$RIG_TCG_THREAD" -cpu max -smp 2 -m 2560
	-display none -vga none -nic none -no-reboot -monitor none
	-drive "if=none,id=scratch,format=raw,file=$run/scratch.img"
	-device ide-hd,drive=scratch,bus=ide.0
	-kernel "$XEN" -append "$XEN_CMDLINE"
	-initrd "$DOM0_K ${DOM0_CMDLINE//,/,,},$run/dom0-run.cpio.gz")
[ -n "${RIG_ICOUNT:-}" ] && QEMU+=(-icount "$RIG_ICOUNT")
# RIG_QEMU_EXTRA: further QEMU arguments, split on blanks (e.g. a -plugin).
[ -n "${RIG_QEMU_EXTRA:-}" ] && read -ra extra <<<"$RIG_QEMU_EXTRA" && QEMU+=("${extra[@]}")

echo "rig: xen=$XEN dom0=$DOM0_K domU=$DOMU_K vcpus=$VCPUS mode=$MODE tcg=$RIG_TCG_THREAD${RIG_ICOUNT:+ icount=$RIG_ICOUNT}"
if [ "$MODE" = interactive ]; then
	exec timeout --foreground "$RIG_TIMEOUT" "${QEMU[@]}" -serial stdio
fi

# run_qemu ATTEMPT: boot the rig once, following the recipe's RIG: lines;
# give up early if dom0 never reaches its /init.
run_qemu() {
	log=$OUT/logs/rig-$(date +%Y%m%d-%H%M%S)-$$-$1.log
	ln -sf "$(basename "$log")" "$OUT/logs/latest.log"
	timeout "$RIG_TIMEOUT" "${QEMU[@]}" -serial "file:$log" </dev/null >"$log.qemu" 2>&1 &
	qpid=$!
	local shown=0 n start
	start=$(date +%s)
	while kill -0 $qpid 2>/dev/null; do
		sleep 1
		[ -f "$log" ] || continue
		n=$(grep -c '^RIG: ' <(tr -d '\r' <"$log")) || true
		if [ "$n" -gt "$shown" ]; then
			tr -d '\r' <"$log" | grep -a '^RIG: ' | sed -n "$((shown + 1)),${n}p" |
				sed 's/^RIG: /rig: /'
			shown=$n
		fi
		if [ "$shown" = 0 ] && [ $(($(date +%s) - start)) -gt "${DOM0_BOOT_TIMEOUT:-400}" ]; then
			echo "rig: dom0 did not reach its /init within ${DOM0_BOOT_TIMEOUT:-400} s"
			kill $qpid 2>/dev/null || true
			break
		fi
	done
	wait $qpid 2>/dev/null && qrc=0 || qrc=$?
	qpid=
	[ "$qrc" = 124 ] && echo "rig: QEMU killed after $RIG_TIMEOUT s"
	return 0
}

qpid=
trap '[ -n "$qpid" ] && kill $qpid 2>/dev/null; rm -rf "$run"' EXIT
# A dom0 that never started the recipe is booted again, up to three boots
# in all, if the console shows QEMU's stale int3; a stock dom0, the
# baseline, gets its further boots whatever killed it (seen: about 1 boot
# in 4 died early on a loaded host).  A rig that started but did not pass
# is run once more if QEMU's stale int3 killed a kernel.  Every log is
# kept and every new boot says why.  (grep -q reads from a process
# substitution, not a pipe: under pipefail, tr's SIGPIPE when grep stops
# early at the match would read as "not started" and boot again.)
attempt=1
rerun=0
while :; do
	run_qemu $attempt
	[ -f "$log" ] || : >"$log"
	if ! grep -aq '^RIG: mode ' < <(tr -d '\r' <"$log"); then
		[ $attempt -lt 3 ] || break
		if stale_int3 "$log"; then
			why="QEMU's stale int3 (tests/rig/qemu-mttcg-check.sh)"
		elif [ "${DOM0:-stock}" = stock ]; then
			why="the stock dom0 died early"
		else
			break
		fi
		echo "rig: dom0 did not start the recipe: $why (log: $log); booting again"
		tr -d '\r' <"$log" | grep -a -E '^\(XEN\)' | tail -15 | sed 's/^/rig: | /'
	elif [ "$MODE" = rig ] && [ $rerun = 0 ] &&
		! grep -aq -E '^RIG: [0-9]+ passed, 0 failed$' < <(tr -d '\r' <"$log") &&
		stale_int3 "$log"; then
		echo "rig: a kernel died of QEMU's stale int3 (tests/rig/qemu-mttcg-check.sh; log: $log); running the rig again"
		rerun=1
	else
		break
	fi
	attempt=$((attempt + 1))
done

clean=$(tr -d '\r' <"$log")
if [ "$MODE" = run ]; then
	grep -a '^RUN| ' <<<"$clean" | sed 's/^RUN| //' || true
	rc=$(sed -n 's/^RIG: run exit \([0-9]*\)$/\1/p' <<<"$clean" | tail -1)
	if [ -z "$rc" ]; then
		echo "rig: the command did not complete; last 50 lines of the console:"
		tail -50 <<<"$clean"
		exit 1
	fi
	exit "$rc"
fi
if [ "$MODE" = script ]; then
	grep -a '^OUT| ' <<<"$clean" | sed 's/^OUT| //' || true
	rc=$(sed -n 's/^RIG: script exit \([0-9]*\)$/\1/p' <<<"$clean" | tail -1)
	if [ -z "$rc" ]; then
		echo "rig: the script did not complete; last 50 lines of the console:" >&2
		tail -50 <<<"$clean" >&2
		exit 1
	fi
	exit "$rc"
fi

summary=$(grep -a -E '^RIG: [0-9]+ passed, [0-9]+ failed$' <<<"$clean" | tail -1 | sed 's/^RIG: //') || true
nfail=$(sed -n 's/^[0-9]* passed, \([0-9]*\) failed$/\1/p' <<<"$summary")
# Xen's console must not name a domU, except for the one line each
# fail-record step's deliberate bad record (frame 0, owned by DOM_IO)
# makes in a xenpv domU.
xen_domu=$(grep -a -E '^\(XEN\) .*\bd[1-9][0-9]*(v[0-9]+)?\b' <<<"$clean" || true)
deliberate=$(grep -c -E 'Error mfn 0+: rd=d[1-9][0-9]* od=d\[IO\]' <<<"$xen_domu" || true)
failrec=$(grep -a -c -E '^RIG: step fail-record: PASS' <<<"$clean" || true)
[ "$deliberate" -le "$failrec" ] || deliberate=$failrec
warn=$(($(grep -c . <<<"$xen_domu" || true) - deliberate))
echo "rig: Xen console lines naming a domU: $warn, and $deliberate from the fail-record step (log: $log)"
if [ -z "$summary" ] || [ "${nfail:-1}" != 0 ] || [ "$warn" != 0 ]; then
	[ -z "$summary" ] && echo "rig: the recipe did not finish"
	if [ "$warn" != 0 ]; then
		echo "rig: Xen's console names a domU (beyond $deliberate fail-record line(s)):"
		head -20 <<<"$xen_domu"
	fi
	echo "rig: ---- last 50 lines of the Xen console ----"
	grep -a '^(XEN)' <<<"$clean" | tail -50
	echo "rig: ---- last 50 lines of the serial console ----"
	grep -av '^RIG: ' <<<"$clean" | tail -50
	if [ -s "$log.qemu" ]; then
		echo "rig: ---- QEMU's own output ----"
		tail -20 "$log.qemu"
	fi
	p=$(sed -n 's/^\([0-9]*\) passed.*/\1/p' <<<"$summary")
	echo "${p:-0} passed, $((${nfail:-0} + ($([ -z "$summary" ] || [ "$warn" != 0 ] && echo 1 || echo 0)))) failed"
	exit 1
fi
echo "$summary"
