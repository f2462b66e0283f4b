/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for Linux's <xen/xen.h>.  The name is also that of
 * Xen's public header, which shim/xen/interface/xen.h wants: that one is
 * included first, then what Linux's header adds: this is a PV domain.
 */
#ifndef _SHIM_XEN_XEN_H
#define _SHIM_XEN_XEN_H

#include <stdbool.h>
#ifndef __XEN_INTERFACE_VERSION__
#define __XEN_INTERFACE_VERSION__ 0x00040e00
#endif
#include_next <xen/xen.h>

static inline bool xen_pv_domain(void)
{
	return true;
}

#endif
