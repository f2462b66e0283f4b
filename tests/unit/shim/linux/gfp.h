/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/gfp.h>.  The harness checks that no
 * sleeping (GFP_KERNEL) allocation happens while a spinlock is held.
 */
#ifndef _SHIM_LINUX_GFP_H
#define _SHIM_LINUX_GFP_H
#include <linux/types.h>
#define GFP_ATOMIC	0x1u
#define GFP_KERNEL	0x2u
#define gfpflags_allow_blocking(g)	(!!((g) & GFP_KERNEL))

/* The hooks harness allocates from its small physical memory. */
unsigned long get_zeroed_page(gfp_t gfp);
void free_pages(unsigned long addr, unsigned int order);
#define free_page(addr)	free_pages((addr), 0)
#endif
