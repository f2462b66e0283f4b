/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for Linux's <xen/interface/xen.h>: Xen's own public
 * header from libxen-dev, so that mm/ is checked against Xen's ABI
 * (struct mmu_update, struct mmuext_op, struct multicall_entry, MMU_*,
 * MMUEXT_*, __HYPERVISOR_*), not against a copy.
 */
#ifndef _SHIM_XEN_INTERFACE_XEN_H
#define _SHIM_XEN_INTERFACE_XEN_H
#include <stdint.h>
#ifndef __XEN_INTERFACE_VERSION__
#define __XEN_INTERFACE_VERSION__ 0x00040e00
#endif
#include <xen/xen.h>
#endif
