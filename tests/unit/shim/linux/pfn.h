/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/pfn.h>. */
#ifndef _SHIM_LINUX_PFN_H
#define _SHIM_LINUX_PFN_H
#include <asm/page.h>
#define PFN_UP(x)	(((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x)	((x) >> PAGE_SHIFT)
#define PFN_PHYS(x)	((phys_addr_t)(x) << PAGE_SHIFT)
#endif
