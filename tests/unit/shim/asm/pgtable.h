/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <asm/pgtable.h> and <asm/pgtable_types.h>: x86-64
 * built with CONFIG_PGTABLE_LEVELS=5 and running 4-level paging, as a Xen
 * PV guest does (p4d folded into the pgd at run time).  Entry types, flag
 * bits, native accessors and the walk helpers, written as Linux 6.12 writes
 * them.  As under CONFIG_PARAVIRT, pXd_val() and __pXd() go through a pv-ops
 * table (shim_pv_mmu) that the hooks harness fills with the backend's
 * xenpv_pXd_val() and xenpv_make_pXd(), so walks see pseudo-physical values.
 */
#ifndef _SHIM_ASM_PGTABLE_H
#define _SHIM_ASM_PGTABLE_H

#include <linux/types.h>
#include <asm/page.h>

typedef unsigned long pteval_t;
typedef unsigned long pmdval_t;
typedef unsigned long pudval_t;
typedef unsigned long p4dval_t;
typedef unsigned long pgdval_t;
typedef unsigned long pgprotval_t;

typedef struct { pteval_t pte; } pte_t;
typedef struct { pmdval_t pmd; } pmd_t;
typedef struct { pudval_t pud; } pud_t;
typedef struct { p4dval_t p4d; } p4d_t;
typedef struct { pgdval_t pgd; } pgd_t;
typedef struct { pgprotval_t pgprot; } pgprot_t;

#define _PAGE_PRESENT	0x001UL
#define _PAGE_RW	0x002UL
#define _PAGE_USER	0x004UL
#define _PAGE_PWT	0x008UL
#define _PAGE_PCD	0x010UL
#define _PAGE_ACCESSED	0x020UL
#define _PAGE_DIRTY	0x040UL
#define _PAGE_PSE	0x080UL
#define _PAGE_GLOBAL	0x100UL
#define _PAGE_NX	(1UL << 63)
#define _PAGE_TABLE	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | \
			 _PAGE_ACCESSED | _PAGE_DIRTY)
#define _PAGE_KNL_ERRATUM_MASK	(_PAGE_DIRTY | _PAGE_ACCESSED)

#define __PHYSICAL_MASK		((1UL << 52) - 1)
#define PHYSICAL_PAGE_MASK	(((signed long)PAGE_MASK) & __PHYSICAL_MASK)
#define PHYSICAL_PMD_PAGE_MASK	(((signed long)~((1UL << 21) - 1)) & __PHYSICAL_MASK)
#define PHYSICAL_PUD_PAGE_MASK	(((signed long)~((1UL << 30) - 1)) & __PHYSICAL_MASK)
#define PTE_PFN_MASK		((pteval_t)PHYSICAL_PAGE_MASK)
#define PTE_FLAGS_MASK		(~PTE_PFN_MASK)

#define pgprot_val(p)		((p).pgprot)
#define __pgprot(x)		((pgprot_t) { (x) })
#define massage_pgprot(p)	pgprot_val(p)
/* Xen PV guests run without global pages. */
#define PAGE_KERNEL	__pgprot(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | \
				 _PAGE_DIRTY | _PAGE_NX)
#define PAGE_KERNEL_RO	__pgprot(_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_NX)

#define PTRS_PER_PTE	512
#define PTRS_PER_PMD	512
#define PTRS_PER_PUD	512
#define PTRS_PER_PGD	512
#define PMD_SHIFT	21
#define PUD_SHIFT	30
#define PGDIR_SHIFT	39
#define PGDIR_SIZE	(1UL << PGDIR_SHIFT)
#define PGDIR_MASK	(~(PGDIR_SIZE - 1))

#define TASK_SIZE_MAX		((1UL << 47) - PAGE_SIZE)
#define STACK_TOP_MAX		TASK_SIZE_MAX
#define GUARD_HOLE_BASE_ADDR	(-256UL << PGDIR_SHIFT)
#define GUARD_HOLE_END_ADDR	(GUARD_HOLE_BASE_ADDR + (16UL << PGDIR_SHIFT))
#define __START_KERNEL_map	0xffffffff80000000UL
/* round_up(VSYSCALL_ADDR + PAGE_SIZE, PMD_SIZE) - PAGE_SIZE */
#define FIXADDR_TOP		0xffffffffff7ff000UL

/* The pv-ops the page-table accessors call (pv_ops.mmu in Linux). */
struct shim_pv_mmu {
	pteval_t (*pte_val)(pte_t pte);
	pmdval_t (*pmd_val)(pmd_t pmd);
	pudval_t (*pud_val)(pud_t pud);
	p4dval_t (*p4d_val)(p4d_t p4d);
	pgdval_t (*pgd_val)(pgd_t pgd);
	pte_t (*make_pte)(pteval_t val);
	pmd_t (*make_pmd)(pmdval_t val);
	pud_t (*make_pud)(pudval_t val);
	p4d_t (*make_p4d)(p4dval_t val);
	pgd_t (*make_pgd)(pgdval_t val);
};
extern struct shim_pv_mmu shim_pv_mmu;

static inline pte_t native_make_pte(pteval_t v) { return (pte_t) { v }; }
static inline pmd_t native_make_pmd(pmdval_t v) { return (pmd_t) { v }; }
static inline pud_t native_make_pud(pudval_t v) { return (pud_t) { v }; }
static inline p4d_t native_make_p4d(p4dval_t v) { return (p4d_t) { v }; }
static inline pgd_t native_make_pgd(pgdval_t v) { return (pgd_t) { v }; }
static inline pteval_t native_pte_val(pte_t x) { return x.pte; }
static inline pmdval_t native_pmd_val(pmd_t x) { return x.pmd; }
static inline pudval_t native_pud_val(pud_t x) { return x.pud; }
static inline p4dval_t native_p4d_val(p4d_t x) { return x.p4d; }

static inline pteval_t pte_val(pte_t x) { return shim_pv_mmu.pte_val(x); }
static inline pmdval_t pmd_val(pmd_t x) { return shim_pv_mmu.pmd_val(x); }
static inline pudval_t pud_val(pud_t x) { return shim_pv_mmu.pud_val(x); }
static inline p4dval_t p4d_val(p4d_t x) { return shim_pv_mmu.p4d_val(x); }
static inline pgdval_t pgd_val(pgd_t x) { return shim_pv_mmu.pgd_val(x); }
static inline pte_t __pte(pteval_t v) { return shim_pv_mmu.make_pte(v); }
static inline pmd_t __pmd(pmdval_t v) { return shim_pv_mmu.make_pmd(v); }
static inline pud_t __pud(pudval_t v) { return shim_pv_mmu.make_pud(v); }
static inline p4d_t __p4d(p4dval_t v) { return shim_pv_mmu.make_p4d(v); }
static inline pgd_t __pgd(pgdval_t v) { return shim_pv_mmu.make_pgd(v); }

static inline void native_set_pte(pte_t *ptep, pte_t pte)
{
	*(volatile pteval_t *)&ptep->pte = pte.pte;
}

static inline void native_set_pmd(pmd_t *pmdp, pmd_t pmd)
{
	*(volatile pmdval_t *)&pmdp->pmd = pmd.pmd;
}

static inline void native_set_pud(pud_t *pudp, pud_t pud)
{
	*(volatile pudval_t *)&pudp->pud = pud.pud;
}

static inline pte_t native_ptep_get_and_clear(pte_t *ptep)
{
	return native_make_pte(__atomic_exchange_n(&ptep->pte, 0,
						   __ATOMIC_SEQ_CST));
}

static inline pte_t pte_wrprotect(pte_t pte)
{
	/* No shadow stacks on Xen PV: the dirty bit stays where it is. */
	return native_make_pte(native_pte_val(pte) & ~_PAGE_RW);
}

static inline void native_ptep_set_wrprotect(pte_t *ptep)
{
	__atomic_fetch_and(&ptep->pte, ~(pteval_t)_PAGE_RW, __ATOMIC_SEQ_CST);
}

static inline unsigned long pgd_index(unsigned long a) { return (a >> PGDIR_SHIFT) & 511; }
static inline unsigned long pud_index(unsigned long a) { return (a >> PUD_SHIFT) & 511; }
static inline unsigned long pmd_index(unsigned long a) { return (a >> PMD_SHIFT) & 511; }

static inline bool pmd_leaf(pmd_t pmd) { return native_pmd_val(pmd) & _PAGE_PSE; }
static inline bool pud_leaf(pud_t pud) { return pud_val(pud) & _PAGE_PSE; }

static inline int pmd_none(pmd_t pmd)
{
	return (native_pmd_val(pmd) & ~_PAGE_KNL_ERRATUM_MASK) == 0;
}

static inline int pud_none(pud_t pud)
{
	return (native_pud_val(pud) & ~_PAGE_KNL_ERRATUM_MASK) == 0;
}

static inline int p4d_none(p4d_t p4d)
{
	return (native_p4d_val(p4d) & ~_PAGE_KNL_ERRATUM_MASK) == 0;
}

static inline unsigned long pmd_pfn(pmd_t pmd)
{
	pmdval_t v = pmd_val(pmd);

	return (v & (pmd_leaf(pmd) ? PHYSICAL_PMD_PAGE_MASK : PTE_PFN_MASK)) >>
		PAGE_SHIFT;
}

#define pmd_page(pmd)	pfn_to_page(pmd_pfn(pmd))

static inline pmd_t *pud_pgtable(pud_t pud)
{
	pudval_t mask = pud_leaf(pud) ? PHYSICAL_PUD_PAGE_MASK : PTE_PFN_MASK;

	return (pmd_t *)__va(pud_val(pud) & mask);
}

static inline pud_t *p4d_pgtable(p4d_t p4d)
{
	return (pud_t *)__va(p4d_val(p4d) & PTE_PFN_MASK);
}

/* 4-level paging at run time: the p4d level is the pgd. */
static inline p4d_t *p4d_offset(pgd_t *pgd, unsigned long a)
{
	return (p4d_t *)pgd;
}

static inline pud_t *pud_offset(p4d_t *p4d, unsigned long a)
{
	return p4d_pgtable(*p4d) + pud_index(a);
}

static inline pmd_t *pmd_offset(pud_t *pud, unsigned long a)
{
	return pud_pgtable(*pud) + pmd_index(a);
}

/* asm/fixmap.h */
bool is_early_ioremap_ptep(pte_t *ptep);

#endif
