/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for Linux's arch/x86/xen/xen-ops.h: what
 * arch/x86/xenpv uses from it.
 */
#ifndef _SHIM_XEN_OPS_H
#define _SHIM_XEN_OPS_H

enum pt_level {
	PT_PGD,
	PT_P4D,
	PT_PUD,
	PT_PMD,
	PT_PTE
};

void xen_mc_flush(void);
void xen_mm_pin_all(void);
void xen_mm_unpin_all(void);

#endif
