# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by prof.sh and hcalls.sh, which both boot a domU to run
# xenpv-bench workloads: what they put in the domU's image, and what a run
# that includes Redis or stress-ng needs first.  Needs TOP, the
# repository's top.

# prof_guest_install: build xenpv-bench and the guest test programs, and
# put xenpv-bench and xenpv-real-setup into the domU image's programs.
prof_guest_install() {
	make -s -C "$TOP/bench"
	make -s -C "$TOP/tests/guest" OUT="$TOP/out/guest" >/dev/null
	install -m 755 "$TOP/bench/build/xenpv-bench" \
		"$TOP/bench/guest/xenpv-real-setup" "$TOP/out/guest/bin/"
}

# prof_real_setup WORKLOAD...: Redis and stress-ng (bench/guest/real.c) run
# from the rig's tools image once xenpv-real-setup has prepared them: print
# the command that must come first, or nothing if no workload needs it.
prof_real_setup() {
	case " $* " in
	*" redis-"* | *" sng-"*) echo "xenpv-real-setup >/dev/null && " ;;
	esac
}
