# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by the scripts that boot kernels under multi-threaded TCG
# (rig.sh, bare.sh and its users): how to tell QEMU 7.2's stale-int3 bug
# from a real kernel failure, so that a boot it killed can be repeated.

# stale_int3 LOG: the console shows a kernel killed by an int3 that its
# text no longer holds: the oops's code dump has no 0xcc before the
# faulting address.  That is QEMU 7.2's multi-threaded TCG running a stale
# translation of a breakpoint that static-key patching (text_poke_bp())
# already removed; tests/rig/qemu-mttcg-check.sh reproduces it with a stock
# kernel and no Xen.  A real stray int3 leaves its 0xcc in the dump.
stale_int3() {
	tr -d '\r' <"$1" | awk '
		/Oops: int3/ { want = 1; next }
		want && /Code: / {
			if (match($0, /[0-9a-f][0-9a-f] <[0-9a-f][0-9a-f]>/) &&
			    substr($0, RSTART, 2) != "cc") { found = 1; exit }
			want = 0
		}
		END { exit !found }'
}
