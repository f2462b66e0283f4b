// SPDX-License-Identifier: GPL-2.0
/*
 * Pinning and unpinning of page tables, and the life cycle of table pages.
 *
 * Why this file exists: Xen only lets a guest load (or keep loaded) page
 * tables it has validated, and it only validates pages that the guest
 * maps read-only everywhere.  Validating on every cr3 load would be
 * ruinous, so an address space is *pinned* once: all its table pages are
 * remapped read-only and the top-level table is registered with
 * MMUEXT_PIN_L4_TABLE, after which Xen keeps it valid and every further
 * change must go through Xen.  Linux calls us when that has to happen:
 *
 *  - enter_mmap (exec's activate_mm, the end of fork's dup_mmap, the text
 *    poking mm): pin.  Until then the tables are plain memory and the
 *    set_* hooks write them directly, which is what makes fork cheap;
 *  - exit_mmap: make every CPU drop the address space, then unpin and
 *    make the pages writable again, so teardown is plain stores too;
 *  - alloc_pte/pmd/pud: a new table page hooked into a pinned tree must be
 *    read-only (and an L1 pinned on its own, see below) before use;
 *    release_* undoes that;
 *  - pgd_alloc/pgd_free: 64-bit PV runs user code on a separate top-level
 *    table, the "user pgd", hung off page->private of the kernel one;
 *  - suspend: xen_mm_pin_all() pins every table so the toolstack can
 *    canonicalise it, xen_mm_unpin_all() undoes exactly that.
 *
 * L1 pages are pinned individually while holding their split PTE lock, so
 * that nobody writes a page that is already read-only but not yet known
 * to Xen as a page table.  The lock is released by a post-flush callback;
 * pinning flushes every XENPV_PIN_LOCKS_MAX L1s so that only a bounded
 * number of locks is ever held.
 */
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/spinlock.h>
#include <linux/gfp.h>
#include <linux/smp.h>
#include <linux/cpumask.h>
#include <linux/pgalloc.h>

#include <asm/tlbflush.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>
#include <asm/xen/page.h>
#include <xen/interface/xen.h>

#include "xenpv.h"

#define XENPV_PIN_LOCKS_MAX	16

#ifdef CONFIG_X86_VSYSCALL_EMULATION
pud_t xenpv_vsyscall_l3[PTRS_PER_PUD] __page_aligned_bss;
#endif

/* Per-CPU count of L1 locks held until the next flush (pin/unpin only). */
static DEFINE_PER_CPU(unsigned int, xenpv_locks_held);

static void xenpv_walk_pmds(struct mm_struct *mm, pmd_t *pmd, unsigned int last,
			    xenpv_walk_fn l1)
{
	unsigned int i;

	for (i = 0; i <= last; i++) {
		if (pmd_none(pmd[i]) || pmd_leaf(pmd[i]))
			continue;
		l1(mm, pmd_page(pmd[i]), PT_PTE);
	}
}

static void xenpv_walk_puds(struct mm_struct *mm, pud_t *pud, unsigned int last,
			    unsigned long end, bool tail, xenpv_walk_fn upper,
			    xenpv_walk_fn l1)
{
	unsigned int i;

	for (i = 0; i <= last; i++) {
		pmd_t *pmd;

		if (pud_none(pud[i]) || pud_leaf(pud[i]))
			continue;
		pmd = pmd_offset(&pud[i], 0);
		upper(mm, virt_to_page(pmd), PT_PMD);
		xenpv_walk_pmds(mm, pmd, tail && i == last ?
				pmd_index(end - 1) : PTRS_PER_PMD - 1, l1);
	}
}

/**
 * xenpv_walk_tables() - visit every page-table page of a tree below @end
 * @mm: owner, handed to the callbacks
 * @pgd: top-level table
 * @end: first address not to visit (a top-level boundary or FIXADDR_TOP)
 * @upper: called for L3 and L2 pages, and for @pgd itself last of all
 * @l1: called for L1 pages
 *
 * Xen's own slots (the guard hole) are skipped.  The top level comes last
 * so its callback can finish the job (TLB flush, pin).  An @end above
 * FIXADDR_TOP is warned about and walked as FIXADDR_TOP.
 */
void xenpv_walk_tables(struct mm_struct *mm, pgd_t *pgd, unsigned long end,
		       xenpv_walk_fn upper, xenpv_walk_fn l1)
{
	unsigned int hole_lo = pgd_index(GUARD_HOLE_BASE_ADDR);
	unsigned int hole_hi = pgd_index(GUARD_HOLE_END_ADDR);
	unsigned int last, i;

	if (WARN_ON_ONCE(end - 1 >= FIXADDR_TOP))
		end = FIXADDR_TOP;
	last = pgd_index(end - 1);
	for (i = 0; i <= last; i++) {
		p4d_t *p4d = p4d_offset(&pgd[i], 0);	/* folded on PV */
		pud_t *pud;

		if (i >= hole_lo && i < hole_hi)
			continue;
		if (p4d_none(*p4d))
			continue;
		pud = pud_offset(p4d, 0);
		upper(mm, virt_to_page(pud), PT_PUD);
		xenpv_walk_puds(mm, pud, i == last ? pud_index(end - 1) :
				PTRS_PER_PUD - 1, end, i == last, upper, l1);
	}
	upper(mm, virt_to_page(pgd), PT_PGD);
}

static void xenpv_remap_now(unsigned long pfn, pgprot_t prot)
{
	xenpv_set_page_prot(__va(PFN_PHYS(pfn)), prot, UVMF_NONE);
}

/* Early hooks: only init_mm exists and it is pinned. */
void __init xenpv_alloc_pte_early(struct mm_struct *mm, unsigned long pfn)
{
	xenpv_remap_now(pfn, PAGE_KERNEL_RO);
	xenpv_early_pin(MMUEXT_PIN_L1_TABLE, pfn);
}

void __init xenpv_alloc_pmd_early(struct mm_struct *mm, unsigned long pfn)
{
	xenpv_remap_now(pfn, PAGE_KERNEL_RO);
}

void __init xenpv_release_pte_early(unsigned long pfn)
{
	xenpv_early_pin(MMUEXT_UNPIN_TABLE, pfn);
	xenpv_remap_now(pfn, PAGE_KERNEL);
}

void __init xenpv_release_pmd_early(unsigned long pfn)
{
	xenpv_remap_now(pfn, PAGE_KERNEL);
}

static void xenpv_queue_prot(unsigned long pfn, pgprot_t prot,
			     unsigned long uvmf, unsigned long caller)
{
	xenpv_batch_update_va((unsigned long)__va(PFN_PHYS(pfn)),
			      mfn_pte(pfn_to_mfn(pfn), prot).pte, uvmf, caller);
}

/*
 * A table page joins a tree.  If the tree is pinned, the page must become
 * read-only (and an L1 pinned, as the L1 pin protocol does for every L1)
 * before generic code links it in.  Before struct pages are trustworthy
 * every tree is init_mm and pinned, and the flag is set later by
 * xenpv_mark_init_mm_pinned().
 *
 * The hook is called from pmd_populate(), pud_populate() and
 * p4d_populate() just before they store the entry that links the page, and
 * that store goes through the batch (xenpv_set_upper_hyper(), or
 * xenpv_set_p4d() with its user-table mirror).  When nothing can move this
 * task to another CPU in between (preemption off: the populate runs under
 * the page-table lock), the two are left to go to Xen together, in one
 * multicall instead of two hypercalls.
 */
static void xenpv_alloc_table(struct mm_struct *mm, unsigned long pfn,
			      enum pt_level level, unsigned long caller)
{
	unsigned long flags;
	bool with_link;

	if (!xenpv_table_pinned(mm->pgd))
		return;
	if (static_branch_likely(&xenpv_pages_ready) &&
	    TestSetPagePinned(pfn_to_page(pfn)))
		return;

	with_link = !preemptible() && static_branch_likely(&xenpv_pages_ready);
	flags = xenpv_batch_begin();
	xenpv_queue_prot(pfn, PAGE_KERNEL_RO, UVMF_NONE, caller);
	if (level == PT_PTE)
		xenpv_batch_mmuext(MMUEXT_PIN_L1_TABLE, pfn_to_mfn(pfn), caller);
	if (with_link)
		local_irq_restore(flags);
	else
		xenpv_batch_end(flags, XEN_LAZY_MMU);
}

static void xenpv_release_table(unsigned long pfn, enum pt_level level,
				unsigned long caller)
{
	struct page *page = pfn_to_page(pfn);
	unsigned long flags;

	if (!PagePinned(page))
		return;

	flags = xenpv_batch_begin();
	if (level == PT_PTE)
		xenpv_batch_mmuext(MMUEXT_UNPIN_TABLE, pfn_to_mfn(pfn), caller);
	xenpv_queue_prot(pfn, PAGE_KERNEL, UVMF_NONE, caller);
	xenpv_batch_end(flags, XEN_LAZY_MMU);
	ClearPagePinned(page);
}

void xenpv_alloc_pte(struct mm_struct *mm, unsigned long pfn)
{
	xenpv_alloc_table(mm, pfn, PT_PTE, _RET_IP_);
}

void xenpv_alloc_pmd(struct mm_struct *mm, unsigned long pfn)
{
	xenpv_alloc_table(mm, pfn, PT_PMD, _RET_IP_);
}

void xenpv_alloc_pud(struct mm_struct *mm, unsigned long pfn)
{
	xenpv_alloc_table(mm, pfn, PT_PUD, _RET_IP_);
}

void xenpv_release_pte(unsigned long pfn)
{
	xenpv_release_table(pfn, PT_PTE, _RET_IP_);
}

void xenpv_release_pmd(unsigned long pfn)
{
	xenpv_release_table(pfn, PT_PMD, _RET_IP_);
	xenpv_park_table(pfn_to_page(pfn));
}

void xenpv_release_pud(unsigned long pfn)
{
	xenpv_release_table(pfn, PT_PUD, _RET_IP_);
	xenpv_park_table(pfn_to_page(pfn));
}

/**
 * xenpv_pgd_alloc() - attach a user top-level table to a new kernel one
 * @mm: the new address space (mm->pgd is set and unpinned)
 *
 * A new pgd page that is flagged pinned or already has a user table is
 * warned about and refused, and so is the address space.
 *
 * Return: 0, -ENOMEM, or -EINVAL for such a page.
 */
int xenpv_pgd_alloc(struct mm_struct *mm)
{
	struct page *page = virt_to_page(mm->pgd);
	pgd_t *user;

	if (WARN_ON_ONCE(PagePinned(page) || page->private))
		return -EINVAL;

	user = (pgd_t *)get_zeroed_page(GFP_KERNEL);
	if (!user)
		return -ENOMEM;
#ifdef CONFIG_X86_VSYSCALL_EMULATION
	user[pgd_index(VSYSCALL_ADDR)] =
		__pgd(__pa(xenpv_vsyscall_l3) | _PAGE_TABLE);
#endif
	page->private = (unsigned long)user;
	return 0;
}

/**
 * xenpv_pgd_free() - free the user top-level table of a dying address space
 * @mm: the address space
 * @pgd: its kernel top-level table
 *
 * Both top-level pages are parked (see park.c) before they are freed.  A
 * user table that is still pinned is warned about and never freed: Xen
 * keeps it read-only, so it must not be reused.
 */
void xenpv_pgd_free(struct mm_struct *mm, pgd_t *pgd)
{
	struct page *page = virt_to_page(pgd);
	unsigned long user = page->private;

	xenpv_park_table(page);	/* generic code frees it after we return */
	if (user) {
		page->private = 0;
		if (WARN_ON_ONCE(PagePinned(virt_to_page((void *)user))))
			return;
		xenpv_park_table(virt_to_page((void *)user));
		free_page(user);
	}
}

/* Post-flush release of an L1 lock taken while (un)pinning. */
static void xenpv_l1_unlock(void *ptl)
{
	__acquire(ptl);	/* taken by xenpv_l1_lock() before the flush */
	spin_unlock(ptl);
}

/*
 * Take the split lock of an L1 page for the duration of the current batch.
 * Returns with the lock held; xenpv_l1_unlock() drops it after the flush.
 */
static void xenpv_l1_lock(struct mm_struct *mm, struct page *page)
{
#if defined(CONFIG_SPLIT_PTE_PTLOCKS)
	spinlock_t *ptl = ptlock_ptr(page_ptdesc(page));

	if (this_cpu_inc_return(xenpv_locks_held) > XENPV_PIN_LOCKS_MAX) {
		xen_mc_flush();
		this_cpu_write(xenpv_locks_held, 1);
	}
	spin_lock_nest_lock(ptl, &mm->page_table_lock);
	xenpv_batch_callback(xenpv_l1_unlock, ptl);
	__release(ptl);	/* released by xenpv_l1_unlock() */
#endif
}

static void xenpv_pin_upper(struct mm_struct *mm, struct page *page,
			    enum pt_level level)
{
	if (TestSetPagePinned(page))
		return;
	xenpv_queue_prot(page_to_pfn(page), PAGE_KERNEL_RO,
			 level == PT_PGD ? UVMF_TLB_FLUSH : UVMF_NONE, _RET_IP_);
}

static void xenpv_pin_l1(struct mm_struct *mm, struct page *page,
			 enum pt_level level)
{
	unsigned long pfn = page_to_pfn(page);

	if (TestSetPagePinned(page))
		return;
	xenpv_l1_lock(mm, page);
	xenpv_queue_prot(pfn, PAGE_KERNEL_RO, UVMF_NONE, _RET_IP_);
	xenpv_batch_mmuext(MMUEXT_PIN_L1_TABLE, pfn_to_mfn(pfn), _RET_IP_);
}

static void xenpv_unpin_upper(struct mm_struct *mm, struct page *page,
			      enum pt_level level)
{
	if (!TestClearPagePinned(page))
		return;
	xenpv_queue_prot(page_to_pfn(page), PAGE_KERNEL,
			 level == PT_PGD ? UVMF_TLB_FLUSH : UVMF_NONE, _RET_IP_);
}

static void xenpv_unpin_l1(struct mm_struct *mm, struct page *page,
			   enum pt_level level)
{
	unsigned long pfn = page_to_pfn(page);

	if (!TestClearPagePinned(page))
		return;
	xenpv_l1_lock(mm, page);
	xenpv_batch_mmuext(MMUEXT_UNPIN_TABLE, pfn_to_mfn(pfn), _RET_IP_);
	xenpv_queue_prot(pfn, PAGE_KERNEL, UVMF_NONE, _RET_IP_);
}

/* Pin the tree under @pgd and its user companion.  Caller serialises. */
static void xenpv_pin_tree(struct mm_struct *mm, pgd_t *pgd)
{
	pgd_t *user = xenpv_user_pgd(pgd);
	unsigned long flags;

	flags = xenpv_batch_begin();
	this_cpu_write(xenpv_locks_held, 0);
	xenpv_walk_tables(mm, pgd, XENPV_USER_END, xenpv_pin_upper, xenpv_pin_l1);
	xenpv_batch_mmuext(MMUEXT_PIN_L4_TABLE, virt_to_mfn(pgd), _RET_IP_);
	if (user) {
		xenpv_pin_upper(mm, virt_to_page(user), PT_PGD);
		xenpv_batch_mmuext(MMUEXT_PIN_L4_TABLE, virt_to_mfn(user), _RET_IP_);
	}
	xenpv_batch_end(flags, 0);
}

/* Undo xenpv_pin_tree(): unpin the tops first, then make pages writable. */
static void xenpv_unpin_tree(struct mm_struct *mm, pgd_t *pgd)
{
	pgd_t *user = xenpv_user_pgd(pgd);
	unsigned long flags;

	flags = xenpv_batch_begin();
	this_cpu_write(xenpv_locks_held, 0);
	xenpv_batch_mmuext(MMUEXT_UNPIN_TABLE, virt_to_mfn(pgd), _RET_IP_);
	if (user) {
		xenpv_batch_mmuext(MMUEXT_UNPIN_TABLE, virt_to_mfn(user), _RET_IP_);
		xenpv_unpin_upper(mm, virt_to_page(user), PT_PGD);
	}
	xenpv_walk_tables(mm, pgd, XENPV_USER_END, xenpv_unpin_upper, xenpv_unpin_l1);
	xenpv_batch_end(flags, 0);
}

/**
 * xenpv_enter_mmap() - pin an address space before it is first loaded
 * @mm: the address space
 */
void xenpv_enter_mmap(struct mm_struct *mm)
{
	spin_lock(&mm->page_table_lock);
	if (!PagePinned(virt_to_page(mm->pgd)))
		xenpv_pin_tree(mm, mm->pgd);
	spin_unlock(&mm->page_table_lock);
}

/* Runs on each CPU that may still reference @info (an mm). */
static void xenpv_drop_mm_here(void *info)
{
	struct mm_struct *mm = info;

	if (this_cpu_read(cpu_tlbstate.loaded_mm) == mm)
		leave_mm();
	/* A switch away may still sit in this CPU's queue: issue it. */
	if (this_cpu_read(xen_current_cr3) == __pa(mm->pgd))
		xen_mc_flush();
}

/*
 * Switch this CPU away from @mm, but leave the switch in the batch: the
 * unpin that follows issues it first, in the same multicall.  Returns
 * true if a switch away from @mm is queued here.
 */
static bool xenpv_leave_mm_queued(struct mm_struct *mm)
{
	unsigned long flags;
	bool defer;

	if (this_cpu_read(cpu_tlbstate.loaded_mm) == mm) {
		/* No interrupt may find its own work deferred by the mode. */
		local_irq_save(flags);
		defer = xen_get_lazy_mode() == XEN_LAZY_NONE;
		if (defer)
			enter_lazy(XEN_LAZY_CPU);
		leave_mm();
		if (defer)
			leave_lazy(XEN_LAZY_CPU);
		local_irq_restore(flags);
	}
	return this_cpu_read(xen_current_cr3) == __pa(mm->pgd);
}

/* Make sure no other CPU has @mm's tables loaded (or about to be). */
static void xenpv_drop_mm_elsewhere(struct mm_struct *mm)
{
	unsigned long pgd_pa = __pa(mm->pgd);
	cpumask_var_t cpus;
	unsigned int cpu;

	if (!alloc_cpumask_var(&cpus, GFP_ATOMIC)) {
		for_each_online_cpu(cpu) {
			if (cpu != smp_processor_id() &&
			    per_cpu(xen_current_cr3, cpu) == pgd_pa)
				smp_call_function_single(cpu, xenpv_drop_mm_here,
							 mm, 1);
		}
		return;
	}
	cpumask_clear(cpus);
	for_each_online_cpu(cpu) {
		if (cpu != smp_processor_id() &&
		    per_cpu(xen_current_cr3, cpu) == pgd_pa)
			cpumask_set_cpu(cpu, cpus);
	}
	if (!cpumask_empty(cpus))
		smp_call_function_many(cpus, xenpv_drop_mm_here, mm, 1);
	free_cpumask_var(cpus);
}

/**
 * xenpv_exit_mmap() - unpin an address space that is being torn down
 * @mm: the address space
 *
 * After this the teardown writes the (now ordinary) tables directly.
 */
void xenpv_exit_mmap(struct mm_struct *mm)
{
	bool queued;

	get_cpu();
	queued = xenpv_leave_mm_queued(mm);
	xenpv_drop_mm_elsewhere(mm);
	put_cpu();

	/*
	 * Should this task be switched out before the unpin, the switch
	 * issues the queued one on this CPU first.
	 */
	spin_lock(&mm->page_table_lock);
	/* exec's error path may tear down an mm that was never pinned */
	if (xenpv_table_pinned(mm->pgd))
		xenpv_unpin_tree(mm, mm->pgd);
	else if (queued)
		xen_mc_flush();
	spin_unlock(&mm->page_table_lock);
}

/* After boot: record in struct pages that init_mm's tables are pinned. */
static void __init xenpv_mark_one(struct mm_struct *mm, struct page *page,
				  enum pt_level level)
{
	SetPagePinned(page);
}

/**
 * xenpv_mark_init_mm_pinned() - set PG_pinned on every init_mm table page
 *
 * They were pinned in Xen all along; struct pages could not say so before.
 */
void __init xenpv_mark_init_mm_pinned(void)
{
#ifdef CONFIG_X86_VSYSCALL_EMULATION
	SetPagePinned(virt_to_page(xenpv_vsyscall_l3));
#endif
	xenpv_walk_tables(&init_mm, init_mm.pgd, FIXADDR_TOP, xenpv_mark_one,
			  xenpv_mark_one);
}

/**
 * xen_mm_pin_all() - pin every unpinned address space before suspend
 *
 * The toolstack rewrites machine frames only in tables Xen knows as page
 * tables, so half-built or dying trees must be pinned too.  Each one we
 * pin is tagged PG_savepinned so xen_mm_unpin_all() undoes exactly that.
 * Runs inside stop_machine().
 */
void xen_mm_pin_all(void)
{
	struct page *page;

	spin_lock(&init_mm.page_table_lock);
	spin_lock(&pgd_lock);
	list_for_each_entry(page, &pgd_list, lru) {
		if (PagePinned(page))
			continue;
		xenpv_pin_tree(&init_mm, page_address(page));
		SetPageSavePinned(page);
	}
	spin_unlock(&pgd_lock);
	spin_unlock(&init_mm.page_table_lock);
}

/**
 * xen_mm_unpin_all() - undo xen_mm_pin_all() after resume or cancel
 *
 * Runs inside stop_machine().  A tree tagged by xen_mm_pin_all() that is
 * no longer pinned is warned about and left alone.
 */
void xen_mm_unpin_all(void)
{
	struct page *page;

	spin_lock(&init_mm.page_table_lock);
	spin_lock(&pgd_lock);
	list_for_each_entry(page, &pgd_list, lru) {
		if (!PageSavePinned(page))
			continue;
		ClearPageSavePinned(page);
		if (WARN_ON_ONCE(!PagePinned(page)))
			continue;
		xenpv_unpin_tree(&init_mm, page_address(page));
	}
	spin_unlock(&pgd_lock);
	spin_unlock(&init_mm.page_table_lock);
}
