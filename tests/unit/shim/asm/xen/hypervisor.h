/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <asm/xen/hypervisor.h>: the lazy modes (the
 * harness answers xen_get_lazy_mode() from plat_lazy[], as the batch
 * platform does) and the start_info page.
 */
#ifndef _SHIM_ASM_XEN_HYPERVISOR_H
#define _SHIM_ASM_XEN_HYPERVISOR_H

#include <xen/interface/xen.h>

enum xen_lazy_mode {
	XEN_LAZY_NONE,
	XEN_LAZY_MMU,
	XEN_LAZY_CPU,
};

enum xen_lazy_mode xen_get_lazy_mode(void);
void enter_lazy(enum xen_lazy_mode mode);
void leave_lazy(enum xen_lazy_mode mode);

extern struct start_info *xen_start_info;

#endif
