// SPDX-License-Identifier: GPL-2.0
/*
 * Page-table entry translation and the set_* hooks.
 *
 * Why this file exists: a PV guest's page tables hold *machine* frame
 * numbers, while the rest of Linux thinks in pseudo-physical frames.  The
 * make_* hooks turn a pseudo-physical value into a machine one and the
 * *_val hooks go back; they are called from inline asm that only expects
 * %rax to change, hence the PV_CALLEE_SAVE thunks.  The set_* hooks
 * receive values that are already machine format and choose how to store
 * them:
 *
 *  - a table that Xen has not been told about (not pinned) is ordinary
 *    writable memory: a plain store is correct and by far the cheapest,
 *    and Xen validates everything once when the table is pinned;
 *  - a pinned table is read-only to us, so the store becomes an
 *    mmu_update, queued while in lazy MMU mode and issued at once
 *    otherwise;
 *  - top-level user-half entries are mirrored into the companion user
 *    top-level table that Xen loads while running user code.
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/pgtable.h>

#include <asm/paravirt.h>
#include <asm/tlbflush.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>
#include <asm/xen/page.h>
#include <xen/interface/xen.h>
#include <xen/xen.h>

#include <xen/xenpv/batch.h>

#include "xenpv.h"

/**
 * xenpv_val_to_machine() - pseudo-physical entry value to machine format
 * @val: entry value with a pfn
 *
 * A present entry whose pfn has no machine frame (ballooned out) becomes
 * an all-zero entry; the marker bits of foreign and identity p2m entries
 * are dropped.  Non-present values pass unchanged.
 *
 * Return: the machine-format value.
 */
pteval_t xenpv_val_to_machine(pteval_t val)
{
	unsigned long mfn;

	if (!(val & _PAGE_PRESENT))
		return val;

	mfn = __pfn_to_mfn((val & PTE_PFN_MASK) >> PAGE_SHIFT);
	if (unlikely(mfn == INVALID_P2M_ENTRY))
		return 0;
	mfn &= ~(FOREIGN_FRAME_BIT | IDENTITY_FRAME_BIT);
	return ((pteval_t)mfn << PAGE_SHIFT) | (val & PTE_FLAGS_MASK);
}

/**
 * xenpv_val_to_pseudo() - machine-format entry value to pseudo-physical
 * @val: entry value as stored in a page table
 *
 * A present entry naming a frame that is not ours (foreign, I/O without
 * identity p2m) is returned with its flags but without _PAGE_PRESENT, so
 * generic code never derives a local pfn from it.
 *
 * Return: the pseudo-physical value.
 */
pteval_t xenpv_val_to_pseudo(pteval_t val)
{
	pteval_t flags = val & PTE_FLAGS_MASK;
	unsigned long pfn;

	if (!(val & _PAGE_PRESENT))
		return val;

	pfn = mfn_to_pfn((val & XEN_PTE_MFN_MASK) >> PAGE_SHIFT);
	if (unlikely(pfn == ~0UL))
		return flags & ~_PAGE_PRESENT;
	return ((pteval_t)pfn << PAGE_SHIFT) | flags;
}

__visible pteval_t xenpv_pte_val(pte_t pte)
{
	return xenpv_val_to_pseudo(pte.pte);
}

PV_CALLEE_SAVE_REGS_THUNK(xenpv_pte_val);

__visible pmdval_t xenpv_pmd_val(pmd_t pmd)
{
	return xenpv_val_to_pseudo(pmd.pmd);
}

PV_CALLEE_SAVE_REGS_THUNK(xenpv_pmd_val);

__visible pudval_t xenpv_pud_val(pud_t pud)
{
	return xenpv_val_to_pseudo(pud.pud);
}

PV_CALLEE_SAVE_REGS_THUNK(xenpv_pud_val);

__visible pgdval_t xenpv_pgd_val(pgd_t pgd)
{
	return xenpv_val_to_pseudo(pgd.pgd);
}

PV_CALLEE_SAVE_REGS_THUNK(xenpv_pgd_val);

__visible pte_t xenpv_make_pte(pteval_t val)
{
	return native_make_pte(xenpv_val_to_machine(val));
}

PV_CALLEE_SAVE_REGS_THUNK(xenpv_make_pte);

/*
 * Before the p2m list moves off the builder's frames, those frames (and
 * the tables mapping them, when the builder placed the list in its own
 * top-level slot) are page tables or must stay read-only; the direct map
 * being built must not map them writable.
 */
__visible pte_t xenpv_make_pte_early(pteval_t val)
{
	unsigned long pfn = (val & PTE_PFN_MASK) >> PAGE_SHIFT;
	unsigned long first = xen_start_info->first_p2m_pfn;

	if (xen_start_info->mfn_list < __START_KERNEL_map &&
	    pfn >= first && pfn < first + xen_start_info->nr_p2m_frames)
		val &= ~_PAGE_RW;
	return native_make_pte(xenpv_val_to_machine(val));
}

PV_CALLEE_SAVE_REGS_THUNK(xenpv_make_pte_early);

__visible pmd_t xenpv_make_pmd(pmdval_t val)
{
	return native_make_pmd(xenpv_val_to_machine(val));
}

PV_CALLEE_SAVE_REGS_THUNK(xenpv_make_pmd);

__visible pud_t xenpv_make_pud(pudval_t val)
{
	return native_make_pud(xenpv_val_to_machine(val));
}

PV_CALLEE_SAVE_REGS_THUNK(xenpv_make_pud);

__visible pgd_t xenpv_make_pgd(pgdval_t val)
{
	return native_make_pgd(xenpv_val_to_machine(val));
}

PV_CALLEE_SAVE_REGS_THUNK(xenpv_make_pgd);

#if CONFIG_PGTABLE_LEVELS >= 5
__visible p4dval_t xenpv_p4d_val(p4d_t p4d)
{
	return xenpv_val_to_pseudo(p4d.p4d);
}

PV_CALLEE_SAVE_REGS_THUNK(xenpv_p4d_val);

__visible p4d_t xenpv_make_p4d(p4dval_t val)
{
	return native_make_p4d(xenpv_val_to_machine(val));
}

PV_CALLEE_SAVE_REGS_THUNK(xenpv_make_p4d);
#endif

/* Set once struct pages carry trustworthy PG_pinned bits (mem_init). */
DEFINE_STATIC_KEY_FALSE(xenpv_pages_ready);

/**
 * xenpv_trust_struct_pages() - PG_pinned bits are valid from now on
 *
 * Called once from mem_init() (init_after_bootmem), after every table of
 * init_mm has been flagged; before that every table is init_mm's.
 */
void __init xenpv_trust_struct_pages(void)
{
	static_branch_enable(&xenpv_pages_ready);
}

/**
 * xenpv_table_pinned() - is the page-table page holding @table pinned?
 * @table: any address inside a page-table page
 *
 * Until struct pages are trustworthy every table belongs to init_mm,
 * which is pinned from the start, so the answer is "yes".
 *
 * Return: true if stores into @table must go through Xen.
 */
bool xenpv_table_pinned(const void *table)
{
	if (!static_branch_likely(&xenpv_pages_ready))
		return true;
	return PagePinned(virt_to_page(table));
}

/**
 * xenpv_user_pgd() - the user top-level slot mirroring a kernel one
 * @pgd: a slot in a kernel top-level table
 *
 * Return: the matching slot of the companion user table, or NULL when
 * @pgd is not in the user half or its table has no companion.
 */
pgd_t *xenpv_user_pgd(pgd_t *pgd)
{
	unsigned long base = (unsigned long)pgd & PAGE_MASK;
	unsigned int idx = pgd - (pgd_t *)base;
	pgd_t *user;

	if (idx >= pgd_index(XENPV_USER_END) ||
	    !static_branch_likely(&xenpv_pages_ready))
		return NULL;
	user = (pgd_t *)virt_to_page((void *)base)->private;
	return user ? user + idx : NULL;
}

/* One store through Xen: queued in lazy MMU mode, else issued now. */
static void xenpv_store_via_xen(u64 ptr, u64 val, unsigned long caller)
{
	unsigned long flags;

	xenpv_forget_fused_invlpg();
	if (xen_get_lazy_mode() == XEN_LAZY_MMU) {
		flags = xenpv_batch_begin();
		xenpv_batch_mmu_update(ptr, val, DOMID_SELF, caller);
		xenpv_batch_end(flags, XEN_LAZY_MMU);
		return;
	}
	xenpv_direct_mmu_update(ptr, val, caller);
}

/**
 * xenpv_set_pte_early() - set_pte while the direct map is being built
 * @ptep: the entry
 * @pte: machine-format value
 *
 * Plain stores; Xen emulates writes into its pinned L1s.  early_ioremap
 * entries take effect immediately through a hypercall.
 */
void __init xenpv_set_pte_early(pte_t *ptep, pte_t pte)
{
	if (unlikely(is_early_ioremap_ptep(ptep)))
		xenpv_store_via_xen(virt_to_machine(ptep).maddr |
				    MMU_NORMAL_PT_UPDATE, pte.pte,
				    _RET_IP_);
	else
		native_set_pte(ptep, pte);
}

/**
 * xenpv_set_pte() - runtime set_pte hook
 * @ptep: the entry
 * @pte: machine-format value
 */
void xenpv_set_pte(pte_t *ptep, pte_t pte)
{
	if (!xenpv_table_pinned(ptep)) {
		native_set_pte(ptep, pte);
		return;
	}
	xenpv_store_via_xen(virt_to_machine(ptep).maddr | MMU_NORMAL_PT_UPDATE,
			    pte.pte, _RET_IP_);
}

/*
 * Write @pte at user address @addr of @mm, the mm loaded on this CPU, and
 * drop this CPU's TLB entry for it, in one update_va_mapping.  False if
 * @mm is not the loaded one or Xen refused (reported; nothing changed).
 */
static bool xenpv_set_loaded_and_invlpg(struct mm_struct *mm,
					unsigned long addr, pte_t pte,
					unsigned long caller)
{
	if (addr >= TASK_SIZE_MAX ||
	    this_cpu_read(cpu_tlbstate.loaded_mm) != mm)
		return false;
	return !xenpv_direct_update_va(addr, pte, UVMF_INVLPG | UVMF_LOCAL,
				       caller);
}

/*
 * Clear a user entry of the loaded address space and drop this vCPU's TLB
 * entry for it in one update_va_mapping.  Outside lazy mode the clear is
 * almost always the first half of ptep_clear_flush() (a COW fault), whose
 * flush_tlb_page() would otherwise cost a second hypercall for the same
 * INVLPG; xenpv_flush_tlb_one_user() skips that one if nothing touched the
 * tables in between (every other update forgets the note).  Returns false
 * if this case does not apply.
 */
static bool xenpv_clear_and_invlpg(struct mm_struct *mm, unsigned long addr,
				   unsigned long caller)
{
	if (!xenpv_set_loaded_and_invlpg(mm, addr, __pte(0), caller))
		return false;
	this_cpu_write(xenpv_fused_invlpg, addr & PAGE_MASK);
	return true;
}

/**
 * xenpv_ptep_get_and_clear() - ptep_get_and_clear hook (munmap, mremap, COW)
 * @mm: owner of the table
 * @addr: the address the entry maps
 * @ptep: the entry
 *
 * On bare metal this is an atomic exchange; on a pinned table that is one
 * trapped, emulated write per entry.  The caller holds the PTE lock, so
 * only the hardware can change the entry meanwhile: it may set Accessed
 * (losing that is harmless) and it may set Dirty through a writable clean
 * entry (losing that loses data).  Those entries keep the atomic exchange;
 * every other one is cleared with an mmu_update that joins the lazy MMU
 * batch.  Generic code flushes the TLB after lazy mode ends, before the
 * page can be freed.  Outside lazy mode a present user entry of the loaded
 * mm is cleared together with its INVLPG (xenpv_clear_and_invlpg()).
 *
 * Return: the old entry (machine format).
 */
pte_t xenpv_ptep_get_and_clear(struct mm_struct *mm, unsigned long addr,
			       pte_t *ptep)
{
	pte_t old;

	if (!xenpv_table_pinned(ptep))
		return native_ptep_get_and_clear(ptep);
	old = READ_ONCE(*ptep);
	if (!old.pte)
		return old;
	if ((old.pte & (_PAGE_PRESENT | _PAGE_RW | _PAGE_DIRTY)) ==
	    (_PAGE_PRESENT | _PAGE_RW)) {
		xenpv_forget_fused_invlpg();
		return native_ptep_get_and_clear(ptep);
	}
	if ((old.pte & _PAGE_PRESENT) &&
	    xen_get_lazy_mode() != XEN_LAZY_MMU &&
	    xenpv_clear_and_invlpg(mm, addr, _RET_IP_))
		return old;
	xenpv_store_via_xen(virt_to_machine(ptep).maddr | MMU_NORMAL_PT_UPDATE,
			    0, _RET_IP_);
	return old;
}

/*
 * Can a COW switch go out as one update_va_mapping with a local INVLPG?
 * Only when no other CPU can hold a TLB entry of @mm (mm_cpumask is a
 * superset of those), outside lazy MMU mode (queued updates must go first)
 * and on a pinned table (an unpinned one is plain memory anyway); that @mm
 * is the loaded one is checked by xenpv_set_loaded_and_invlpg().  The
 * caller holds the PTE lock, so this CPU stays put.
 */
static bool xenpv_cow_fusable(struct mm_struct *mm, pte_t *ptep)
{
	if (!xen_pv_domain() || IS_ENABLED(CONFIG_PAGE_TABLE_CHECK))
		return false;
	if (xen_get_lazy_mode() != XEN_LAZY_NONE)
		return false;
	if (!cpumask_equal(mm_cpumask(mm), cpumask_of(smp_processor_id())))
		return false;
	return xenpv_table_pinned(ptep);
}

/**
 * xenpv_ptep_clear_flush_and_set() - ptep_clear_flush_and_set hook (COW)
 * @vma: the faulting VMA
 * @addr: the faulting address
 * @ptep: its entry, PTE lock held
 * @pte: the new entry (machine format)
 *
 * wp_page_copy() switches a COW entry to its new page with this.  Where
 * no other CPU can hold the old entry, there is no window in which two
 * TLBs disagree, so the entry is switched and this CPU's TLB entry dropped
 * in one update_va_mapping: a COW fault costs one hypercall instead of
 * two.  Otherwise, or if Xen refuses (reported, nothing changed), the
 * native clear, flush and set run.
 */
void xenpv_ptep_clear_flush_and_set(struct vm_area_struct *vma,
				    unsigned long addr, pte_t *ptep, pte_t pte)
{
	struct mm_struct *mm = vma->vm_mm;

	if (xenpv_cow_fusable(mm, ptep)) {
		xenpv_forget_fused_invlpg();
		if (xenpv_set_loaded_and_invlpg(mm, addr, pte, _RET_IP_))
			return;
	}
	pv_native_ptep_clear_flush_and_set(vma, addr, ptep, pte);
}

/**
 * xenpv_ptep_set_wrprotect() - ptep_set_wrprotect hook (fork's COW protect)
 * @mm: owner of the table
 * @addr: the address the entry maps
 * @ptep: the entry (present)
 *
 * Queues the read-only value with MMU_PT_UPDATE_PRESERVE_AD, so Xen keeps
 * any Accessed/Dirty bit the hardware sets before the batch is issued.
 * fork calls this inside lazy MMU mode under the PTE lock, so a parent of
 * N pages costs N/512 hypercalls instead of N traps.  An unpinned table is
 * ordinary memory and gets the native cmpxchg.
 */
void xenpv_ptep_set_wrprotect(struct mm_struct *mm, unsigned long addr,
			      pte_t *ptep)
{
	pte_t old;

	if (!xenpv_table_pinned(ptep)) {
		native_ptep_set_wrprotect(ptep);
		return;
	}
	old = READ_ONCE(*ptep);
	if (!(old.pte & _PAGE_RW))
		return;
	xenpv_store_via_xen(virt_to_machine(ptep).maddr |
			    MMU_PT_UPDATE_PRESERVE_AD,
			    pte_wrprotect(old).pte, _RET_IP_);
}

/* Upper-level store through Xen; the table may be ioremapped early on. */
static void xenpv_set_upper_hyper(void *ptr, u64 val, unsigned long caller)
{
	unsigned long flags;

	preempt_disable();
	xenpv_forget_fused_invlpg();
	flags = xenpv_batch_begin();
	xenpv_batch_mmu_update(arbitrary_virt_to_machine(ptr).maddr |
			       MMU_NORMAL_PT_UPDATE, val, DOMID_SELF, caller);
	xenpv_batch_end(flags, XEN_LAZY_MMU);
	preempt_enable();
}

/**
 * xenpv_set_pmd_hyper() - set_pmd that always goes through Xen (early boot)
 * @pmdp: the entry
 * @pmd: machine-format value
 */
void xenpv_set_pmd_hyper(pmd_t *pmdp, pmd_t pmd)
{
	xenpv_set_upper_hyper(pmdp, pmd.pmd, _RET_IP_);
}

/**
 * xenpv_set_pmd() - runtime set_pmd hook
 * @pmdp: the entry
 * @pmd: machine-format value
 */
void xenpv_set_pmd(pmd_t *pmdp, pmd_t pmd)
{
	if (!xenpv_table_pinned(pmdp)) {
		native_set_pmd(pmdp, pmd);
		return;
	}
	xenpv_set_upper_hyper(pmdp, pmd.pmd, _RET_IP_);
}

/**
 * xenpv_set_pud_hyper() - set_pud that always goes through Xen (early boot)
 * @pudp: the entry
 * @pud: machine-format value
 */
void xenpv_set_pud_hyper(pud_t *pudp, pud_t pud)
{
	xenpv_set_upper_hyper(pudp, pud.pud, _RET_IP_);
}

/**
 * xenpv_set_pud() - runtime set_pud hook
 * @pudp: the entry
 * @pud: machine-format value
 */
void xenpv_set_pud(pud_t *pudp, pud_t pud)
{
	if (!xenpv_table_pinned(pudp)) {
		native_set_pud(pudp, pud);
		return;
	}
	xenpv_set_upper_hyper(pudp, pud.pud, _RET_IP_);
}

/**
 * xenpv_set_p4d_hyper() - set_p4d for early boot
 * @p4dp: the entry (a top-level slot: p4d is folded on PV)
 * @p4d: machine-format value
 *
 * Only init_mm exists this early: it is pinned and has no user table.
 */
void __init xenpv_set_p4d_hyper(p4d_t *p4dp, p4d_t p4d)
{
	xenpv_set_upper_hyper(p4dp, p4d.p4d, _RET_IP_);
}

/**
 * xenpv_set_p4d() - runtime set_p4d hook, mirroring user-half slots
 * @p4dp: the entry (a top-level slot: p4d is folded on PV)
 * @p4d: machine-format value
 *
 * A pinned user table behind an unpinned kernel one is warned about, and
 * its slot is still written, through Xen.
 */
void xenpv_set_p4d(p4d_t *p4dp, p4d_t p4d)
{
	pgd_t *user = xenpv_user_pgd((pgd_t *)p4dp);
	unsigned long flags;

	if (!xenpv_table_pinned(p4dp)) {
		WRITE_ONCE(p4dp->p4d, p4d.p4d);
		if (!user)
			return;
		/* Both halves are pinned together: a lone pinned one is a bug. */
		if (WARN_ON_ONCE(xenpv_table_pinned(user)))
			xenpv_set_upper_hyper(user, p4d.p4d, _RET_IP_);
		else
			WRITE_ONCE(user->pgd, p4d.p4d);
		return;
	}

	preempt_disable();
	xenpv_forget_fused_invlpg();
	flags = xenpv_batch_begin();
	xenpv_batch_mmu_update(virt_to_machine(p4dp).maddr |
			       MMU_NORMAL_PT_UPDATE, p4d.p4d, DOMID_SELF,
			       _RET_IP_);
	if (user)
		xenpv_batch_mmu_update(virt_to_machine(user).maddr |
				       MMU_NORMAL_PT_UPDATE, p4d.p4d,
				       DOMID_SELF, _RET_IP_);
	xenpv_batch_end(flags, XEN_LAZY_MMU);
	preempt_enable();
}

/**
 * xenpv_modify_prot_start() - begin a protection change of a live PTE
 * @vma: the mapping
 * @addr: the address
 * @ptep: the entry
 *
 * The entry is left in place: the commit tells Xen to keep the accessed
 * and dirty bits the hardware sets in between.
 *
 * Return: the current entry.
 */
pte_t xenpv_modify_prot_start(struct vm_area_struct *vma, unsigned long addr,
			      pte_t *ptep)
{
	return *ptep;
}

/**
 * xenpv_modify_prot_commit() - finish a protection change of a live PTE
 * @vma: the mapping
 * @addr: the address
 * @ptep: the entry
 * @pte: the new value (machine format)
 *
 * An unpinned table is not loaded anywhere, so nobody can set A/D bits
 * behind our back and a plain store will do.
 */
void xenpv_modify_prot_commit(struct vm_area_struct *vma, unsigned long addr,
			      pte_t *ptep, pte_t pte)
{
	unsigned long flags;

	if (!xenpv_table_pinned(ptep)) {
		native_set_pte(ptep, pte);
		return;
	}
	xenpv_forget_fused_invlpg();
	flags = xenpv_batch_begin();
	xenpv_batch_mmu_update(virt_to_machine(ptep).maddr |
			       MMU_PT_UPDATE_PRESERVE_AD, pte.pte, DOMID_SELF,
			       _RET_IP_);
	xenpv_batch_end(flags, XEN_LAZY_MMU);
}
