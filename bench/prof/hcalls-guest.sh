#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# xenpv-hcalls (runs in a xenpv domU, from bench/prof/hcalls.sh): record
# every hypercall the backend issues during each workload's window, with
# the code that queued its first entries and the stack that flushed it,
# and print the trace between "@@HC" lines.
#
#   xenpv-hcalls NR_OFF META_OFF META_SIZE RCALLER_OFF 'WORKLOAD N REPS'...
#
# The offsets locate fields of struct xenpv_batch (hcalls.sh reads them
# from the kernel's debug information): the kprobe on flush_batch() reads
# the entry count, the first four entries' ops and first arguments, and
# the code that queued each of them.
set -e
nr=$1 meta=$2 msz=$3 rcaller=$4
shift 4
T=/sys/kernel/tracing
[ -e $T/tracing_on ] || mount -t tracefs nodev $T
echo 0 >$T/tracing_on
echo 16384 >$T/buffer_size_kb
probe="p:xp/fb flush_batch nr=+$nr(%di):u32 why=%si:u32"
probe="$probe rc0=+$rcaller(%di):symbol"
for i in 0 1 2 3; do
	mc=$((i * 64))
	probe="$probe op$i=+$mc(%di):u64 a$i=+0(+$((mc + 16))(%di)):x64"
	probe="$probe c$i=+$((meta + i * msz))(%di):symbol"
done
echo "$probe" >$T/kprobe_events
echo "p:xp/dc xenpv_direct_count op=%di:u32 caller=%si:symbol" >>$T/kprobe_events
echo 'nr > 0' >$T/events/xp/fb/filter
echo 1 >$T/options/stacktrace
echo 1 >$T/events/xp/enable
i=0
for w in "$@"; do
	i=$((i + 1))
	echo >$T/trace
	# shellcheck disable=SC2086 # a workload is several words
	ops=$(xenpv-bench -t $w | sed -n 's/^ops //p')
	echo "@@HC BEGIN $i $ops $w"
	cat $T/trace
	echo "@@HC END $i"
done
