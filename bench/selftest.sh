#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench/selftest.sh BUILD_DIR - native checks of bench/ that need no Xen
# (make -C bench check).
#
# Why this file exists: a benchmark that silently measures the wrong thing
# is worse than none.  This runs every workload of xenpv-bench free-running
# and as a null twin, drives the console protocol (@@SYNC/go/@@FIN/end)
# through a pseudo-terminal the way xenpv-perfwin does, and checks the
# arithmetic of report.py, the verdicts of compare.py and hcalls.py's
# grouping on made-up numbers.

set -eu
BUILD=${1:?usage: selftest.sh BUILD_DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
XB=$BUILD/xenpv-bench
T=$(mktemp -d)
trap '[ ! -f "$T/redis.pid" ] || kill "$(cat "$T/redis.pid")" 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
fail() {
	echo "bench selftest: FAIL: $*" >&2
	exit 1
}

# xenpv-true must sit next to xenpv-bench for exec and shell.
cp "$XB" "$T/xenpv-bench"
if [ -x "$HERE/../out/guest/bin/xenpv-true" ]; then
	cp "$HERE/../out/guest/bin/xenpv-true" "$T/"
else
	printf '#!/bin/sh\nexit 0\n' >"$T/xenpv-true"
	chmod +x "$T/xenpv-true"
fi

check() { # WORKLOAD N REPS EXPECTED_OPS EXPECTED_SAMPLES
	"$T/xenpv-bench" "$1" "$2" "$3" >"$T/out" || fail "$1 exited with $?"
	grep -qx "bench $1" "$T/out" || fail "$1: no bench line"
	grep -qx "ops $4" "$T/out" || fail "$1: ops is not $4: $(grep ^ops "$T/out")"
	got=$(sed -n 's/^samples_ns//p' "$T/out" | wc -w)
	[ "$got" = "$5" ] || fail "$1: $got samples, expected $5"
	grep -qx end "$T/out" || fail "$1: no end line"
	busy=$(sed -n 's/^busy_ns //p' "$T/out")
	[ "$busy" -gt 0 ] || fail "$1: no busy time"
	# The null twin: as many samples (the stopwatch alone), no busy time,
	# the window padded to 50 ms.
	"$T/xenpv-bench" -n 50000 "$1" "$2" "$3" >"$T/out" || fail "$1 -n exited with $?"
	grep -qx "null 1" "$T/out" || fail "$1 -n: not marked null"
	got=$(sed -n 's/^samples_ns//p' "$T/out" | wc -w)
	[ "$got" = "$5" ] || fail "$1 -n: $got samples, expected $5"
	[ "$(sed -n 's/^busy_ns //p' "$T/out")" = 0 ] || fail "$1 -n: busy time counted"
	ns=$(sed -n 's/^window_ns //p' "$T/out")
	[ "$ns" -ge 50000000 ] || fail "$1 -n: window $ns ns shorter than the pad"
	echo "bench selftest: $1 ok"
}
check fork 0 3 3 3
check fork 64 3 3 3
check cow 64 3 192 3
check munmap 64 3 3 3
check mprotect 64 3 6 6
check mmap 64 3 192 3
check exec 0 3 3 3
check mremap 64 3 3 3
check shell 2 2 2 2
check rfault 64 3 192 3
check wpfault 64 3 192 3
check mremapa 64 3 3 3
# The real programs (real.c), against the machine's own redis-server and
# stress-ng (scripts/deps.sh installs both): 8 MiB of Redis data, the
# server started by guest/xenpv-real-setup as in the guest.
real() { # WORKLOAD N REPS EXPECTED_OPS REAL_SAMPLES NULL_SAMPLES
	"$T/xenpv-bench" "$1" "$2" "$3" >"$T/out" || fail "$1 exited with $?"
	grep -qx "ops $4" "$T/out" || fail "$1: ops is not $4: $(grep ^ops "$T/out")"
	got=$(sed -n 's/^samples_ns//p' "$T/out" | wc -w)
	[ "$got" = "$5" ] || fail "$1: $got samples, expected $5"
	"$T/xenpv-bench" -n 1000 "$1" "$2" "$3" >"$T/null" || fail "$1 -n exited with $?"
	got=$(sed -n 's/^samples_ns//p' "$T/null" | wc -w)
	[ "$got" = "$6" ] || fail "$1 -n: $got samples, expected $6"
	echo "bench selftest: $1 ok"
}
if [ -x /usr/bin/redis-check-rdb ]; then
	# One binary: started by the name redis-server it is the server.
	ln -s /usr/bin/redis-check-rdb "$T/redis-server"
	"$HERE/guest/xenpv-real-setup" "$T" "$T/redis-server" >/dev/null ||
		fail "starting redis-server"
	export XENPV_BENCH_REDIS="$T/redis.sock"
	real redis-first 8 1 1 1 0
	grep -qx "value keys 7680" "$T/out" || fail "redis-first: no 8 MiB data set"
	rss=$(sed -n 's/^value rss_bytes //p' "$T/out")
	[ "${rss:-0}" -gt $((8 << 20)) ] || fail "redis-first: RSS ${rss:-none} below the data set"
	grep -qE '^samples_ns [1-9]' "$T/out" || fail "redis-first: no fork time"
	real redis-save 8 2 2 2 0
	real redis-burst 8 2 2 2 0
	real redis-sets 8 2 2 2 2
	real redis-cow 8 2 2 2 2
else
	echo "bench selftest: redis-server not installed; Redis workloads not checked" >&2
	exit 1
fi
XENPV_BENCH_SNG=stress-ng real sng-vm 3 1 2 1 1
! XENPV_BENCH_SNG=false "$T/xenpv-bench" sng-fork 3 1 >/dev/null 2>&1 ||
	fail "a failing stress-ng was not reported"
"$T/xenpv-bench" idle 20 >"$T/out" || fail "idle"
[ "$(sed -n 's/^window_ns //p' "$T/out")" -ge 20000000 ] || fail "idle window too short"
! "$T/xenpv-bench" nosuch 1 1 2>/dev/null || fail "an unknown workload was accepted"

# Backend counters: a fake debugfs directory is read and differenced.
mkdir -p "$T/dbg/cpu0"
printf 'multicalls: 5 6\nflushes full = 3\n' >"$T/dbg/batch"
echo 42 >"$T/dbg/cpu0/pins"
XENPV_BENCH_DEBUGFS=$T/dbg "$T/xenpv-bench" idle 1 >"$T/out"
grep -qx 'xenpv batch:multicalls 0' "$T/out" || fail "debugfs counters not read"
grep -qx 'xenpv cpu0/pins 0' "$T/out" || fail "debugfs single-number file not read"

# The console protocol, with a pseudo-terminal standing in for hvc0.
python3 - "$T/xenpv-bench" <<'PY' || fail "console protocol"
import os, pty, subprocess, sys, time
master, slave = pty.openpty()
name = os.ttyname(slave)
p = subprocess.Popen([sys.argv[1], "-s", "tok1", "mprotect", "16", "3"],
                     env=dict(os.environ, XENPV_BENCH_TTY=name),
                     stdout=subprocess.PIPE)
buf = b""
def wait(marker):
    global buf
    end = time.time() + 30
    while marker not in buf:
        if time.time() > end:
            sys.exit("timed out waiting for %r, got %r" % (marker, buf))
        buf += os.read(master, 4096)
wait(b"@@SYNC tok1")
os.write(master, b"noise\ngo\n")
wait(b"@@FIN tok1")
assert p.poll() is None, "finished before end"
os.write(master, b"end\n")
out = p.communicate(timeout=30)[0].decode()
assert p.returncode == 0 and "ops 6" in out, out
PY
echo "bench selftest: console protocol ok"

# report.py arithmetic: real 1100 traps, null 100, idle rate 0, 10 ops.
cat >"$T/raw.csv" <<'CSV'
stock,row,idle,300,idle,perf:hypercalls,10
stock,row,idle,300,idle,dom0:window_ns,300000000
stock,row,idle,2300,idle,perf:hypercalls,10
stock,row,idle,2300,idle,dom0:window_ns,2300000000
stock,row,fork,1000,real,perf:writable pt emulations,1100
stock,row,fork,1000,real,perf:hypercalls,500
stock,row,fork,1000,real,hcall:mmu_update,300
stock,row,fork,1000,real,guest:ops,10
stock,row,fork,1000,real,guest:samples_ns,1000 2000 9000
stock,row,fork,1000,real,dom0:window_ns,900000000
stock,row,fork,1000,null,perf:writable pt emulations,100
stock,row,fork,1000,null,perf:hypercalls,100
stock,row,fork,1000,null,guest:ops,10
stock,row,fork,1000,null,dom0:window_ns,800000000
stock,info,domu_kernel,6.12
xenpv,info,status,n/a (no kernel)
CSV
# three rounds of munmap, 10, 50 and 20 entries per op: the median round
# (20, with its own 4 writable pt emulations) is reported
for r in "1 100 10" "2 500 10" "3 200 40"; do
	set -- $r
	cat >>"$T/raw.csv" <<CSV
stock,row,munmap,1000,real.$1,perf:hypercalls,$(($2 - $3))
stock,row,munmap,1000,real.$1,perf:writable pt emulations,$3
stock,row,munmap,1000,real.$1,guest:ops,10
stock,row,munmap,1000,real.$1,dom0:window_ns,900000000
stock,row,munmap,1000,null.$1,guest:ops,10
stock,row,munmap,1000,null.$1,dom0:window_ns,900000000
CSV
done
python3 "$HERE/report.py" summary "$T/raw.csv" "$T/sum.csv"
python3 "$HERE/report.py" markdown "$T/sum.csv" "$T/r.md" "$T/r.svg"
grep -q '^stock,fork,1000,wpt,100.0000$' "$T/sum.csv" || fail "report: wpt per op"
grep -q '^stock,fork,1000,entries,140.0000$' "$T/sum.csv" || fail "report: entries per op"
grep -q '^stock,fork,1000,hc_other,10.0000$' "$T/sum.csv" || fail "report: other hypercalls"
grep -q '^stock,fork,1000,time_med_us,2.0000$' "$T/sum.csv" || fail "report: median time"
grep -q '^stock,munmap,1000,entries,20.0000$' "$T/sum.csv" || fail "report: median round"
grep -q '^stock,munmap,1000,wpt,4.0000$' "$T/sum.csv" || fail "report: metrics of the median round"
grep -q '^stock,munmap,1000,entries_max,50.0000$' "$T/sum.csv" || fail "report: highest round"
grep -q '^stock,munmap,1000,rounds,3.0000$' "$T/sum.csv" || fail "report: rounds"
grep -q 'n/a (no kernel)' "$T/r.md" || fail "report: missing kernel not shown"
grep -q '<svg' "$T/r.svg" || fail "report: no chart"
echo "bench selftest: report ok"

# compare.py: identical runs pass, a 10% change fails.
python3 "$HERE/compare.py" "$T/sum.csv" "$T/sum.csv" >/dev/null || fail "compare: identical runs differ"
sed 's/^stock,fork,1000,entries,140.0000$/stock,fork,1000,entries,154.0000/' "$T/sum.csv" >"$T/sum2.csv"
! python3 "$HERE/compare.py" "$T/sum.csv" "$T/sum2.csv" >/dev/null || fail "compare: a 10% change passed"
echo "bench selftest: compare ok"

# hcalls.py: two forks, each with a lone lazy mmu_update and a direct
# update_va_mapping; the null twin's stack_switch flush cancels out.
cat >"$T/hc.log" <<'EOT'
@@HC BEGIN 1 2 fork 0 2
 x-1 [000] d..1. 1.0: fb: (flush_batch+0x0/0x90) nr=1 why=2 rc0=copy_page_range+0x1/0x9 op0=1 a0=0x1000 c0=copy_page_range+0x1/0x9 op1=0 a1=0x0 c1=0x0
 x-1 [000] d..1. 1.0: <stack trace>
 => flush_batch
 => xenpv_batch_flush
 => copy_page_range
 => copy_mm
 x-1 [000] d..1. 1.1: fb: (flush_batch+0x0/0x90) nr=1 why=2 rc0=copy_page_range+0x1/0x9 op0=1 a0=0x1000 c0=copy_page_range+0x1/0x9 op1=0 a1=0x0 c1=0x0
 => flush_batch
 => copy_page_range
 => copy_mm
 x-1 [000] d..1. 1.2: dc: (xenpv_direct_count+0x0/0x50) op=14 caller=do_wp_page+0x4/0x9
 x-1 [000] d..1. 1.3: dc: (xenpv_direct_count+0x0/0x50) op=14 caller=do_wp_page+0x4/0x9
 x-1 [000] d..1. 1.4: fb: (flush_batch+0x0/0x90) nr=2 why=0 rc0=0x0 op0=26 a0=0x5 c0=switch_mm_irqs_off+0x1/0x9 op1=3 a1=(fault) c1=xen_load_sp0+0x1/0x9
@@HC END 1
@@HC BEGIN 2 2 -n 0 fork 0 2
 x-1 [000] d..1. 2.0: fb: (flush_batch+0x0/0x90) nr=2 why=0 rc0=0x0 op0=26 a0=0x5 c0=switch_mm_irqs_off+0x1/0x9 op1=3 a1=(fault) c1=xen_load_sp0+0x1/0x9
@@HC END 2
EOT
python3 "$HERE/prof/hcalls.py" "$T/hc.log" >"$T/hc.txt"
grep -q '^== fork 0 2: 2.00 backend hypercalls per operation, null twin subtracted' "$T/hc.txt" ||
	fail "hcalls: total"
grep -q '1.00  single lazy  *mmu_update<copy_page_range' "$T/hc.txt" || fail "hcalls: batched"
grep -q 'flushed by copy_page_range < copy_mm' "$T/hc.txt" || fail "hcalls: flusher"
grep -q '1.00  direct update_va_mapping  *do_wp_page' "$T/hc.txt" || fail "hcalls: direct"
! grep -q 'stack_switch' "$T/hc.txt" || fail "hcalls: null twin not subtracted"
echo "bench selftest: hcalls ok"
echo "bench selftest: all passed"
