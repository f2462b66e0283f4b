# SPDX-License-Identifier: GPL-2.0
#
# Included by arch/x86/xen/Makefile when CONFIG_XEN_PV_MMU_XENPV=y: the
# stock PV MMU objects that the xenpv backend still relies on.  xenpv
# replaces mmu_pv.o in this stage; the p2m list and the multicall buffer
# stay stock until mm/ takes them over.
xen-pv-mmu-objs := p2m.o multicalls.o
