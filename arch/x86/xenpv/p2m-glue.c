// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv p2m glue: the p2m core (mm/p2m.c) inside the Linux kernel.
 *
 * Why this file exists: the core keeps the pfn -> mfn list and its
 * toolstack structures but knows nothing about kernel memory or page
 * tables.  This file provides
 *
 * - the core's platform hooks: pages from memblock while the page
 *   allocator is not up and from the page allocator afterwards; the
 *   virtual area of the final list (an early vm_struct); and its mapping,
 *   done with the kernel's own page tables: a mid (2 MiB of list, one PMD)
 *   that only holds shared leaves points at one of two shared, pinned,
 *   read-only PTE pages whose 512 entries all map the shared "missing" or
 *   "identity" leaf; a split mid gets its own PTE page, and single leaves
 *   are switched with update_va_mapping and a TLB flush on every vCPU;
 *
 * - the Linux entry points arch/x86/xen and drivers/xen call that are not
 *   plain list operations: adopting the builder's list at boot, building
 *   the final list, the frame-list-list and shared_info fields for the
 *   toolstack (boot and resume), grant mappings of foreign frames, and the
 *   remapping of E820 non-RAM areas moved out of the way at boot.
 *
 * Its debugfs view is drivers/xen/xenpv-debugfs.c's xenpv/p2m; the same
 * file's xenpv/fail_p2m_alloc makes the core's next allocations fail, to
 * test the callers' error paths.
 */

#include <linux/atomic.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/gfp.h>
#include <linux/memblock.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/acpi.h>
#include <linux/printk.h>
#include <linux/bug.h>
#include <linux/pgalloc.h>
#include <asm/tlbflush.h>
#include <asm/xen/page.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>
#include <xen/xen.h>
#include <xen/features.h>
#include <xen/grant_table.h>
#include <xen/interface/xen.h>

#include <xen/xenpv/p2m.h>
#include <xen/xenpv/platform.h>
#include <xen/xenpv/kglue.h>

#include "xenpv.h"

#ifdef CONFIG_XEN_MEMORY_HOTPLUG_LIMIT
#define XENPV_P2M_LIMIT_GIB	CONFIG_XEN_MEMORY_HOTPLUG_LIMIT
#else
#define XENPV_P2M_LIMIT_GIB	0
#endif

/* Bytes of list behind one mid (one PMD on x86-64). */
#define MID_BYTES	(XENPV_P2M_PER_MID * sizeof(unsigned long))

static struct vm_struct xenpv_p2m_vm;
static unsigned long *xenpv_p2m_area;

/* Shared PTE pages: every entry maps one shared leaf page read-only. */
static struct {
	void *leaf;
	pte_t *pt;
} shared_pt[2];

/*
 * Fault injection (debugfs xenpv/fail_p2m_alloc): while positive, each
 * allocation of the core after boot fails and counts it down.
 */
static atomic_t fail_allocs = ATOMIC_INIT(0);

/**
 * xenpv_p2m_fail_allocs_set() - make the next p2m allocations fail
 * @n: how many allocations fail from now on (0: none)
 */
void xenpv_p2m_fail_allocs_set(unsigned int n)
{
	atomic_set(&fail_allocs, n);
}

/**
 * xenpv_p2m_fail_allocs_left() - allocations still set to fail
 *
 * Return: the count xenpv_p2m_fail_allocs_set() left, minus the
 * allocations that failed since.
 */
unsigned int xenpv_p2m_fail_allocs_left(void)
{
	return atomic_read(&fail_allocs);
}

/* ---- p2m platform hooks ------------------------------------------------ */

void * __ref xenpv_p2m_plat_alloc(size_t size, gfp_t gfp)
{
	if (!slab_is_available())
		return memblock_alloc(size, PAGE_SIZE);
	if (unlikely(atomic_read(&fail_allocs)) &&
	    atomic_dec_if_positive(&fail_allocs) >= 0)
		return NULL;
	if (size <= PAGE_SIZE)
		return (void *)get_zeroed_page(gfp);
	return alloc_pages_exact(size, gfp | __GFP_ZERO);
}

/*
 * Memory is only given back in the call that allocated it (lost races,
 * failure unwinding), so "is the page allocator up" tells where it came
 * from.
 */
void __ref xenpv_p2m_plat_free(void *p, size_t size)
{
	if (!slab_is_available())
		memblock_free(p, size);
	else if (size <= PAGE_SIZE)
		free_page((unsigned long)p);
	else
		free_pages_exact(p, size);
}

unsigned long * __ref xenpv_p2m_plat_reserve_area(unsigned long bytes)
{
	if (WARN_ON(xenpv_p2m_area || system_state != SYSTEM_BOOTING))
		return NULL;
	xenpv_p2m_vm.flags = VM_ALLOC;
	xenpv_p2m_vm.size = bytes;
	vm_area_register_early(&xenpv_p2m_vm, MID_BYTES);
	xenpv_p2m_area = xenpv_p2m_vm.addr;
	pr_notice("xenpv: p2m virtual area at %p, %#lx bytes\n",
		  xenpv_p2m_area, bytes);
	return xenpv_p2m_area;
}

/*
 * Only reached when building the list failed, at boot.  An early vm_struct
 * cannot be unregistered, so the range stays reserved; the shared PTE pages
 * are no longer referenced by any PMD and are given back.
 */
void xenpv_p2m_plat_release_area(unsigned long *area, unsigned long bytes)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(shared_pt); i++) {
		if (!shared_pt[i].pt)
			continue;
		paravirt_release_pte(PFN_DOWN(__pa(shared_pt[i].pt)));
		xenpv_p2m_plat_free(shared_pt[i].pt, PAGE_SIZE);
		shared_pt[i].pt = NULL;
		shared_pt[i].leaf = NULL;
	}
	xenpv_p2m_area = NULL;
}

static unsigned long mid_va(unsigned long mid)
{
	return (unsigned long)xenpv_p2m_area + mid * MID_BYTES;
}

/* A PTE page mapping @leaf read-only in every slot, pinned as an L1. */
static pte_t *shared_pte_page(void *leaf)
{
	unsigned int i, free = ARRAY_SIZE(shared_pt);
	pte_t *pt, pte;

	for (i = 0; i < ARRAY_SIZE(shared_pt); i++) {
		if (shared_pt[i].leaf == leaf)
			return shared_pt[i].pt;
		if (!shared_pt[i].leaf && free == ARRAY_SIZE(shared_pt))
			free = i;
	}
	if (WARN_ON(free == ARRAY_SIZE(shared_pt)))
		return NULL;

	pt = xenpv_p2m_plat_alloc(PAGE_SIZE, GFP_ATOMIC);
	if (!pt)
		return NULL;
	pte = pfn_pte(PFN_DOWN(__pa(leaf)), PAGE_KERNEL_RO);
	for (i = 0; i < PTRS_PER_PTE; i++)
		pt[i] = pte;
	paravirt_alloc_pte(&init_mm, PFN_DOWN(__pa(pt)));
	arch_flush_lazy_mmu_mode();
	shared_pt[free].leaf = leaf;
	shared_pt[free].pt = pt;
	return pt;
}

/* Queued page-table updates are done before the mapping is relied on. */
static void set_mid_pmd(pmd_t *pmdp, pte_t *pt)
{
	set_pmd(pmdp, __pmd(__pa(pt) | _KERNPG_TABLE));
	arch_flush_lazy_mmu_mode();
}

int __ref xenpv_p2m_plat_map_whole(unsigned long mid, void *page)
{
	unsigned long va = mid_va(mid);
	pte_t *pt = shared_pte_page(page);
	pmd_t *pmdp;

	if (!pt)
		return -ENOMEM;
	pmdp = lookup_pmd_address(va);
	if (!pmdp) {
		/* Upper levels can only be created this way during boot. */
		if (system_state != SYSTEM_BOOTING)
			return -EFAULT;
		pmdp = populate_extra_pmd(va);
	}
	set_mid_pmd(pmdp, pt);
	return 0;
}

int xenpv_p2m_plat_split(unsigned long mid, void *ptpage)
{
	pmd_t *pmdp = lookup_pmd_address(mid_va(mid));

	if (!pmdp || !pmd_present(*pmdp) || pmd_leaf(*pmdp))
		return -EFAULT;
	/* Same mappings as the shared PTE page it replaces. */
	copy_page(ptpage, (void *)pmd_page_vaddr(*pmdp));
	paravirt_alloc_pte(&init_mm, PFN_DOWN(__pa(ptpage)));
	set_mid_pmd(pmdp, ptpage);
	return 0;
}

int xenpv_p2m_plat_map_leaf(unsigned long leaf, void *page, bool writable)
{
	unsigned long va = (unsigned long)xenpv_p2m_area + leaf * PAGE_SIZE;
	pte_t pte = pfn_pte(PFN_DOWN(__pa(page)),
			    writable ? PAGE_KERNEL : PAGE_KERNEL_RO);

	return xenpv_direct_update_va(va, pte, UVMF_INVLPG | UVMF_ALL, _RET_IP_);
}

void xenpv_p2m_plat_unmap(unsigned long mid, void *ptpage)
{
	unsigned long va = mid_va(mid);
	pmd_t *pmdp = lookup_pmd_address(va);

	if (pmdp && !pmd_none(*pmdp)) {
		set_pmd(pmdp, __pmd(0));
		arch_flush_lazy_mmu_mode();
		flush_tlb_kernel_range(va, va + MID_BYTES);
	}
	if (ptpage)
		paravirt_release_pte(PFN_DOWN(__pa(ptpage)));
}

unsigned long xenpv_p2m_plat_virt_to_mfn(const void *p)
{
	return virt_to_mfn(p);
}

unsigned long xenpv_p2m_plat_extra_mem(unsigned long pfn)
{
	return xen_chk_extra_mem(pfn);
}

void xenpv_p2m_plat_generation(unsigned long gen)
{
	WRITE_ONCE(HYPERVISOR_shared_info->arch.p2m_generation, gen);
}

void xenpv_p2m_plat_max_pfn(unsigned long max_pfn)
{
	WRITE_ONCE(HYPERVISOR_shared_info->arch.max_pfn, max_pfn);
}

/* ---- Linux entry points ------------------------------------------------ */

/**
 * xen_build_dynamic_phys_to_machine() - use the domain builder's p2m list
 *
 * Called from xen_start_kernel(), on the builder's page tables: the list
 * start_info->mfn_list is used in place, padded with INVALID_P2M_ENTRY up
 * to a whole leaf.
 */
void __init xen_build_dynamic_phys_to_machine(void)
{
	xenpv_p2m_init_flat((unsigned long *)xen_start_info->mfn_list,
			    xen_start_info->nr_pages);
}

/**
 * xen_vmalloc_p2m_tree() - move the p2m into its final, sparse virtual area
 *
 * Called once from the page-table setup, after paging_init().  The area is
 * sized for the larger of the current p2m (builder's list plus planned
 * extra memory) and the memory-hotplug limit.  Extra memory is left
 * invalid.  Without a final list the toolstack could neither save nor
 * migrate the domain and memory could not grow, so failing to build it
 * (only possible when boot memory is exhausted) panics.
 */
void __init xen_vmalloc_p2m_tree(void)
{
	unsigned long limit = (unsigned long)XENPV_P2M_LIMIT_GIB <<
			      (30 - PAGE_SHIFT);
	int rc = xenpv_p2m_build(limit);

	if (rc)
		panic("xenpv: cannot build the p2m list: %d\n", rc);
	pr_info("xenpv: p2m list of %lu entries, max_pfn %#lx\n",
		xen_p2m_size, xenpv_p2m_max_pfn());
	xen_inv_extra_mem();
}

/**
 * xen_build_mfn_list_list() - (re)compute the toolstack's frame-list-list
 *
 * At boot and after resume, inside stop_machine: every mfn of the tree is
 * recomputed in place; nothing is allocated.  Not needed when the tools
 * find the list through the guest's page tables (SIF_VIRT_P2M_4TOOLS).
 */
void xen_build_mfn_list_list(void)
{
	if (xen_start_info->flags & SIF_VIRT_P2M_4TOOLS)
		return;
	WARN_ON(xenpv_p2m_frame_list_refresh() == INVALID_P2M_ENTRY);
}

/**
 * xen_setup_mfn_list_list() - tell the toolstack where the p2m is
 *
 * Publishes in shared_info: the frame-list-list (or ~0 when the tools walk
 * the list virtually), max_pfn, the list's virtual address and the cr3 of
 * the kernel page tables that map it, and restarts the p2m generation at
 * 0.  At boot and after resume; shared_info must be the real one.  If it
 * is still the dummy, that is warned about and nothing is published: the
 * domain runs on, but the toolstack cannot save or migrate it.
 */
void xen_setup_mfn_list_list(void)
{
	struct arch_shared_info *arch = &HYPERVISOR_shared_info->arch;
	struct xenpv_p2m_tools info;

	if (WARN_ON_ONCE(HYPERVISOR_shared_info == &xen_dummy_shared_info))
		return;

	xenpv_p2m_tools_info(&info);	/* also sets p2m_generation to 0 */
	arch->pfn_to_mfn_frame_list_list =
		xen_start_info->flags & SIF_VIRT_P2M_4TOOLS ?
		~0UL : info.frame_list_list;
	arch->max_pfn = info.max_pfn;
	arch->p2m_vaddr = info.p2m_vaddr;
	arch->p2m_cr3 = xen_pfn_to_cr3(virt_to_mfn(swapper_pg_dir));
}

/* mfn a successful grant map op put in place. */
static unsigned long granted_mfn(const struct gnttab_map_grant_ref *op)
{
	const pte_t *pte;

	if (!(op->flags & GNTMAP_contains_pte))
		return PFN_DOWN(op->dev_bus_addr);
	/* host_addr is the machine address of the PTE that was written. */
	pte = mfn_to_virt(PFN_DOWN(op->host_addr)) + offset_in_page(op->host_addr);
	return pte_mfn(*pte);
}

static void fill_unmap(struct gnttab_unmap_grant_ref *unmap,
		       struct gnttab_map_grant_ref *map)
{
	unmap->host_addr = map->host_addr;
	unmap->handle = map->handle;
	unmap->dev_bus_addr = map->flags & GNTMAP_device_map ?
			      map->dev_bus_addr : 0;
	/* Not a GNTST_* value Xen writes: tells "not processed" apart. */
	unmap->status = 1;
	map->status = GNTST_general_error;
	map->handle = INVALID_GRANT_HANDLE;
}

/*
 * A slot whose mapping cannot be used (the p2m could not record it, or
 * only one of its user and kernel halves got mapped): take down the halves
 * that were mapped, so no grant stays mapped behind a failed status.  A
 * half that failed on its own keeps Xen's status; a mapped half is
 * reported as GNTST_general_error.
 */
static void undo_grant_map(struct gnttab_map_grant_ref *map,
			   struct gnttab_map_grant_ref *kmap)
{
	struct gnttab_unmap_grant_ref unmap[2] = { };
	unsigned int n = 0;
	int rc;

	if (map->status == GNTST_okay)
		fill_unmap(&unmap[n++], map);
	if (kmap && kmap->status == GNTST_okay)
		fill_unmap(&unmap[n++], kmap);
	if (!n)
		return;
	rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, unmap, n);
	if (rc || unmap[0].status != GNTST_okay ||
	    (n > 1 && unmap[1].status != GNTST_okay))
		pr_err_ratelimited("xenpv: undoing a grant map failed: rc %d status %d/%d\n",
				   rc, unmap[0].status,
				   n > 1 ? unmap[1].status : GNTST_okay);
}

/**
 * set_foreign_p2m_mapping() - record granted frames in the p2m
 * @map_ops: grant map operations already issued
 * @kmap_ops: kernel-side map operations to issue first, or NULL
 * @pages: the (ballooned) pages the grants are mapped at
 * @count: number of operations
 *
 * For every successful map the page's p2m entry becomes
 * FOREIGN_FRAME(mfn).  If the p2m cannot take the entry, or only one of
 * the user and kernel maps of a slot succeeded, what was mapped is
 * unmapped again at once and its status set to GNTST_general_error.
 * Nothing to do for auto-translated guests.
 *
 * Return: 0, or the error of the kernel-side map hypercall.
 */
int set_foreign_p2m_mapping(struct gnttab_map_grant_ref *map_ops,
			    struct gnttab_map_grant_ref *kmap_ops,
			    struct page **pages, unsigned int count)
{
	unsigned int i;
	int rc;

	if (xen_feature(XENFEAT_auto_translated_physmap))
		return 0;

	if (kmap_ops) {
		rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref,
					       kmap_ops, count);
		if (rc)
			return rc;
	}

	for (i = 0; i < count; i++) {
		struct gnttab_map_grant_ref *kmap = kmap_ops ? &kmap_ops[i] : NULL;
		unsigned long pfn;

		if (map_ops[i].status != GNTST_okay ||
		    (kmap && kmap->status != GNTST_okay)) {
			/* half a mapping is no mapping */
			undo_grant_map(&map_ops[i], kmap);
			continue;
		}

		pfn = page_to_pfn(pages[i]);
		WARN(pfn_to_mfn(pfn) != INVALID_P2M_ENTRY,
		     "xenpv: grant mapped over pfn %#lx, which is not ballooned\n",
		     pfn);
		if (set_phys_to_machine(pfn, FOREIGN_FRAME(granted_mfn(&map_ops[i]))))
			continue;

		pr_err_ratelimited("xenpv: no p2m entry for granted pfn %#lx\n",
				   pfn);
		undo_grant_map(&map_ops[i], kmap);
	}
	return 0;
}

/**
 * clear_foreign_p2m_mapping() - forget granted frames in the p2m
 * @unmap_ops: grant unmap operations (issued by the caller)
 * @kunmap_ops: kernel-side unmap operations to issue here, or NULL
 * @pages: the pages the grants were mapped at
 * @count: number of operations
 *
 * Every page whose entry is a foreign frame goes back to INVALID (it is
 * ballooned again); then the kernel-side unmaps are issued.
 *
 * Return: 0; -EINVAL if a page held no foreign frame; the error of the
 * unmap hypercall takes precedence.
 */
int clear_foreign_p2m_mapping(struct gnttab_unmap_grant_ref *unmap_ops,
			      struct gnttab_unmap_grant_ref *kunmap_ops,
			      struct page **pages, unsigned int count)
{
	unsigned int i;
	int ret = 0, rc;

	if (xen_feature(XENFEAT_auto_translated_physmap))
		return 0;

	for (i = 0; i < count; i++) {
		unsigned long pfn = page_to_pfn(pages[i]);
		unsigned long entry = __pfn_to_mfn(pfn);

		if (entry != INVALID_P2M_ENTRY && (entry & FOREIGN_FRAME_BIT))
			set_phys_to_machine(pfn, INVALID_P2M_ENTRY);
		else
			ret = -EINVAL;
	}
	if (kunmap_ops) {
		rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref,
					       kunmap_ops, count);
		if (rc)
			ret = rc;
	}
	return ret;
}

/* ---- E820 non-RAM areas that had to move in pfn space ------------------- */

#define XENPV_NR_NONRAM	4

static struct xenpv_nonram {
	phys_addr_t maddr;
	phys_addr_t paddr;
	unsigned long size;
} xenpv_nonram[XENPV_NR_NONRAM] __ro_after_init;
static unsigned int xenpv_nr_nonram __ro_after_init;

#ifdef CONFIG_ACPI
/*
 * ACPI tables name machine addresses; those inside a moved area must be
 * mapped at the pfns the area was moved to.  A mapping straddling the edge
 * of an area cannot be translated and is warned about.
 */
static void __iomem *xenpv_acpi_os_ioremap(acpi_physical_address phys,
					   acpi_size size)
{
	unsigned int i;

	for (i = 0; i < xenpv_nr_nonram; i++) {
		const struct xenpv_nonram *r = &xenpv_nonram[i];

		if (phys >= r->maddr + r->size || phys + size <= r->maddr)
			continue;
		WARN_ON(phys < r->maddr || phys + size > r->maddr + r->size);
		phys = phys - r->maddr + r->paddr;
		break;
	}
	return x86_acpi_os_ioremap(phys, size);
}
#endif

/**
 * xen_add_remap_nonram() - remember a non-RAM area that moved in pfn space
 * @maddr: machine address of the area (its E820 address)
 * @paddr: pseudo-physical address it now lives at
 * @size: bytes
 *
 * Boot only.  The p2m entries are set by xen_do_remap_nonram(); from the
 * first record on, acpi_os_ioremap() translates addresses inside the
 * areas.  At most four areas; a fifth panics, as does a page offset that
 * differs between @maddr and @paddr.
 */
void __init xen_add_remap_nonram(phys_addr_t maddr, phys_addr_t paddr,
				 unsigned long size)
{
	if (offset_in_page(maddr) != offset_in_page(paddr))
		panic("xenpv: E820 area %pa moved to %pa changes its page offset\n",
		      &maddr, &paddr);
	if (xenpv_nr_nonram == XENPV_NR_NONRAM)
		xenpv_boot_panic("xenpv: too many E820 non-RAM areas to remap\n");
#ifdef CONFIG_ACPI
	if (!xenpv_nr_nonram)
		acpi_os_ioremap = xenpv_acpi_os_ioremap;
#endif
	xenpv_nonram[xenpv_nr_nonram].maddr = maddr;
	xenpv_nonram[xenpv_nr_nonram].paddr = paddr;
	xenpv_nonram[xenpv_nr_nonram].size = size;
	xenpv_nr_nonram++;
}

/**
 * xen_do_remap_nonram() - point the p2m of moved non-RAM areas at them
 *
 * Boot only, once the p2m can allocate.  Each pfn of an area recorded by
 * xen_add_remap_nonram() maps the corresponding machine frame; failing to
 * set an entry is fatal.
 */
void __init xen_do_remap_nonram(void)
{
	unsigned long pfn, end, mfn, done = 0;
	unsigned int i;

	for (i = 0; i < xenpv_nr_nonram; i++) {
		const struct xenpv_nonram *r = &xenpv_nonram[i];

		mfn = PFN_DOWN(r->maddr);
		end = PFN_UP(r->paddr + r->size);
		for (pfn = PFN_DOWN(r->paddr); pfn < end; pfn++, mfn++, done++)
			if (!set_phys_to_machine(pfn, mfn))
				panic("xenpv: cannot map non-RAM pfn %#lx to mfn %#lx\n",
				      pfn, mfn);
	}
	pr_info("xenpv: remapped %lu non-RAM page(s)\n", done);
}
