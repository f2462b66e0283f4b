/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for Linux's arch/x86/include/asm/xen/page.h: the p2m
 * encoding and the prototypes mm/p2m.c must implement, plus the inline
 * reader __pfn_to_mfn() so tests read the list exactly the way the kernel's
 * inline code does.  The prototype lines are checked against the real
 * header by "make -C tests/unit abi-check".  The second half is what
 * arch/x86/xenpv uses (hooks harness), as Linux writes it for a PV guest
 * (no auto-translated physmap).
 */
#ifndef _SHIM_ASM_XEN_PAGE_H
#define _SHIM_ASM_XEN_PAGE_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/init.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <linux/pfn.h>

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

/* ---- for arch/x86/xenpv ---- */
typedef struct xmaddr {
	phys_addr_t maddr;
} xmaddr_t;

typedef struct xpaddr {
	phys_addr_t paddr;
} xpaddr_t;

#define XEN_PHYSICAL_MASK	((1UL << 52) - 1)
#define XEN_PTE_MFN_MASK	((pteval_t)(((signed long)PAGE_MASK) & \
					    XEN_PHYSICAL_MASK))
#define XMADDR(x)	((xmaddr_t) { .maddr = (x) })
#define XPADDR(x)	((xpaddr_t) { .paddr = (x) })

/* The hooks harness points this at the model's m2p (not Xen's macro). */
#undef machine_to_phys_mapping
extern unsigned long *machine_to_phys_mapping;
extern unsigned long  machine_to_phys_nr;

static inline unsigned long pfn_to_mfn(unsigned long pfn)
{
	unsigned long mfn = __pfn_to_mfn(pfn);

	if (mfn != INVALID_P2M_ENTRY)
		mfn &= ~(FOREIGN_FRAME_BIT | IDENTITY_FRAME_BIT);
	return mfn;
}

static inline unsigned long mfn_to_pfn(unsigned long mfn)
{
	unsigned long pfn;

	pfn = mfn < machine_to_phys_nr ? machine_to_phys_mapping[mfn] : ~0UL;
	if (__pfn_to_mfn(pfn) != mfn)
		pfn = ~0UL;
	if (pfn == ~0UL && __pfn_to_mfn(mfn) == IDENTITY_FRAME(mfn))
		pfn = mfn;
	return pfn;
}

static inline xmaddr_t phys_to_machine(xpaddr_t phys)
{
	unsigned int offset = phys.paddr & ~PAGE_MASK;

	return XMADDR(PFN_PHYS(pfn_to_mfn(PFN_DOWN(phys.paddr))) | offset);
}

#define virt_to_machine(v)	(phys_to_machine(XPADDR(__pa(v))))
static inline unsigned long virt_to_pfn(const void *v)
{
	return PFN_DOWN(__pa(v));
}
#define virt_to_mfn(v)		(pfn_to_mfn(virt_to_pfn(v)))

static inline pte_t mfn_pte(unsigned long page_nr, pgprot_t pgprot)
{
	pte_t pte;

	pte.pte = ((phys_addr_t)page_nr << PAGE_SHIFT) | massage_pgprot(pgprot);
	return pte;
}

/* Only the harness's direct map exists: virt_to_machine() of it. */
xmaddr_t arbitrary_virt_to_machine(void *address);

#endif
