// SPDX-License-Identifier: GPL-2.0
/*
 * Installation of the xenpv MMU hooks, in the order Linux needs them.
 *
 * Why this file exists: the hooks come in two generations.  xen_start_kernel()
 * installs the *early* set (xen_init_mmu_ops) while the kernel still runs
 * on the domain builder's page tables and has no allocator and no struct
 * pages.  setup_arch() then builds the direct map through them, and at
 * x86_init.paging.pagetable_init (xen_pagetable_init) the *runtime* set
 * replaces them.  That second switch must happen before
 * alternative_instructions() turns every pv_ops call site into a direct
 * call; later assignments to pv_ops.mmu would be ignored (set_fixmap is
 * the exception: it is called through the pointer).  mem_init() finally
 * calls x86_init.hyper.init_after_bootmem (xpv_after_bootmem), from which
 * on struct pages carry the PG_pinned bits that the runtime hooks test.
 *
 * The cr2/cr3 hooks and the lazy MMU mode hooks live here too: they are
 * small and belong to neither page-table file.
 */
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/jump_label.h>

#include <asm/paravirt.h>
#include <asm/tlb.h>
#include <asm/x86_init.h>
#include <asm/xen/hypervisor.h>
#include <asm/xen/page.h>
#include <xen/xen-ops.h>
#include <xen/interface/xen.h>

#include "xenpv.h"
#include "queue.h"

DEFINE_STATIC_KEY_FALSE(xpv_pages_ready);

/* The logical cr3 of each CPU (pseudo-physical); read by read_cr3. */
DEFINE_PER_CPU(unsigned long, xen_cr3);
/* The cr3 Xen really has loaded: updated from a post-flush callback. */
DEFINE_PER_CPU(unsigned long, xen_current_cr3);

static noinstr void xpv_write_cr2(unsigned long cr2)
{
	this_cpu_read(xen_vcpu)->arch.cr2 = cr2;
}

static unsigned long xpv_read_cr3(void)
{
	return this_cpu_read(xen_cr3);
}

static void xpv_cr3_issued(void *cr3)
{
	this_cpu_write(xen_current_cr3, (unsigned long)cr3);
}

/* Queue the kernel base pointer switch; xen_cr3 changes immediately. */
static void xpv_queue_kernel_cr3(unsigned long cr3, unsigned long caller)
{
	unsigned long mfn = pfn_to_mfn(PFN_DOWN(cr3));

	BUG_ON(!cr3 || mfn == INVALID_P2M_ENTRY);
	this_cpu_write(xen_cr3, cr3);
	xpvq_mmuext(MMUEXT_NEW_BASEPTR, mfn, caller);
	xpvq_callback(xpv_cr3_issued, (void *)cr3);
}

/**
 * xpv_write_cr3_kernel_only() - switch the kernel top-level table alone
 * @cr3: pseudo-physical address of the new kernel pgd
 *
 * Boot-time variant: no user table exists yet.  Must not be preemptible.
 */
void xpv_write_cr3_kernel_only(unsigned long cr3)
{
	unsigned long flags;

	BUG_ON(preemptible());
	flags = xpvq_begin();
	xpv_queue_kernel_cr3(cr3, _RET_IP_);
	xpvq_end(flags, XEN_LAZY_CPU);
}

/*
 * Runtime write_cr3: load the kernel table and its user companion (0 when
 * there is none).  Inside a context switch (lazy CPU mode) the switch is
 * issued with the rest of the switch's batch.
 */
static void xpv_write_cr3(unsigned long cr3)
{
	pgd_t *user = xpv_user_pgd(__va(cr3));
	unsigned long flags, user_mfn = 0;

	BUG_ON(preemptible());
	if (user)
		user_mfn = virt_to_mfn(user);

	flags = xpvq_begin();
	xpv_queue_kernel_cr3(cr3, _RET_IP_);
	xpvq_mmuext(MMUEXT_NEW_USER_BASEPTR, user_mfn, _RET_IP_);
	xpvq_end(flags, XEN_LAZY_CPU);
}

static void xpv_lazy_mmu_enter(void)
{
	enter_lazy(XEN_LAZY_MMU);
}

static void xpv_lazy_mmu_leave(void)
{
	preempt_disable();
	xpvq_flush();
	leave_lazy(XEN_LAZY_MMU);
	preempt_enable();
}

static void xpv_lazy_mmu_flush(void)
{
	preempt_disable();
	if (xen_get_lazy_mode() == XEN_LAZY_MMU)
		xpvq_flush();
	preempt_enable();
}

/* Swap the early hooks for the runtime ones (before call-site patching). */
static void __init xpv_install_runtime_hooks(void)
{
	struct pv_mmu_ops *ops = &pv_ops.mmu;

	ops->set_pte = xpv_set_pte;
	ops->set_pmd = xpv_set_pmd;
	ops->set_pud = xpv_set_pud;
	ops->set_p4d = xpv_set_p4d;
	ops->alloc_pte = xpv_alloc_pte;
	ops->alloc_pmd = xpv_alloc_pmd;
	ops->alloc_pud = xpv_alloc_pud;
	ops->release_pte = xpv_release_pte;
	ops->release_pmd = xpv_release_pmd;
	ops->release_pud = xpv_release_pud;
	ops->make_pte = PV_CALLEE_SAVE(xpv_make_pte);
	ops->write_cr3 = xpv_write_cr3;
}

static void __init xpv_pagetable_init(void)
{
	/*
	 * From here on most PTE writes hit tables Xen already knows; the
	 * runtime set_pte goes through Xen until struct pages say otherwise.
	 */
	pv_ops.mmu.set_pte = xpv_set_pte;
	paging_init();
	xpv_install_runtime_hooks();

	xpv_move_p2m_off_builder();
	xen_build_mfn_list_list();
	xen_remap_memory();
	xen_setup_mfn_list_list();
}

static void __init xpv_after_bootmem(void)
{
	static_branch_enable(&xpv_pages_ready);
	xpv_mark_init_mm_pinned();
	xpv_contig_init();
}

static const struct pv_mmu_ops xpv_early_ops __initconst = {
	.read_cr2 = __PV_IS_CALLEE_SAVE(xen_read_cr2),
	.write_cr2 = xpv_write_cr2,
	.read_cr3 = xpv_read_cr3,
	.write_cr3 = xpv_write_cr3_kernel_only,

	.flush_tlb_user = xpv_flush_tlb,
	.flush_tlb_kernel = xpv_flush_tlb,
	.flush_tlb_one_user = xpv_flush_tlb_one_user,
	.flush_tlb_multi = xpv_flush_tlb_multi,
	.tlb_remove_table = tlb_remove_table,

	.pgd_alloc = xpv_pgd_alloc,
	.pgd_free = xpv_pgd_free,

	.alloc_pte = xpv_alloc_pte_early,
	.alloc_pmd = xpv_alloc_pmd_early,
	.alloc_pud = xpv_alloc_pmd_early,
	.release_pte = xpv_release_pte_early,
	.release_pmd = xpv_release_pmd_early,
	.release_pud = xpv_release_pmd_early,

	.set_pte = xpv_set_pte_early,
	.set_pmd = xpv_set_pmd_hyper,
	.set_pud = xpv_set_pud_hyper,
	.set_p4d = xpv_set_p4d_hyper,

	.ptep_modify_prot_start = xpv_modify_prot_start,
	.ptep_modify_prot_commit = xpv_modify_prot_commit,
	.ptep_get_and_clear = xpv_ptep_get_and_clear,
	.ptep_set_wrprotect = xpv_ptep_set_wrprotect,

	.pte_val = PV_CALLEE_SAVE(xpv_pte_val),
	.pmd_val = PV_CALLEE_SAVE(xpv_pmd_val),
	.pud_val = PV_CALLEE_SAVE(xpv_pud_val),
	.pgd_val = PV_CALLEE_SAVE(xpv_pgd_val),
	.make_pte = PV_CALLEE_SAVE(xpv_make_pte_early),
	.make_pmd = PV_CALLEE_SAVE(xpv_make_pmd),
	.make_pud = PV_CALLEE_SAVE(xpv_make_pud),
	.make_pgd = PV_CALLEE_SAVE(xpv_make_pgd),
#if CONFIG_PGTABLE_LEVELS >= 5
	.p4d_val = PV_CALLEE_SAVE(xpv_p4d_val),
	.make_p4d = PV_CALLEE_SAVE(xpv_make_p4d),
#endif

	.enter_mmap = xpv_enter_mmap,
	.exit_mmap = xpv_exit_mmap,

	.lazy_mode = {
		.enter = xpv_lazy_mmu_enter,
		.leave = xpv_lazy_mmu_leave,
		.flush = xpv_lazy_mmu_flush,
	},

	.set_fixmap = xpv_set_fixmap,
};

/**
 * xen_init_mmu_ops() - install the early MMU hooks
 *
 * Called from xen_start_kernel() on the builder's page tables.  Also
 * registers the later stages (pagetable_init, init_after_bootmem).
 */
void __init xen_init_mmu_ops(void)
{
	x86_init.paging.pagetable_init = xpv_pagetable_init;
	x86_init.hyper.init_after_bootmem = xpv_after_bootmem;
	pv_ops.mmu = xpv_early_ops;
	xpv_init_dummy_page();
}
