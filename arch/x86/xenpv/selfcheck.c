// SPDX-License-Identifier: GPL-2.0
/*
 * Boot-time self-check of the invariants the xenpv MMU layer relies on.
 *
 * Why this file exists: when one of these invariants breaks, Xen usually
 * reports it much later and far away (a refused pin on restore, a domain
 * crash on a page fault, a corrupted page after migration).  Checking them
 * once at the end of boot turns such a bug into one line that names the
 * invariant:
 *
 *  - the p2m and Xen's M2P agree for every pfn that has a machine frame;
 *  - every page of every pinned tree is flagged pinned and mapped
 *    read-only in the direct map (and in the kernel image map if it is
 *    there) - Xen requires that of any page-table page;
 *  - every top-level table's user companion mirrors its user half, points
 *    at the vsyscall L3, and is pinned exactly when the kernel one is;
 *  - this CPU's logical cr3 is the current address space's, and no
 *    queued hypercall has failed so far.
 *
 * The walk visits every pfn and every pinned table, which a distribution
 * kernel should not pay for at every boot: "xenpv_selfcheck=1" on the
 * command line turns it on (the test rig and debug kernels do).
 */
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/kstrtox.h>
#include <linux/panic.h>
#include <linux/pgtable.h>
#include <linux/sched.h>
#include <linux/printk.h>

#include <asm/xen/hypervisor.h>
#include <asm/xen/page.h>
#include <xen/xen.h>

#include <xen/xenpv/kglue.h>

#include "xenpv.h"

static bool xenpv_selfcheck_enabled __initdata;

static int __init xenpv_selfcheck_param(char *arg)
{
	return kstrtobool(arg, &xenpv_selfcheck_enabled);
}
early_param("xenpv_selfcheck", xenpv_selfcheck_param);

/* The check stops the boot at the first broken invariant, naming it. */
static void __init xenpv_invariant_broken(const char *what, unsigned long a,
					  unsigned long b)
{
	panic("xenpv: self-check FAILED: %s (%#lx, %#lx)\n", what, a, b);
}

/* p2m -> M2P round trip for every pfn backed by one of our frames. */
static unsigned long __init xenpv_check_p2m(void)
{
	unsigned long pfn, checked = 0;

	for (pfn = 0; pfn < max_pfn; pfn++) {
		unsigned long mfn = __pfn_to_mfn(pfn);

		if (mfn == INVALID_P2M_ENTRY ||
		    (mfn & (FOREIGN_FRAME_BIT | IDENTITY_FRAME_BIT)))
			continue;
		if (mfn_to_pfn_no_overrides(mfn) != pfn)
			xenpv_invariant_broken("p2m and M2P disagree (pfn, mfn)",
					       pfn, mfn);
		checked++;
	}
	return checked;
}

static unsigned long xenpv_tables_checked __initdata;

/* A page that Xen treats as a page table must be read-only everywhere. */
static void __init xenpv_check_ro(void *va, unsigned long pfn)
{
	unsigned int level;
	pte_t *ptep = lookup_address((unsigned long)va, &level);

	if (!ptep || !pte_present(*ptep))
		return;
	if (level != PG_LEVEL_4K)
		xenpv_invariant_broken("page table mapped by a large page (pfn, level)",
				       pfn, level);
	if (pte_write(*ptep))
		xenpv_invariant_broken("pinned page table mapped writable (pfn, va)",
				       pfn, (unsigned long)va);
}

static void __init xenpv_check_table(struct mm_struct *mm, struct page *page,
				     enum pt_level level)
{
	unsigned long pfn = page_to_pfn(page);
	unsigned long image = __START_KERNEL_map + PFN_PHYS(pfn);

	if (!PagePinned(page))
		xenpv_invariant_broken("table of a pinned tree not flagged pinned (pfn, level)",
				       pfn, level);
	xenpv_check_ro(page_address(page), pfn);
	if (image >= (unsigned long)_text && image < (unsigned long)_end)
		xenpv_check_ro((void *)image, pfn);
	xenpv_tables_checked++;
}

/* The user companion of a top-level table. */
static void __init xenpv_check_pair(pgd_t *pgd)
{
	pgd_t *user = xenpv_user_pgd(pgd);
	unsigned int i;

	if (!user)
		xenpv_invariant_broken("top-level table without user companion (pgd)",
				       (unsigned long)pgd, 0);
	for (i = 0; i < pgd_index(XENPV_USER_END); i++) {
		if (native_pgd_val(pgd[i]) != native_pgd_val(user[i]))
			xenpv_invariant_broken("user top-level slot not mirrored (pgd, slot)",
					       (unsigned long)pgd, i);
	}
#ifdef CONFIG_X86_VSYSCALL_EMULATION
	if ((pgd_val(user[pgd_index(VSYSCALL_ADDR)]) & PTE_PFN_MASK) !=
	    __pa_symbol(xenpv_vsyscall_l3))
		xenpv_invariant_broken("user top level lacks the vsyscall L3 (pgd)",
				       (unsigned long)pgd, 0);
#endif
	if (PagePinned(virt_to_page(pgd)) != PagePinned(virt_to_page(user)))
		xenpv_invariant_broken("kernel and user top level pinned differently (pgd)",
				       (unsigned long)pgd, 0);
}

/* Failure reports so far: the batch's on every CPU, and direct calls'. */
static unsigned long __init xenpv_failures_so_far(void)
{
	struct xenpv_batch_stats st;
	unsigned long n = xenpv_direct_failures();
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		xenpv_mc_read_stats(cpu, &st);
		n += st.n[XENPV_STAT_FAILED] + st.n[XENPV_STAT_SKIPPED] +
		     st.n[XENPV_STAT_NOT_RUN] + st.n[XENPV_STAT_MULTICALL_FAILED];
	}
	return n;
}

static int __init xenpv_selfcheck(void)
{
	unsigned long p2m_ok, pairs = 0, flags, failures;
	struct page *page;

	if (!xen_pv_domain() || !xenpv_selfcheck_enabled)
		return 0;

	p2m_ok = xenpv_check_p2m();

	/* init_mm: everything up to the fixmap is pinned since boot. */
	xenpv_walk_tables(&init_mm, init_mm.pgd, FIXADDR_TOP, xenpv_check_table,
			  xenpv_check_table);

	spin_lock_irqsave(&pgd_lock, flags);
	list_for_each_entry(page, &pgd_list, lru) {
		pgd_t *pgd = page_address(page);

		xenpv_check_pair(pgd);
		if (PagePinned(page)) {
			xenpv_walk_tables(&init_mm, pgd, XENPV_USER_END,
					  xenpv_check_table, xenpv_check_table);
			xenpv_check_table(&init_mm, virt_to_page(xenpv_user_pgd(pgd)),
					  PT_PGD);
		}
		pairs++;
	}
	spin_unlock_irqrestore(&pgd_lock, flags);

	preempt_disable();
	xen_mc_flush();
	if (this_cpu_read(xen_cr3) != __pa(current->active_mm->pgd))
		xenpv_invariant_broken("logical cr3 is not the active mm's (cr3, pgd)",
				       this_cpu_read(xen_cr3),
				       __pa(current->active_mm->pgd));
	if (this_cpu_read(xen_current_cr3) != this_cpu_read(xen_cr3))
		xenpv_invariant_broken("issued cr3 differs after a flush (issued, logical)",
				       this_cpu_read(xen_current_cr3),
				       this_cpu_read(xen_cr3));
	preempt_enable();

	failures = xenpv_failures_so_far();
	if (failures)
		xenpv_invariant_broken("hypercalls failed during boot (count)",
				       failures, 0);

	pr_info("xenpv: self-check passed (%lu pfns round-trip p2m/M2P, %lu pinned tables read-only, %lu top-level pairs consistent)\n",
		p2m_ok, xenpv_tables_checked, pairs);
	return 0;
}
late_initcall(xenpv_selfcheck);
