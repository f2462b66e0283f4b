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
 * calls x86_init.hyper.init_after_bootmem (xenpv_after_bootmem), from which
 * on struct pages carry the PG_pinned bits that the runtime hooks test.
 *
 * The cr2 hook and the lazy MMU mode hooks live here too: they are small
 * and belong to no other file.
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

static noinstr void xenpv_write_cr2(unsigned long cr2)
{
	this_cpu_read(xen_vcpu)->arch.cr2 = cr2;
}

static void xenpv_lazy_mmu_enter(void)
{
	enter_lazy(XEN_LAZY_MMU);
}

static void xenpv_lazy_mmu_leave(void)
{
	preempt_disable();
	xenpv_mc_flush(XENPV_FLUSH_LAZY);
	leave_lazy(XEN_LAZY_MMU);
	preempt_enable();
}

static void xenpv_lazy_mmu_flush(void)
{
	preempt_disable();
	if (xen_get_lazy_mode() == XEN_LAZY_MMU)
		xenpv_mc_flush(XENPV_FLUSH_LAZY);
	preempt_enable();
}

/*
 * The entry translations without thunks (pte-asm.S), where their frame
 * mask is the kernel's: every present entry Linux reads or makes goes
 * through one of these, several times per fault.
 */
static void __init xenpv_install_fast_translation(struct pv_mmu_ops *ops)
{
	struct paravirt_callee_save to_pseudo, to_machine;

	if (PTE_PFN_MASK != XEN_PTE_MFN_MASK) {
		pr_info("xenpv: PTE_PFN_MASK %#llx is not Xen's, entry translation stays in C\n",
			(unsigned long long)PTE_PFN_MASK);
		return;
	}
	to_pseudo = __PV_IS_CALLEE_SAVE(xenpv_val_to_pseudo_fast);
	to_machine = __PV_IS_CALLEE_SAVE(xenpv_val_to_machine_fast);
	ops->pte_val = to_pseudo;
	ops->pmd_val = to_pseudo;
	ops->pud_val = to_pseudo;
	ops->pgd_val = to_pseudo;
	ops->make_pte = to_machine;
	ops->make_pmd = to_machine;
	ops->make_pud = to_machine;
	ops->make_pgd = to_machine;
#if CONFIG_PGTABLE_LEVELS >= 5
	ops->p4d_val = to_pseudo;
	ops->make_p4d = to_machine;
#endif
}

/* Swap the early hooks for the runtime ones (before call-site patching). */
static void __init xenpv_install_runtime_hooks(void)
{
	struct pv_mmu_ops *ops = &pv_ops.mmu;

	ops->set_pte = xenpv_set_pte;
	ops->set_pmd = xenpv_set_pmd;
	ops->set_pud = xenpv_set_pud;
	ops->set_p4d = xenpv_set_p4d;
	ops->alloc_pte = xenpv_alloc_pte;
	ops->alloc_pmd = xenpv_alloc_pmd;
	ops->alloc_pud = xenpv_alloc_pud;
	ops->release_pte = xenpv_release_pte;
	ops->release_pmd = xenpv_release_pmd;
	ops->release_pud = xenpv_release_pud;
	ops->make_pte = PV_CALLEE_SAVE(xenpv_make_pte);
	ops->write_cr3 = xenpv_write_cr3;
	xenpv_install_fast_translation(ops);
}

static void __init xenpv_pagetable_init(void)
{
	/*
	 * From here on most PTE writes hit tables Xen already knows; the
	 * runtime set_pte goes through Xen until struct pages say otherwise.
	 */
	pv_ops.mmu.set_pte = xenpv_set_pte;
	paging_init();
	xenpv_install_runtime_hooks();

	xenpv_move_p2m_off_builder();
	xen_build_mfn_list_list();
	xen_remap_memory();
	xen_setup_mfn_list_list();
}

static void __init xenpv_after_bootmem(void)
{
	xenpv_trust_struct_pages();
	xenpv_mark_init_mm_pinned();
	xenpv_contig_init();
}

static const struct pv_mmu_ops xenpv_early_ops __initconst = {
	.read_cr2 = __PV_IS_CALLEE_SAVE(xen_read_cr2),
	.write_cr2 = xenpv_write_cr2,
	.read_cr3 = xenpv_read_cr3,
	.write_cr3 = xenpv_write_cr3_kernel_only,

	.flush_tlb_user = xenpv_flush_tlb,
	.flush_tlb_kernel = xenpv_flush_tlb,
	.flush_tlb_one_user = xenpv_flush_tlb_one_user,
	.flush_tlb_multi = xenpv_flush_tlb_multi,
	.tlb_remove_table = tlb_remove_table,

	.pgd_alloc = xenpv_pgd_alloc,
	.pgd_free = xenpv_pgd_free,

	.alloc_pte = xenpv_alloc_pte_early,
	.alloc_pmd = xenpv_alloc_pmd_early,
	.alloc_pud = xenpv_alloc_pmd_early,
	.release_pte = xenpv_release_pte_early,
	.release_pmd = xenpv_release_pmd_early,
	.release_pud = xenpv_release_pmd_early,

	.set_pte = xenpv_set_pte_early,
	.set_pmd = xenpv_set_pmd_hyper,
	.set_pud = xenpv_set_pud_hyper,
	.set_p4d = xenpv_set_p4d_hyper,

	.ptep_modify_prot_start = xenpv_modify_prot_start,
	.ptep_modify_prot_commit = xenpv_modify_prot_commit,
	.ptep_get_and_clear = xenpv_ptep_get_and_clear,
	.ptep_set_wrprotect = xenpv_ptep_set_wrprotect,
	.ptep_clear_flush_and_set = xenpv_ptep_clear_flush_and_set,

	.pte_val = PV_CALLEE_SAVE(xenpv_pte_val),
	.pmd_val = PV_CALLEE_SAVE(xenpv_pmd_val),
	.pud_val = PV_CALLEE_SAVE(xenpv_pud_val),
	.pgd_val = PV_CALLEE_SAVE(xenpv_pgd_val),
	.make_pte = PV_CALLEE_SAVE(xenpv_make_pte_early),
	.make_pmd = PV_CALLEE_SAVE(xenpv_make_pmd),
	.make_pud = PV_CALLEE_SAVE(xenpv_make_pud),
	.make_pgd = PV_CALLEE_SAVE(xenpv_make_pgd),
#if CONFIG_PGTABLE_LEVELS >= 5
	.p4d_val = PV_CALLEE_SAVE(xenpv_p4d_val),
	.make_p4d = PV_CALLEE_SAVE(xenpv_make_p4d),
#endif

	.enter_mmap = xenpv_enter_mmap,
	.exit_mmap = xenpv_exit_mmap,

	.lazy_mode = {
		.enter = xenpv_lazy_mmu_enter,
		.leave = xenpv_lazy_mmu_leave,
		.flush = xenpv_lazy_mmu_flush,
	},

	.set_fixmap = xenpv_set_fixmap,
};

/**
 * xen_init_mmu_ops() - install the early MMU hooks
 *
 * Called from xen_start_kernel() on the builder's page tables.  Also
 * registers the later stages (pagetable_init, init_after_bootmem).
 */
void __init xen_init_mmu_ops(void)
{
	x86_init.paging.pagetable_init = xenpv_pagetable_init;
	x86_init.hyper.init_after_bootmem = xenpv_after_bootmem;
	pv_ops.mmu = xenpv_early_ops;
	xenpv_init_dummy_page();
}
