/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <asm/page.h> (x86-64, 4 KiB pages). */
#ifndef _SHIM_ASM_PAGE_H
#define _SHIM_ASM_PAGE_H
#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

/*
 * The direct map of the hooks harness: "physical" memory is a small
 * page-aligned buffer (tests/unit/hooks_harness.c); shim_pa() BUGs on an
 * address outside it.
 */
extern unsigned char *shim_phys_base;
unsigned long shim_pa(const void *v);
#define __pa(v)		shim_pa(v)
#define __va(pa)	((void *)(shim_phys_base + (unsigned long)(pa)))
#endif
