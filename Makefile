# SPDX-License-Identifier: GPL-2.0
#
# xenpv top-level Makefile.  Two commands matter to a new user:
#   make run     boot Xen in QEMU with our kernel as a PV guest
#   make check   every test (what CI runs)
# Everything else is a building block of those two; `make help` lists them.

SHELL := /bin/bash
CACHE ?= /var/cache/xenpv
export XENPV_CACHE := $(CACHE)

VARIANT ?= stock
DOM0 ?= stock
DOMU ?= stock
VCPUS ?= 1
# The kernels `make run` boots: RUN_KERNEL is the domU's and RUN_DOM0 is
# dom0's, both ours by default (stock for Linux's own).
RUN_KERNEL ?= xenpv
# RUN reaches rig.sh through the environment, never through the shell line,
# so any quoting in the command survives.
export RUN
RUN_DOM0 ?= xenpv

.PHONY: help deps kernel kernels rig run check unit unit-coverage lint \
	guest bench check-ltp export check-series deb baremetal soak check-debug clean distclean

help:
	@echo "make run [RUN='cmd']        boot Xen+dom0+a PV domU (RUN_KERNEL=$(RUN_KERNEL) domU, RUN_DOM0=$(RUN_DOM0)); RUN runs cmd in the domU"
	@echo "make check                  unit tests, lint, kernel builds, rig runs"
	@echo "make kernel VARIANT=stock|xenpv|debug"
	@echo "make export                 the patch series for your own Linux 6.12 tree: out/series/ (git am)"
	@echo "make check-series           git am, checkpatch --strict and per-patch builds of the series"
	@echo "make deb                    Debian packages of the xenpv kernel: out/deb/ (DEB_DBG=1: with symbols)"
	@echo "make baremetal VARIANT=...  boot a kernel without Xen and run the guest tests"
	@echo "make rig DOM0=stock|xenpv|debug DOMU=stock|xenpv|debug VCPUS=1|2|4"
	@echo "make bench                  hypervisor entries and machine time per memory operation, Redis and stress-ng, xenpv vs stock"
	@echo "make check-debug            the whole recipe on the debug kernel (lockdep, DEBUG_VM, ...) as dom0 and domU"
	@echo "make soak                   100 live migrations + 10 save/restores of a 2-vCPU xenpv domU under stress-ng"
	@echo "make unit | unit-coverage | lint | guest | check-ltp LTP=/path"

deps:
	@scripts/deps.sh --check 2>/dev/null || scripts/deps.sh

kernel: deps
	scripts/kernel.sh $(VARIANT)

# The series the kernels are built from, as git format-patch files.
export: deps
	scripts/series.sh $(CURDIR)/out/series >/dev/null
	@echo "out/series: apply to Linux 6.12 with: git am $(CURDIR)/out/series/0*.patch"

check-series: deps
	scripts/kernel.sh xenpv
	scripts/series-check.sh

deb: deps
	scripts/deb.sh

baremetal: deps
	scripts/kernel.sh $(VARIANT)
	tests/rig/baremetal.sh $(VARIANT)

kernels: deps
	scripts/kernel.sh stock
	scripts/kernel.sh xenpv

# Build the named kernels (only the variants, not explicit paths) and boot.
rig-kernels = $(filter stock xenpv debug,$(sort $(DOM0) $(DOMU)))
rig: deps
	@for v in $(rig-kernels); do scripts/kernel.sh $$v || exit 1; done
	DOM0=$(DOM0) DOMU=$(DOMU) VCPUS=$(VCPUS) tests/rig/rig.sh

run: deps
	@for v in $(sort $(RUN_KERNEL) $(RUN_DOM0)); do scripts/kernel.sh $$v || exit 1; done
	@if [ -n "$$RUN" ]; then \
		MODE=run DOM0=$(RUN_DOM0) DOMU=$(RUN_KERNEL) VCPUS=$(VCPUS) tests/rig/rig.sh; \
	else \
		MODE=interactive DOM0=$(RUN_DOM0) DOMU=$(RUN_KERNEL) VCPUS=$(VCPUS) tests/rig/rig.sh; \
	fi

unit: deps
	$(MAKE) -C tests/unit run

unit-coverage: deps
	$(MAKE) -C tests/unit coverage

guest: deps
	$(MAKE) -C tests/guest OUT=$(CURDIR)/out/guest

lint: deps
	scripts/lint.sh

bench: deps
	bench/run.sh

# Not in make check: the recipe with 10 save/restores and 100 live
# migrations, stress-ng and our stress running during each one and the
# integrity and disk checks after each.  QEMU runs one TCG thread: with
# more, Debian 12's QEMU 7.2 sooner or later runs a stale int3 after a
# suspend's static-key patching (tests/rig/qemu-mttcg-check.sh).
soak: deps
	scripts/kernel.sh stock
	scripts/kernel.sh xenpv
	DOM0=stock DOMU=xenpv VCPUS=2 SAVES=10 MIGRATES=100 RIG_TCG_THREAD=single \
		RIG_TIMEOUT=14000 tests/rig/rig.sh

# The whole recipe with the debug kernel (configs/debug.config: lockdep,
# DEBUG_VM, DEBUG_ATOMIC_SLEEP, DEBUG_PAGEALLOC, the lazy MMU checker) as
# dom0 and as a 2-vCPU domU; any kernel warning on a console fails it.
# make check runs a shortened one (one save/restore, two migrations).
check-debug: deps
	scripts/kernel.sh debug
	DOM0=debug DOMU=debug VCPUS=2 RIG_TIMEOUT=6000 tests/rig/rig.sh

# The list on each of LTP_KERNELS, side by side (tests/rig/ltp.sh).
LTP_KERNELS ?= stock xenpv
LTP_VCPUS ?= 2
check-ltp: deps
	@[ -n "$(LTP)" ] || { echo "usage: make check-ltp LTP=/path/to/ltp"; exit 2; }
	for k in $(LTP_KERNELS); do scripts/kernel.sh $$k || exit 1; done
	LTP=$(LTP) LTP_KERNELS="$(LTP_KERNELS)" DOM0=$(DOM0) VCPUS=$(LTP_VCPUS) tests/rig/ltp.sh

# make check: fast tests first, then builds, then the rig.  Each step's
# result is collected; the run fails if any step failed.
check:
	@scripts/check.sh

clean:
	rm -rf out
	-$(MAKE) -C tests/unit clean
	-$(MAKE) -C tests/guest clean

distclean: clean
	rm -rf $(CACHE)/linux $(CACHE)/build
