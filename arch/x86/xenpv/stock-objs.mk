# SPDX-License-Identifier: GPL-2.0
#
# Included by arch/x86/xen/Makefile when CONFIG_XEN_PV_MMU_XENPV=y: the
# stock PV MMU objects of arch/x86/xen/ that are still linked because xenpv
# does not replace them yet.  The p2m list and the multicall batch come
# from arch/x86/xenpv/ (mm/p2m.c, mm/batch.c and their glue); the page-table
# hooks are still the stock ones.

xen-pv-mmu-objs := mmu_pv.o
