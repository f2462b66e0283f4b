/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for Linux's arch/x86/include/asm/xen/page.h: the p2m
 * encoding and the prototypes mm/p2m.c must implement, plus the inline
 * reader __pfn_to_mfn() so tests read the list exactly the way the kernel's
 * inline code does.  The prototype lines are checked against the real
 * header by "make -C tests/unit abi-check".
 */
#ifndef _SHIM_ASM_XEN_PAGE_H
#define _SHIM_ASM_XEN_PAGE_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/init.h>
#include <asm/page.h>

#define BITS_PER_LONG		64

#define INVALID_P2M_ENTRY	(~0UL)
#define FOREIGN_FRAME_BIT	(1UL<<(BITS_PER_LONG-1))
#define IDENTITY_FRAME_BIT	(1UL<<(BITS_PER_LONG-2))
#define FOREIGN_FRAME(m)	((m) | FOREIGN_FRAME_BIT)
#define IDENTITY_FRAME(m)	((m) | IDENTITY_FRAME_BIT)

#define P2M_PER_PAGE		(PAGE_SIZE / sizeof(unsigned long))

extern unsigned long *xen_p2m_addr;
extern unsigned long  xen_p2m_size;
extern unsigned long  xen_max_p2m_pfn;

extern int xen_alloc_p2m_entry(unsigned long pfn);

extern unsigned long get_phys_to_machine(unsigned long pfn);
extern bool set_phys_to_machine(unsigned long pfn, unsigned long mfn);
extern bool __set_phys_to_machine(unsigned long pfn, unsigned long mfn);
extern unsigned long __init set_phys_range_identity(unsigned long pfn_s,
						    unsigned long pfn_e);

/* Same decisions as the kernel's inline reader, written for the harness. */
static inline unsigned long __pfn_to_mfn(unsigned long pfn)
{
	unsigned long v;

	if (pfn >= xen_p2m_size)
		return pfn < xen_max_p2m_pfn ? get_phys_to_machine(pfn) :
					       IDENTITY_FRAME(pfn);
	v = xen_p2m_addr[pfn];
	return v == INVALID_P2M_ENTRY ? get_phys_to_machine(pfn) : v;
}

#endif
