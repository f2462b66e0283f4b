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
#include <linux/jump_label.h>
#include <linux/percpu.h>
#include <linux/mm_types.h>
#include <asm/pgtable.h>
#include <asm/xen/page.h>

#include "xen-ops.h"

/* First address above user space, rounded up to a top-level slot. */
#define XPV_USER_END	((STACK_TOP_MAX + PGDIR_SIZE - 1) & PGDIR_MASK)

/* Set once struct pages carry trustworthy PG_pinned bits (mem_init). */
DECLARE_STATIC_KEY_FALSE(xpv_pages_ready);

/* cr3 as issued to Xen: only written after the batch really ran. */
DECLARE_PER_CPU(unsigned long, xen_current_cr3);

#ifdef CONFIG_X86_VSYSCALL_EMULATION
/* The L3 that maps the vsyscall page into every user top-level table. */
extern pud_t xpv_vsyscall_l3[PTRS_PER_PUD];
#endif

/* pte.c: translation between pseudo-physical and machine entries */
pteval_t xpv_val_to_machine(pteval_t val);
pteval_t xpv_val_to_pseudo(pteval_t val);
bool xpv_table_pinned(const void *table);
pgd_t *xpv_user_pgd(pgd_t *pgd);
void xpv_set_pte_early(pte_t *ptep, pte_t pte);
void xpv_set_pte(pte_t *ptep, pte_t pte);
void xpv_set_pmd_hyper(pmd_t *pmdp, pmd_t pmd);
void xpv_set_pmd(pmd_t *pmdp, pmd_t pmd);
void xpv_set_pud_hyper(pud_t *pudp, pud_t pud);
void xpv_set_pud(pud_t *pudp, pud_t pud);
void xpv_set_p4d_hyper(p4d_t *p4dp, p4d_t p4d);
void xpv_set_p4d(p4d_t *p4dp, p4d_t p4d);
pte_t xpv_modify_prot_start(struct vm_area_struct *vma, unsigned long addr,
			    pte_t *ptep);
void xpv_modify_prot_commit(struct vm_area_struct *vma, unsigned long addr,
			    pte_t *ptep, pte_t pte);

/* Callee-save translation hooks (called through PV_CALLEE_SAVE thunks). */
__visible pteval_t xpv_pte_val(pte_t pte);
__visible pmdval_t xpv_pmd_val(pmd_t pmd);
__visible pudval_t xpv_pud_val(pud_t pud);
__visible pgdval_t xpv_pgd_val(pgd_t pgd);
__visible pte_t xpv_make_pte(pteval_t val);
__visible pte_t xpv_make_pte_early(pteval_t val);
__visible pmd_t xpv_make_pmd(pmdval_t val);
__visible pud_t xpv_make_pud(pudval_t val);
__visible pgd_t xpv_make_pgd(pgdval_t val);
#if CONFIG_PGTABLE_LEVELS >= 5
__visible p4dval_t xpv_p4d_val(p4d_t p4d);
__visible p4d_t xpv_make_p4d(p4dval_t val);
#endif

/* The register-saving thunks PV_CALLEE_SAVE_REGS_THUNK emits in pte.c. */
extern typeof(xpv_pte_val) __raw_callee_save_xpv_pte_val;
extern typeof(xpv_pmd_val) __raw_callee_save_xpv_pmd_val;
extern typeof(xpv_pud_val) __raw_callee_save_xpv_pud_val;
extern typeof(xpv_pgd_val) __raw_callee_save_xpv_pgd_val;
extern typeof(xpv_make_pte) __raw_callee_save_xpv_make_pte;
extern typeof(xpv_make_pte_early) __raw_callee_save_xpv_make_pte_early;
extern typeof(xpv_make_pmd) __raw_callee_save_xpv_make_pmd;
extern typeof(xpv_make_pud) __raw_callee_save_xpv_make_pud;
extern typeof(xpv_make_pgd) __raw_callee_save_xpv_make_pgd;
#if CONFIG_PGTABLE_LEVELS >= 5
extern typeof(xpv_p4d_val) __raw_callee_save_xpv_p4d_val;
extern typeof(xpv_make_p4d) __raw_callee_save_xpv_make_p4d;
#endif

/* pin.c: table walking, pinning, table page life cycle */
typedef void (*xpv_walk_fn)(struct mm_struct *mm, struct page *page,
			    enum pt_level level);
void xpv_walk_tables(struct mm_struct *mm, pgd_t *pgd, unsigned long end,
		     xpv_walk_fn upper, xpv_walk_fn l1);
void xpv_early_pin(unsigned int cmd, unsigned long pfn);
void xpv_alloc_pte_early(struct mm_struct *mm, unsigned long pfn);
void xpv_alloc_pmd_early(struct mm_struct *mm, unsigned long pfn);
void xpv_release_pte_early(unsigned long pfn);
void xpv_release_pmd_early(unsigned long pfn);
void xpv_alloc_pte(struct mm_struct *mm, unsigned long pfn);
void xpv_alloc_pmd(struct mm_struct *mm, unsigned long pfn);
void xpv_alloc_pud(struct mm_struct *mm, unsigned long pfn);
pte_t xpv_ptep_get_and_clear(struct mm_struct *mm, unsigned long addr,
			     pte_t *ptep);
int xpv_ptep_set_wrprotect(struct mm_struct *mm, unsigned long addr,
			   pte_t *ptep);
void xpv_release_pte(unsigned long pfn);
void xpv_release_pmd(unsigned long pfn);
void xpv_release_pud(unsigned long pfn);
int xpv_pgd_alloc(struct mm_struct *mm);
void xpv_pgd_free(struct mm_struct *mm, pgd_t *pgd);
void xpv_enter_mmap(struct mm_struct *mm);

/* park.c: freed L2-L4 pages stay out of reuse for a second or two */
struct xpv_park_stats {
	unsigned long parked;	/* pages taken out of circulation */
	unsigned long released;	/* pages handed back to the allocator */
	unsigned long unparked;	/* freed at once: no memory for a chunk */
};
extern struct xpv_park_stats xpv_park_stats;
void xpv_park_table(struct page *page);
void xpv_exit_mmap(struct mm_struct *mm);
void xpv_mark_init_mm_pinned(void);

/* tlb.c */
void xpv_flush_tlb(void);
void xpv_flush_tlb_one_user(unsigned long addr);
void xpv_flush_tlb_multi(const struct cpumask *cpus,
			 const struct flush_tlb_info *info);
void xpv_flush_tlb_all(void);

/* boot.c / p2m_move.c: boot-time takeover of the builder's tables */
void xpv_set_page_prot(void *addr, pgprot_t prot, unsigned long flags);
void xpv_move_p2m_off_builder(void);

/* kmap.c */
void xpv_set_fixmap(unsigned int idx, phys_addr_t phys, pgprot_t prot);
void xpv_init_dummy_page(void);

/* remap.c */
void xpv_contig_init(void);

/* hooks.c */
void xpv_write_cr3_kernel_only(unsigned long cr3);

#endif /* _ARCH_X86_XENPV_XENPV_H */
