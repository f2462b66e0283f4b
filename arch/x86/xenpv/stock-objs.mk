# SPDX-License-Identifier: GPL-2.0
#
# Included by arch/x86/xen/Makefile when CONFIG_XEN_PV_MMU_XENPV=y: the
# stock PV MMU objects of arch/x86/xen/ that are still linked, by stage of
# the replacement (XENPV_STAGE, passed by scripts/kernel.sh; the same
# variable selects our objects in arch/x86/xenpv/Makefile):
#   hooks  our page-table hook layer; stock p2m.o and multicalls.o (default)
#   core   our p2m list and batch queue (mm/ + glue); stock mmu_pv.o
#   full   everything ours; no stock object
# Each stage boots through the rig on its own; "full" is the goal.

XENPV_STAGE ?= hooks
xen-pv-mmu-objs-hooks := p2m.o multicalls.o
xen-pv-mmu-objs-core := mmu_pv.o
xen-pv-mmu-objs-full :=
xen-pv-mmu-objs := $(xen-pv-mmu-objs-$(XENPV_STAGE))
