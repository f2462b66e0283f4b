// SPDX-License-Identifier: GPL-2.0
/*
 * Moving the p2m list off the frames and mappings the builder chose.
 *
 * Why this file exists: the domain builder places the p2m list (pfn ->
 * mfn) either inside the kernel-image mapping, right after the initrd, or
 * (when the kernel asks with the INIT_P2M note) in a top-level slot of its
 * own with its own page tables.  Neither place can stay:
 *
 *  - xen_relocate_p2m(): on dom0 the list's frames may overlap a non-RAM
 *    E820 area.  The list is copied to a free RAM area and mapped at
 *    2 * PGDIR_SIZE with freshly built, individually pinned tables;
 *  - xenpv_move_p2m_off_builder(): once the allocator works,
 *    xen_vmalloc_p2m_tree() (p2m-glue.c) builds the final, sparse list in
 *    vmalloc space.  The old list's frames, the tables mapping them and
 *    the kernel map entries of the bootstrap region are then released.
 */
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/memblock.h>
#include <linux/panic.h>
#include <linux/pfn.h>
#include <linux/pgtable.h>

#include <asm/early_ioremap.h>
#include <asm/setup.h>
#include <asm/sections.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>
#include <asm/xen/page.h>
#include <xen/xen.h>
#include <xen/interface/xen.h>

#include "xenpv.h"

/* Where xen_relocate_p2m() maps the moved list (a user-half slot). */
#define XENPV_P2M_RELOC_VA	(2 * PGDIR_SIZE)

/* Make a boot-region range writable again and return it to memblock. */
static void __init xenpv_free_boot_range(phys_addr_t pa, phys_addr_t size)
{
	phys_addr_t off;

	for (off = 0; off < size; off += PAGE_SIZE)
		xenpv_set_page_prot(__va(pa + off), PAGE_KERNEL, UVMF_NONE);
	memblock_phys_free(pa, size);
}

/* A table page of the old p2m mapping is empty now: free it. */
static void __init xenpv_free_p2m_table(void *table, bool pinned)
{
	phys_addr_t pa = __pa(table);

	if (pinned)
		xenpv_early_pin(MMUEXT_UNPIN_TABLE, PFN_DOWN(pa));
	ClearPagePinned(virt_to_page(table));
	xenpv_free_boot_range(pa, PAGE_SIZE);
}

static void __init xenpv_free_p2m_l1(pmd_t *pmd, bool pinned)
{
	pte_t *pte = pte_offset_kernel(pmd, 0);
	unsigned int i;

	for (i = 0; i < PTRS_PER_PTE; i++) {
		if (!pte_none(pte[i]))
			xenpv_free_boot_range(PFN_PHYS(pte_pfn(pte[i])), PAGE_SIZE);
	}
	set_pmd(pmd, __pmd(0));
	xenpv_free_p2m_table(pte, pinned);
}

static void __init xenpv_free_p2m_l2(pud_t *pud, bool pinned)
{
	pmd_t *pmd = pmd_offset(pud, 0);
	unsigned int i;

	for (i = 0; i < PTRS_PER_PMD; i++) {
		if (pmd_none(pmd[i]))
			continue;
		if (pmd_leaf(pmd[i]))
			xenpv_free_boot_range(pmd_val(pmd[i]) & PHYSICAL_PAGE_MASK,
					      PMD_SIZE);
		else
			xenpv_free_p2m_l1(&pmd[i], pinned);
	}
	set_pud(pud, __pud(0));
	xenpv_free_p2m_table(pmd, pinned);
}

/* Free the p2m list mapped in a top-level slot of its own, with its tables. */
static void __init xenpv_free_p2m_slot(unsigned long va)
{
	p4d_t *p4d = p4d_offset(pgd_offset_k(va), va);
	bool pinned = (va & PGDIR_MASK) == XENPV_P2M_RELOC_VA;
	pud_t *pud;
	unsigned int i;

	if (p4d_none(*p4d))
		return;
	pud = pud_offset(p4d, 0);
	for (i = 0; i < PTRS_PER_PUD; i++) {
		if (pud_none(pud[i]))
			continue;
		if (pud_leaf(pud[i]))
			xenpv_free_boot_range(pud_val(pud[i]) & PHYSICAL_PAGE_MASK,
					      PUD_SIZE);
		else
			xenpv_free_p2m_l2(&pud[i], pinned);
	}
	set_p4d(p4d, __p4d(0));
	xenpv_free_p2m_table(pud, pinned);
}

/*
 * Drop kernel-map PMDs covering [va, va_end] (both ends included) that are
 * outside the kernel image proper.
 */
static void __init xenpv_clean_kernel_map(unsigned long va, unsigned long va_end)
{
	unsigned long image_end = roundup((unsigned long)_brk_end, PMD_SIZE) - 1;
	pmd_t *pmd = level2_kernel_pgt + pmd_index(va);

	for (; va <= va_end && pmd < level2_kernel_pgt + PTRS_PER_PMD;
	     pmd++, va += PMD_SIZE) {
		if (pmd_none(*pmd))
			continue;
		if (va < (unsigned long)_text || va > image_end)
			set_pmd(pmd, __pmd(0));
	}
	xen_mc_flush();
}

/**
 * xenpv_move_p2m_off_builder() - switch to the final p2m list, free the old
 *
 * Called from pagetable_init once page allocation works.
 */
void __init xenpv_move_p2m_off_builder(void)
{
	unsigned long old = xen_start_info->mfn_list;
	unsigned long size = PAGE_ALIGN(xen_start_info->nr_pages *
					sizeof(unsigned long));
	unsigned long pt = xen_start_info->pt_base;

	xen_vmalloc_p2m_tree();

	if ((unsigned long)xen_p2m_addr != old) {
		/* Anyone still reading the old copy sees "no frame". */
		memset((void *)old, 0xff, size);
		if (old >= __START_KERNEL_map) {
			xenpv_clean_kernel_map(old, old + roundup(size, PMD_SIZE));
			memblock_free((void *)old, size);
		} else {
			xenpv_free_p2m_slot(old);
		}
	}

	/*
	 * The kernel map of the bootstrap tables and stack goes too (a
	 * generous 2 * PMD_SIZE past the end); they stay reachable via __va.
	 */
	xenpv_clean_kernel_map(pt, roundup(pt + xen_start_info->nr_pt_frames *
					   PAGE_SIZE, 2 * PMD_SIZE));
	xen_start_info->pt_base = (unsigned long)__va(__pa(pt));
	xen_start_info->mfn_list = (unsigned long)xen_p2m_addr;
}

/* Read one word of guest-physical memory through a temporary mapping. */
static unsigned long __init xenpv_peek_phys(phys_addr_t pa)
{
	unsigned long *p = early_memremap_ro(pa, sizeof(*p));
	unsigned long val = *p;

	early_memunmap(p, sizeof(*p));
	return val;
}

/*
 * Translate a virtual address by walking the current tables through
 * early mappings (the tables themselves need not be mapped).
 */
static phys_addr_t __init xenpv_walk_virt_to_phys(unsigned long va)
{
	const unsigned int shifts[] = {
		PGDIR_SHIFT, PUD_SHIFT, PMD_SHIFT, PAGE_SHIFT,
	};
	phys_addr_t table = read_cr3_pa();
	unsigned int lvl;

	for (lvl = 0; lvl < ARRAY_SIZE(shifts); lvl++) {
		unsigned long idx = (va >> shifts[lvl]) & (PTRS_PER_PTE - 1);
		pteval_t e = xenpv_val_to_pseudo(xenpv_peek_phys(table + idx * 8));
		phys_addr_t next = e & PTE_PFN_MASK;

		if (!(e & _PAGE_PRESENT))
			return 0;
		if (lvl == ARRAY_SIZE(shifts) - 1 ||
		    (lvl && (e & _PAGE_PSE)))
			return next + (va & ((1UL << shifts[lvl]) - 1));
		table = next;
	}
	return 0;
}

/* Frame allocation state while building the relocated p2m mapping. */
struct xenpv_reloc {
	phys_addr_t next_table;		/* next free table frame */
	unsigned long next_data_pfn;	/* next list frame to map */
	unsigned long data_left;	/* list frames not mapped yet */
};

/* Build one table of the relocated mapping (children first); return its pa. */
static phys_addr_t __init xenpv_reloc_table(struct xenpv_reloc *r, int level)
{
	phys_addr_t pa = r->next_table;
	unsigned long *t;
	unsigned int i;
	static const unsigned int pin_cmd[] __initconst = {
		MMUEXT_PIN_L1_TABLE, MMUEXT_PIN_L2_TABLE, MMUEXT_PIN_L3_TABLE,
	};
	unsigned long child[PTRS_PER_PTE / 8];	/* filled in batches */

	r->next_table += PAGE_SIZE;
	for (i = 0; i < PTRS_PER_PTE && r->data_left; ) {
		unsigned int n, j;

		/* Children must be complete before this table is filled. */
		for (n = 0; n < ARRAY_SIZE(child) && i + n < PTRS_PER_PTE &&
		     r->data_left; n++) {
			if (level == 0) {
				pte_t pte = pfn_pte(r->next_data_pfn++,
						    PAGE_KERNEL);

				child[n] = xenpv_val_to_machine(pte.pte);
				r->data_left--;
			} else {
				phys_addr_t sub = xenpv_reloc_table(r, level - 1);

				child[n] = xenpv_val_to_machine(sub | _PAGE_TABLE);
			}
		}
		t = early_memremap(pa, PAGE_SIZE);
		if (i == 0)
			clear_page(t);
		for (j = 0; j < n; j++)
			t[i + j] = child[j];
		early_memunmap(t, PAGE_SIZE);
		i += n;
	}
	if (i == 0) {
		t = early_memremap(pa, PAGE_SIZE);
		clear_page(t);
		early_memunmap(t, PAGE_SIZE);
	}
	/* The direct map may not reach this frame yet; see make_pte_early. */
	make_lowmem_page_readonly(__va(pa));
	xenpv_early_pin(pin_cmd[level], PFN_DOWN(pa));
	return pa;
}

/**
 * xen_relocate_p2m() - move the boot p2m list away from a non-RAM area
 *
 * Used by setup.c when the builder's list overlaps the E820 map.  The new
 * copy lives in a free RAM area, mapped at XENPV_P2M_RELOC_VA.  Boot
 * cannot go on with the list where it is: finding no free area, or a
 * mapping that does not add up, panics.
 */
void __init xen_relocate_p2m(void)
{
	unsigned long size = PAGE_ALIGN(xen_start_info->nr_pages *
					sizeof(unsigned long));
	unsigned long n_data = size >> PAGE_SHIFT;
	unsigned long n_l1 = DIV_ROUND_UP(size, PMD_SIZE);
	unsigned long n_l2 = DIV_ROUND_UP(size, PUD_SIZE);
	unsigned long n_l3 = DIV_ROUND_UP(size, P4D_SIZE);
	unsigned long old_pfn, old_end, pfn, pfn_end, n_tables;
	struct xenpv_reloc r;
	phys_addr_t area;
	pgd_t *pgd = __va(read_cr3_pa());
	unsigned long i;

	n_tables = n_l1 + n_l2 + n_l3;
	area = xen_find_free_area(PFN_PHYS(n_tables + n_data));
	if (!area)
		xenpv_boot_panic("xenpv: no free RAM area to relocate the p2m list to\n");

	/* Tables first, then the list frames. */
	r.next_table = area;
	r.next_data_pfn = PFN_DOWN(area) + n_tables;
	r.data_left = n_data;
	for (i = 0; i < n_l3; i++) {
		phys_addr_t l3 = xenpv_reloc_table(&r, 2);

		set_pgd(pgd + pgd_index(XENPV_P2M_RELOC_VA) + i,
			__pgd(l3 | _PAGE_TABLE));
	}
	if (r.data_left || r.next_table != area + PFN_PHYS(n_tables))
		panic("xenpv: relocated p2m mapping: %lu frames unmapped, %lu of %lu tables used\n",
		      r.data_left, (unsigned long)PFN_DOWN(r.next_table - area),
		      n_tables);

	memcpy((void *)XENPV_P2M_RELOC_VA, xen_p2m_addr, size);
	xen_p2m_addr = (unsigned long *)XENPV_P2M_RELOC_VA;

	/* Free the old frames (and the builder tables mapping them). */
	old_pfn = PFN_DOWN(xenpv_walk_virt_to_phys(xen_start_info->mfn_list));
	if (!old_pfn)
		panic("xenpv: the builder's p2m list at %#lx is not mapped\n",
		      xen_start_info->mfn_list);
	old_end = old_pfn + n_data;
	if (xen_start_info->mfn_list < __START_KERNEL_map) {
		pfn = xen_start_info->first_p2m_pfn;
		pfn_end = pfn + xen_start_info->nr_p2m_frames;
		set_pgd(pgd + 1, __pgd(0));
	} else {
		pfn = old_pfn;
		pfn_end = old_end;
	}
	memblock_phys_free(PFN_PHYS(pfn), PFN_PHYS(pfn_end - pfn));
	for (; pfn < pfn_end; pfn++) {
		/* the list frames themselves were never page tables */
		if (pfn >= old_pfn && pfn < old_end)
			continue;
		make_lowmem_page_readwrite(__va(PFN_PHYS(pfn)));
	}

	xen_start_info->mfn_list = (unsigned long)xen_p2m_addr;
	xen_start_info->first_p2m_pfn = PFN_DOWN(area);
	xen_start_info->nr_p2m_frames = n_tables + n_data;
}
