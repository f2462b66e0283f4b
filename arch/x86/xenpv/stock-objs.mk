# SPDX-License-Identifier: GPL-2.0
#
# Included by arch/x86/xen/Makefile when CONFIG_XEN_PV_MMU_XENPV=y: the
# stock PV MMU objects of arch/x86/xen/ that are still linked, by stage of
# the replacement (XENPV_STAGE, passed by scripts/kernel.sh; the same
# variable selects our objects in arch/x86/xenpv/Makefile):
#   hooks  our page-table hook layer; stock p2m.o and multicalls.o
#   full   everything ours; no stock object (default)
# The bring-up also had a "core" stage (our p2m and batch queue under the
# stock mmu_pv.o).  It went when patch 0002 added pv hooks that the stock
# mmu_pv.o does not fill in (it assigns pv_ops.mmu wholesale).

XENPV_STAGE ?= full
xen-pv-mmu-objs-hooks := p2m.o multicalls.o
xen-pv-mmu-objs-full :=
xen-pv-mmu-objs := $(xen-pv-mmu-objs-$(XENPV_STAGE))
