/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarations shared between the files of the xenpv PV MMU hook layer.
 *
 * Why this header exists: the hooks are split by concern (install,
 * translation, pinning, TLB, boot takeover, kernel mappings, dom0 remap,
 * self-check), and those files share a little state: whether struct pages
 * may be trusted yet, the user/kernel top-level pair, the page-table
 * walker and the early (pre-runtime) helpers.  Nothing here is visible
 * outside arch/x86/xenpv; the contract with the rest of Linux is in
 * arch/x86/xen/xen-ops.h and the Xen headers.
 */
#ifndef _ARCH_X86_XENPV_XENPV_H
#define _ARCH_X86_XENPV_XENPV_H

#include <linux/types.h>
#include <linux/irqflags.h>
#include <linux/jump_label.h>
#include <linux/percpu.h>
#include <linux/mm_types.h>
#include <linux/pgtable.h>
#include <asm/xen/page.h>
#include <xen/xenpv/batch.h>

#include "xen-ops.h"

/* First address above user space, rounded up to a top-level slot. */
#define XENPV_USER_END	((STACK_TOP_MAX + PGDIR_SIZE - 1) & PGDIR_MASK)

/* pte.c: set once struct pages carry trustworthy PG_pinned bits */
DECLARE_STATIC_KEY_FALSE(xenpv_pages_ready);
void xenpv_trust_struct_pages(void);

/* cr3.c: the cr3 Xen has loaded; written once the batch really ran */
DECLARE_PER_CPU(unsigned long, xen_current_cr3);
unsigned long xenpv_read_cr3(void);
void xenpv_write_cr3(unsigned long cr3);
void xenpv_write_cr3_kernel_only(unsigned long cr3);

#ifdef CONFIG_X86_VSYSCALL_EMULATION
/* The L3 that maps the vsyscall page into every user top-level table. */
extern pud_t xenpv_vsyscall_l3[PTRS_PER_PUD];
#endif

/*
 * A section of work queued into this CPU's batch (mm/batch.c) with the
 * core's typed functions.  Interrupts stay off inside, so an interrupt
 * cannot flush a half-built entry; sections nest.  At the end the batch
 * is flushed unless this CPU is in one of the lazy modes @lazy
 * (XEN_LAZY_MMU, XEN_LAZY_CPU, or 0 for "flush now").
 */
static inline unsigned long xenpv_batch_begin(void)
{
	unsigned long flags;

	local_irq_save(flags);
	return flags;
}

static inline void xenpv_batch_end(unsigned long flags, unsigned int lazy)
{
	xenpv_batch_issue(lazy);
	local_irq_restore(flags);
}

/* multicall.c: flush this CPU's batch with interrupts off */
void xenpv_mc_flush(enum xenpv_flush_reason why);

/* direct.c: hypercalls issued at once, counted and reported */
int xenpv_direct_mmu_update(u64 ptr, u64 val, unsigned long caller);
int xenpv_direct_update_va(unsigned long va, pte_t pte, unsigned long flags,
			   unsigned long caller);
int xenpv_direct_mmuext(unsigned int cmd, unsigned long arg1,
			unsigned long caller);
void xenpv_direct_count(unsigned int op, unsigned long caller);
void xenpv_set_page_prot(void *addr, pgprot_t prot, unsigned long flags);
void xenpv_early_pin(unsigned int cmd, unsigned long pfn);

/* boot.c: stop a boot that cannot go on, before any console exists */
void __init __noreturn xenpv_boot_panic(const char *why);

/*
 * tlb.c: the user address whose clear already dropped this vCPU's TLB
 * entry (see xenpv_ptep_get_and_clear() in pte.c), or 0.  Any later change
 * of an entry (pte.c) or of the loaded address space (cr3.c) forgets it.
 */
DECLARE_PER_CPU(unsigned long, xenpv_fused_invlpg);
static inline void xenpv_forget_fused_invlpg(void)
{
	this_cpu_write(xenpv_fused_invlpg, 0);
}

/* pte.c: translation between pseudo-physical and machine entries */
pteval_t xenpv_val_to_machine(pteval_t val);
pteval_t xenpv_val_to_pseudo(pteval_t val);
bool xenpv_table_pinned(const void *table);
pgd_t *xenpv_user_pgd(pgd_t *pgd);
void xenpv_set_pte_early(pte_t *ptep, pte_t pte);
void xenpv_set_pte(pte_t *ptep, pte_t pte);
void xenpv_set_pmd_hyper(pmd_t *pmdp, pmd_t pmd);
void xenpv_set_pmd(pmd_t *pmdp, pmd_t pmd);
void xenpv_set_pud_hyper(pud_t *pudp, pud_t pud);
void xenpv_set_pud(pud_t *pudp, pud_t pud);
void xenpv_set_p4d_hyper(p4d_t *p4dp, p4d_t p4d);
void xenpv_set_p4d(p4d_t *p4dp, p4d_t p4d);
pte_t xenpv_modify_prot_start(struct vm_area_struct *vma, unsigned long addr,
			      pte_t *ptep);
void xenpv_modify_prot_commit(struct vm_area_struct *vma, unsigned long addr,
			      pte_t *ptep, pte_t pte);

/* Callee-save translation hooks (called through PV_CALLEE_SAVE thunks). */
__visible pteval_t xenpv_pte_val(pte_t pte);
__visible pmdval_t xenpv_pmd_val(pmd_t pmd);
__visible pudval_t xenpv_pud_val(pud_t pud);
__visible pgdval_t xenpv_pgd_val(pgd_t pgd);
__visible pte_t xenpv_make_pte(pteval_t val);
__visible pte_t xenpv_make_pte_early(pteval_t val);
__visible pmd_t xenpv_make_pmd(pmdval_t val);
__visible pud_t xenpv_make_pud(pudval_t val);
__visible pgd_t xenpv_make_pgd(pgdval_t val);
#if CONFIG_PGTABLE_LEVELS >= 5
__visible p4dval_t xenpv_p4d_val(p4d_t p4d);
__visible p4d_t xenpv_make_p4d(p4dval_t val);
#endif

/*
 * pte-asm.S: the common case of every *_val and make_* hook, %rdi in, %rax
 * out, nothing else changed; the rest goes to the C hooks above.
 */
void xenpv_val_to_pseudo_fast(void);
void xenpv_val_to_machine_fast(void);

/* The register-saving thunks PV_CALLEE_SAVE_REGS_THUNK emits in pte.c. */
extern typeof(xenpv_pte_val) __raw_callee_save_xenpv_pte_val;
extern typeof(xenpv_pmd_val) __raw_callee_save_xenpv_pmd_val;
extern typeof(xenpv_pud_val) __raw_callee_save_xenpv_pud_val;
extern typeof(xenpv_pgd_val) __raw_callee_save_xenpv_pgd_val;
extern typeof(xenpv_make_pte) __raw_callee_save_xenpv_make_pte;
extern typeof(xenpv_make_pte_early) __raw_callee_save_xenpv_make_pte_early;
extern typeof(xenpv_make_pmd) __raw_callee_save_xenpv_make_pmd;
extern typeof(xenpv_make_pud) __raw_callee_save_xenpv_make_pud;
extern typeof(xenpv_make_pgd) __raw_callee_save_xenpv_make_pgd;
#if CONFIG_PGTABLE_LEVELS >= 5
extern typeof(xenpv_p4d_val) __raw_callee_save_xenpv_p4d_val;
extern typeof(xenpv_make_p4d) __raw_callee_save_xenpv_make_p4d;
#endif

/* pin.c: table walking, pinning, table page life cycle */
typedef void (*xenpv_walk_fn)(struct mm_struct *mm, struct page *page,
			      enum pt_level level);
void xenpv_walk_tables(struct mm_struct *mm, pgd_t *pgd, unsigned long end,
		       xenpv_walk_fn upper, xenpv_walk_fn l1);
void xenpv_alloc_pte_early(struct mm_struct *mm, unsigned long pfn);
void xenpv_alloc_pmd_early(struct mm_struct *mm, unsigned long pfn);
void xenpv_release_pte_early(unsigned long pfn);
void xenpv_release_pmd_early(unsigned long pfn);
void xenpv_alloc_pte(struct mm_struct *mm, unsigned long pfn);
void xenpv_alloc_pmd(struct mm_struct *mm, unsigned long pfn);
void xenpv_alloc_pud(struct mm_struct *mm, unsigned long pfn);
pte_t xenpv_ptep_get_and_clear(struct mm_struct *mm, unsigned long addr,
			       pte_t *ptep);
void xenpv_ptep_set_wrprotect(struct mm_struct *mm, unsigned long addr,
			      pte_t *ptep);
void xenpv_ptep_clear_flush_and_set(struct vm_area_struct *vma,
				    unsigned long addr, pte_t *ptep, pte_t pte);
void xenpv_release_pte(unsigned long pfn);
void xenpv_release_pmd(unsigned long pfn);
void xenpv_release_pud(unsigned long pfn);
int xenpv_pgd_alloc(struct mm_struct *mm);
void xenpv_pgd_free(struct mm_struct *mm, pgd_t *pgd);
void xenpv_enter_mmap(struct mm_struct *mm);

/* park.c: freed L2-L4 pages stay out of reuse for a second or two */
struct xenpv_park_stats {
	unsigned long parked;	/* pages taken out of circulation */
	unsigned long released;	/* pages handed back to the allocator */
	unsigned long unparked;	/* freed at once: no memory for a chunk */
};

extern struct xenpv_park_stats xenpv_park_stats;
void xenpv_park_table(struct page *page);
void xenpv_exit_mmap(struct mm_struct *mm);
void xenpv_mark_init_mm_pinned(void);

/* tlb.c */
void xenpv_flush_tlb(void);
void xenpv_flush_tlb_one_user(unsigned long addr);
void xenpv_flush_tlb_multi(const struct cpumask *cpus,
			   const struct flush_tlb_info *info);
void xenpv_flush_tlb_all(void);

/* p2m_move.c: the p2m list leaves the builder's frames */
void xenpv_move_p2m_off_builder(void);

/* kmap.c */
void xenpv_set_fixmap(unsigned int idx, phys_addr_t phys, pgprot_t prot);
void xenpv_init_dummy_page(void);

/* remap.c */
void xenpv_contig_init(void);

#endif /* _ARCH_X86_XENPV_XENPV_H */
