// SPDX-License-Identifier: GPL-2.0
/*
 * Boot-time takeover of the page tables the domain builder handed us.
 *
 * Why this file exists: a PV kernel starts on page tables built by the
 * toolstack (start_info->pt_base), already pinned by Xen, that map the
 * kernel image, the initrd, the p2m list, start_info and the bootstrap
 * tables at __START_KERNEL_map.  Before Linux can build its own direct
 * map, xen_setup_kernel_pagetable() moves onto the kernel's static tables
 * (init_top_pgt and the level2/level3 tables head_64.S provides):
 *
 *  1. head_64.S filled those tables with pseudo-physical entries; they
 *     are rewritten in machine format;
 *  2. the builder's L2 that maps the kernel is copied twice, as the start
 *     of the direct map (so __va() works for the bootstrap region) and as
 *     the kernel image map;
 *  3. a p2m list the builder placed in its own top-level slot is kept
 *     reachable by copying that slot;
 *  4. every table page we own is remapped read-only, init_top_pgt is
 *     pinned, the builder's top level unpinned, and cr3 switched;
 *  5. builder table pages that are no longer referenced are given back,
 *     the rest reserved in memblock.
 *
 * Everything here runs from xen_start_kernel(): no allocator, no console
 * (printk is buffered), no stack protector, and __va() only valid for the
 * bootstrap region after step 4.  Failures are fatal: they panic.
 */
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/memblock.h>
#include <linux/pfn.h>
#include <linux/pgtable.h>

#include <linux/panic.h>

#include <asm/setup.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>
#include <asm/xen/page.h>
#include <xen/xen.h>
#include <xen/interface/xen.h>
#include <xen/interface/memory.h>
#include <xen/hvc-console.h>

#include "xenpv.h"

/* Builder table frames still in use after the switch (for E820 checks). */
static phys_addr_t xenpv_builder_pt_start __initdata;
static phys_addr_t xenpv_builder_pt_size __initdata;

/**
 * xen_setup_machphys_mapping() - find the window Xen maps its M2P table at
 *
 * The PV ABI fixes a default window (MACH2PHYS_VIRT_START, with room for
 * MACH2PHYS_NR_ENTRIES frames); a hypervisor that knows better, for
 * instance because its machine memory can grow, reports the real window
 * through XENMEM_machphys_mapping.  mfn_to_pfn() bounds its lookups by the
 * frame count set here.
 */
void __init xen_setup_machphys_mapping(void)
{
	struct xen_machphys_mapping window = { };
	unsigned long frames = MACH2PHYS_NR_ENTRIES;

	if (!HYPERVISOR_memory_op(XENMEM_machphys_mapping, &window)) {
		machine_to_phys_mapping = (unsigned long *)window.v_start;
		frames = window.max_mfn + 1;
	}
	machine_to_phys_nr = frames;
}

/* Rewrite a table head_64.S built with pfns into machine format. */
static void __init xenpv_table_to_machine(void *table)
{
	pteval_t *e = table;
	unsigned int i;

	for (i = 0; i < PTRS_PER_PTE; i++)
		e[i] = xenpv_val_to_machine(e[i]);
}

/* The kernel-image address of the page a machine-format entry points to. */
static void * __init xenpv_entry_target(unsigned long entry)
{
	unsigned long mfn = (entry & XEN_PTE_MFN_MASK) >> PAGE_SHIFT;

	return (void *)(PFN_PHYS(mfn_to_pfn(mfn)) + __START_KERNEL_map);
}

/*
 * Give a builder table page back if it sits at either end of the builder's
 * table area, shrinking the part that stays reserved.
 */
static bool __init xenpv_trim_builder_table(unsigned long *first,
					    unsigned long *end, void *kva)
{
	unsigned long pfn = PFN_DOWN(__pa(kva));

	if (pfn != *first && pfn != *end - 1)
		return false;
	xenpv_set_page_prot(kva, PAGE_KERNEL, UVMF_INVLPG);
	clear_page(kva);
	if (pfn == *first)
		(*first)++;
	else
		(*end)--;
	return true;
}

static void __init xenpv_pin_kernel_tables(void)
{
	static void *const tables[] __initconst = {
		init_top_pgt, level3_ident_pgt, level3_kernel_pgt,
		level2_ident_pgt, level2_kernel_pgt, level2_fixmap_pgt,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tables); i++)
		xenpv_set_page_prot(tables[i], PAGE_KERNEL_RO, UVMF_NONE);
	for (i = 0; i < FIXMAP_PMD_NUM; i++)
		xenpv_set_page_prot(level1_fixmap_pgt + i * PTRS_PER_PTE,
				    PAGE_KERNEL_RO, UVMF_NONE);
	xenpv_early_pin(MMUEXT_PIN_L4_TABLE, PFN_DOWN(__pa_symbol(init_top_pgt)));
}

/**
 * xen_setup_kernel_pagetable() - move from the builder's tables to ours
 * @pgd: the builder's top-level table (start_info->pt_base)
 * @max_pfn: number of pages of the domain (unused; kept for the ABI)
 */
void __init xen_setup_kernel_pagetable(pgd_t *pgd, unsigned long max_pfn)
{
	unsigned long first = PFN_DOWN(__pa(xen_start_info->pt_base));
	unsigned long end = first + xen_start_info->nr_pt_frames;
	unsigned long p2m_va = xen_start_info->mfn_list;
	void *builder[3];
	pud_t *l3;
	pmd_t *l2;
	unsigned int i, slot;
	bool trimmed;

	/* cleanup_highmap() keeps kernel-map PMDs only up to here. */
	if (p2m_va < __START_KERNEL_map)
		max_pfn_mapped = xen_start_info->first_p2m_pfn;
	else
		max_pfn_mapped = PFN_DOWN(__pa(p2m_va));

	/* 1. head_64.S's tables: no identity slot; pfns to mfns. */
	init_top_pgt[0] = __pgd(0);
	xenpv_table_to_machine(init_top_pgt);
	xenpv_table_to_machine(level3_ident_pgt);
	xenpv_table_to_machine(level3_kernel_pgt);
	xenpv_table_to_machine(level2_fixmap_pgt);

	/* 2. The builder's kernel L2, reached through its L4 and L3. */
	l3 = xenpv_entry_target(pgd[pgd_index(__START_KERNEL_map)].pgd);
	l2 = xenpv_entry_target(l3[pud_index(__START_KERNEL_map)].pud);
	builder[0] = pgd;
	builder[1] = l3;
	builder[2] = l2;

	copy_page(level2_ident_pgt, l2);
	copy_page(level2_kernel_pgt, l2);
	/* The two copies share L1s: NX for the direct map goes in the L2. */
	if (__supported_pte_mask & _PAGE_NX) {
		for (i = 0; i < PTRS_PER_PMD; i++) {
			if (!pmd_none(level2_ident_pgt[i]))
				level2_ident_pgt[i] =
					pmd_set_flags(level2_ident_pgt[i],
						      _PAGE_NX);
		}
	}

	/* 3. A p2m list in its own top-level slot stays mapped. */
	slot = pgd_index(p2m_va);
	if (slot && slot < pgd_index(__START_KERNEL_map))
		init_top_pgt[slot] = pgd[slot];

	/* 4. Read-only, pin, switch. */
	xenpv_pin_kernel_tables();
	xenpv_early_pin(MMUEXT_UNPIN_TABLE, PFN_DOWN(__pa(pgd)));
#ifdef CONFIG_X86_VSYSCALL_EMULATION
	xenpv_set_page_prot(xenpv_vsyscall_l3, PAGE_KERNEL_RO, UVMF_NONE);
	xenpv_early_pin(MMUEXT_PIN_L3_TABLE, PFN_DOWN(__pa_symbol(xenpv_vsyscall_l3)));
#endif
	xenpv_write_cr3_kernel_only(__pa_symbol(init_top_pgt));

	/* 5. Builder L4/L3/L2 are unreferenced now; trim them off the ends. */
	do {
		trimmed = false;
		for (i = 0; i < ARRAY_SIZE(builder); i++) {
			if (builder[i] &&
			    xenpv_trim_builder_table(&first, &end, builder[i])) {
				builder[i] = NULL;
				trimmed = true;
			}
		}
	} while (trimmed);

	xenpv_builder_pt_start = PFN_PHYS(first);
	xenpv_builder_pt_size = PFN_PHYS(end - first);
	memblock_reserve(xenpv_builder_pt_start, xenpv_builder_pt_size);

	xen_start_info = (struct start_info *)__va(__pa(xen_start_info));
}

/**
 * xen_reserve_special_pages() - keep start_info and the ring pages
 */
void __init xen_reserve_special_pages(void)
{
	memblock_reserve(__pa(xen_start_info), PAGE_SIZE);
	if (xen_start_info->store_mfn)
		memblock_reserve(PFN_PHYS(mfn_to_pfn(xen_start_info->store_mfn)),
				 PAGE_SIZE);
	if (!xen_initial_domain())
		memblock_reserve(PFN_PHYS(mfn_to_pfn(xen_start_info->console.domU.mfn)),
				 PAGE_SIZE);
}

/**
 * xen_pt_check_e820() - the builder's remaining tables must be usable RAM
 */
void __init xen_pt_check_e820(void)
{
	xen_chk_is_e820_usable(xenpv_builder_pt_start, xenpv_builder_pt_size,
			       "page table");
}

/**
 * xenpv_boot_panic() - stop a boot that cannot go on
 * @why: what failed, one line ending in a newline
 *
 * Early in boot no console is registered yet, so @why goes to Xen's
 * console first and then to panic().
 */
void __init __noreturn xenpv_boot_panic(const char *why)
{
	xen_raw_console_write(why);
	panic("%s", why);
}
