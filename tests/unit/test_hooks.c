// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of arch/x86/xenpv's hook layer (pte.c, pin.c, direct.c,
 * compiled by hooks_harness.c) against the model of Xen: the choice between
 * a plain store, a queued mmu_update and a direct one, and the pin/unpin
 * walker, checked against the rules Xen enforces (a validated page table
 * is never writable; its entries change only through Xen).
 */
#include <string.h>
#include <pthread.h>
#include "harness.h"
#include "model.h"
#include "hooks_harness.h"
#include <xen/xenpv/kglue.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <asm/tlbflush.h>
#include <asm/xen/hypervisor.h>
#include "../../arch/x86/xenpv/xenpv.h"

#define NDATA		8
#define MAX_L1		20
#define UADDR		0x400000UL	/* pgd 0, pud 0, pmd 2 */
#define USER_PTE	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | \
			 _PAGE_ACCESSED | _PAGE_NX)

struct tree {
	struct mm_struct mm;
	pgd_t *pgd;
	pgd_t *user;
	pud_t *l3;
	pmd_t *l2;
	pte_t *l1[MAX_L1];
	unsigned int nl1;
	void *data[NDATA];
};

static unsigned long pfn_of(const void *p)
{
	return __pa(p) >> PAGE_SHIFT;
}

static struct model_frame *frame(const void *p)
{
	return &M.f[hooks_mfn(p)];
}

static unsigned int pending(void)
{
	return plat_batches[0].nr_mc;
}

static u64 direct_mmu_updates(void)
{
	struct xenpv_direct_stats ds;

	xenpv_direct_read_stats(0, &ds);
	return ds.op[__HYPERVISOR_mmu_update];
}

/* A user mapping of data page @i, machine format. */
static pte_t data_pte(struct tree *t, unsigned int i)
{
	return xenpv_make_pte(__pa(t->data[i]) | USER_PTE);
}

/*
 * An unpinned tree as fork or exec builds it, with the set_* hooks: @nl1
 * L1 pages under one L2 (the first maps UADDR), NDATA pages mapped by the
 * first L1, and the user top-level table from xenpv_pgd_alloc().
 */
static void build_tree(struct tree *t, unsigned int nl1)
{
	unsigned int i;

	memset(t, 0, sizeof(*t));
	hooks_setup();
	spin_lock_init(&t->mm.page_table_lock);
	cpumask_set_cpu(0, mm_cpumask(&t->mm));
	t->pgd = hooks_alloc_page();
	t->l3 = hooks_alloc_page();
	t->l2 = hooks_alloc_page();
	t->nl1 = nl1;
	for (i = 0; i < nl1; i++)
		t->l1[i] = hooks_alloc_page();
	for (i = 0; i < NDATA; i++)
		t->data[i] = hooks_alloc_page();
	t->mm.pgd = t->pgd;
	BUG_ON(xenpv_pgd_alloc(&t->mm));
	t->user = (pgd_t *)virt_to_page(t->pgd)->private;

	xenpv_set_p4d((p4d_t *)&t->pgd[0], __p4d(__pa(t->l3) | _PAGE_TABLE));
	xenpv_set_pud(&t->l3[0], __pud(__pa(t->l2) | _PAGE_TABLE));
	for (i = 0; i < nl1; i++)
		xenpv_set_pmd(&t->l2[2 + i], __pmd(__pa(t->l1[i]) | _PAGE_TABLE));
	for (i = 0; i < NDATA; i++)
		xenpv_set_pte(&t->l1[0][i], data_pte(t, i));
}

static bool dm_writable(const void *p)
{
	return (hooks_dm_pte(p) & (M_P | M_RW)) == (M_P | M_RW);
}

static bool lock_free(const void *table)
{
	spinlock_t *l = &virt_to_page(table)->ptl;

	if (pthread_mutex_trylock(&l->m))
		return false;
	pthread_mutex_unlock(&l->m);
	return true;
}

TEST(hooks_translation_uses_the_p2m)
{
	unsigned long pfn = 5, flags = USER_PTE;
	pte_t pte;

	hooks_setup();
	pte = xenpv_make_pte((pfn << PAGE_SHIFT) | flags);
	CHECK_EQ(pte.pte, (HOOKS_MFN(pfn) << PAGE_SHIFT) | flags);
	CHECK_EQ(xenpv_pte_val(pte), (pfn << PAGE_SHIFT) | flags);
	/* Not present: unchanged both ways. */
	CHECK_EQ(xenpv_make_pte(0x5000).pte, 0x5000);
	/* A frame that is not ours never yields a local present entry... */
	CHECK_EQ(xenpv_pte_val(native_make_pte((300UL << PAGE_SHIFT) | flags)),
		 flags & ~_PAGE_PRESENT);
	/* ...except beyond the p2m, where frames are 1:1 (I/O). */
	CHECK_EQ(xenpv_pte_val(native_make_pte((3000UL << PAGE_SHIFT) | flags)),
		 (3000UL << PAGE_SHIFT) | flags);
}

TEST(hooks_unpinned_store_is_plain)
{
	struct tree t;

	build_tree(&t, 1);
	CHECK_EQ(hooks_hypercalls(), 0);
	CHECK_EQ(pending(), 0);
	CHECK_EQ(t.l1[0][3].pte, (HOOKS_MFN(pfn_of(t.data[3])) << PAGE_SHIFT) |
		 USER_PTE);
	CHECK_EQ(t.pgd[0].pgd, (HOOKS_MFN(pfn_of(t.l3)) << PAGE_SHIFT) |
		 _PAGE_TABLE);
	/* The user half is mirrored into the user top-level table. */
	CHECK_EQ(t.user[0].pgd, t.pgd[0].pgd);
	CHECK(!PagePinned(virt_to_page(t.l1[0])));
	/* Xen sees the stores as plain memory. */
	CHECK_EQ(hooks_xen_entry(&t.l1[0][3]), t.l1[0][3].pte);
	CHECK_EQ(plat_violations, 0);
}

TEST(hooks_model_refuses_writable_tables)
{
	struct tree t;

	build_tree(&t, 1);
	hooks_sync();
	/* Pinning without making the tables read-only first: Xen says no. */
	CHECK(model_pin(4, hooks_mfn(t.pgd)) != 0);
	CHECK(!frame(t.pgd)->pinned);
	CHECK_EQ(frame(t.l3)->type, MT_WRITABLE);
	CHECK(model_pin(1, hooks_mfn(t.l1[0])) != 0);
}

static void check_pinned(struct tree *t)
{
	const void *tables[] = { t->pgd, t->user, t->l3, t->l2 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tables); i++) {
		CHECK(PagePinned(virt_to_page(tables[i])));
		CHECK(!dm_writable(tables[i]));
		CHECK(frame(tables[i])->tcount);
	}
	for (i = 0; i < t->nl1; i++) {
		CHECK(PagePinned(virt_to_page(t->l1[i])));
		CHECK(!dm_writable(t->l1[i]));
		CHECK(frame(t->l1[i])->pinned);
		CHECK_EQ(frame(t->l1[i])->type, MT_L1);
		CHECK(lock_free(t->l1[i]));
	}
	CHECK(frame(t->pgd)->pinned);
	CHECK_EQ(frame(t->pgd)->type, MT_L4);
	CHECK(frame(t->user)->pinned);
	CHECK_EQ(frame(t->user)->type, MT_L4);
	CHECK_EQ(frame(t->l3)->type, MT_L3);
	CHECK_EQ(frame(t->l2)->type, MT_L2);
	for (i = 0; i < NDATA; i++) {
		CHECK(!PagePinned(virt_to_page(t->data[i])));
		CHECK(dm_writable(t->data[i]));
	}
	CHECK_EQ(shim_irqs_off, 0);
	CHECK_EQ(shim_preempt_count, 0);
	CHECK_EQ(shim_atomic_depth, 0);
	CHECK_EQ(plat_nr_reports, 0);
	CHECK_EQ(plat_violations, 0);
}

TEST(hooks_pin_tree)
{
	struct tree t;

	build_tree(&t, 1);
	xenpv_enter_mmap(&t.mm);
	check_pinned(&t);
	if (test_failed)
		return;
	/* One multicall: read-only remaps, then the pins Xen validates. */
	CHECK_EQ(M.multicalls, 1);
	CHECK_EQ(hooks_hypercalls(), 1);
	/* The top-level remap flushed the TLB. */
	CHECK(M.nlog >= 1);
	CHECK_EQ(M.log[M.nlog - 1].cmd, 1000 + UVMF_TLB_FLUSH);
	/* Pinning again is a no-op. */
	xenpv_enter_mmap(&t.mm);
	CHECK_EQ(hooks_hypercalls(), 1);
}

TEST(hooks_pin_bounds_the_l1_locks)
{
	struct tree t;

	build_tree(&t, MAX_L1);
	xenpv_enter_mmap(&t.mm);
	check_pinned(&t);
	if (test_failed)
		return;
	/* More L1 locks than XENPV_PIN_LOCKS_MAX: flushed once on the way. */
	CHECK_EQ(M.multicalls, 2);
	CHECK_EQ(plat_batches[0].stats.n[XENPV_FLUSH_EXPLICIT], 1);
}

TEST(hooks_unpin_tree)
{
	const void *tables[4];
	struct tree t;
	unsigned int i;

	build_tree(&t, 3);
	xenpv_enter_mmap(&t.mm);
	xenpv_exit_mmap(&t.mm);
	tables[0] = t.pgd;
	tables[1] = t.user;
	tables[2] = t.l3;
	tables[3] = t.l2;
	for (i = 0; i < ARRAY_SIZE(tables); i++) {
		CHECK(!PagePinned(virt_to_page(tables[i])));
		CHECK(dm_writable(tables[i]));
		CHECK(!frame(tables[i])->pinned);
		CHECK_EQ(frame(tables[i])->type, MT_WRITABLE);
	}
	for (i = 0; i < t.nl1; i++) {
		CHECK(!PagePinned(virt_to_page(t.l1[i])));
		CHECK(dm_writable(t.l1[i]));
		CHECK(!frame(t.l1[i])->pinned);
		CHECK_EQ(frame(t.l1[i])->type, MT_WRITABLE);
		CHECK(lock_free(t.l1[i]));
	}
	CHECK_EQ(plat_nr_reports, 0);
	CHECK_EQ(M.multicalls, 2);
	/* Teardown writes are plain stores again. */
	xenpv_set_pte(&t.l1[0][0], native_make_pte(0));
	CHECK_EQ(M.multicalls, 2);
	CHECK_EQ(hooks_hypercalls(), 2);
	CHECK_EQ(hooks_xen_entry(&t.l1[0][0]), 0);
	CHECK_EQ(plat_violations, 0);
	/* Both top-level pages are parked when the pgd is freed. */
	xenpv_pgd_free(&t.mm, t.pgd);
	CHECK_EQ(hooks_parked, 2);
	CHECK(!virt_to_page(t.pgd)->private);
}

TEST(hooks_pinned_store_is_one_direct_update)
{
	struct tree t;
	u64 before;
	pte_t pte;

	build_tree(&t, 1);
	xenpv_enter_mmap(&t.mm);
	before = direct_mmu_updates();
	pte = data_pte(&t, 2);
	xenpv_set_pte(&t.l1[0][NDATA], pte);
	CHECK_EQ(hooks_hypercalls(), 2);
	CHECK_EQ(M.direct[__HYPERVISOR_mmu_update], 1);
	CHECK_EQ(M.multicalls, 1);
	CHECK_EQ(direct_mmu_updates(), before + 1);
	CHECK_EQ(pending(), 0);
	CHECK_EQ(hooks_xen_entry(&t.l1[0][NDATA]), pte.pte);
	CHECK_EQ(t.l1[0][NDATA].pte, pte.pte);
	CHECK_EQ(hooks_emulated, 0);
	CHECK_EQ(shim_pr_errs, 0);
	CHECK_EQ(plat_violations, 0);
}

TEST(hooks_refused_direct_update_is_reported)
{
	unsigned long failed;
	struct tree t;

	build_tree(&t, 1);
	xenpv_enter_mmap(&t.mm);
	failed = xenpv_direct_failures();
	/* A writable mapping of a page table: Xen refuses, the entry stays. */
	xenpv_set_pte(&t.l1[0][NDATA], xenpv_make_pte(__pa(t.l2) | USER_PTE));
	CHECK_EQ(xenpv_direct_failures(), failed + 1);
	CHECK_EQ(shim_pr_errs, 1);
	CHECK_EQ(hooks_xen_entry(&t.l1[0][NDATA]), 0);
	CHECK_EQ(t.l1[0][NDATA].pte, 0);
	CHECK_EQ(frame(t.l2)->type, MT_L2);
}

TEST(hooks_lazy_stores_leave_as_one_entry)
{
	unsigned int i, n = 16;
	struct tree t;

	build_tree(&t, 1);
	xenpv_enter_mmap(&t.mm);
	plat_lazy[0] = XEN_LAZY_MMU;
	for (i = 0; i < n; i++)
		xenpv_set_pte(&t.l1[0][NDATA + i], data_pte(&t, i % NDATA));
	CHECK_EQ(hooks_hypercalls(), 1);
	CHECK_EQ(pending(), 1);
	CHECK_EQ(plat_batches[0].mc[0].op, __HYPERVISOR_mmu_update);
	CHECK_EQ(plat_batches[0].mc[0].args[1], n);
	CHECK_EQ(hooks_xen_entry(&t.l1[0][NDATA]), 0);
	/* arch_leave_lazy_mmu_mode() */
	plat_lazy[0] = XEN_LAZY_NONE;
	xenpv_batch_flush(XENPV_FLUSH_LAZY);
	CHECK_EQ(hooks_hypercalls(), 2);
	CHECK_EQ(M.direct[__HYPERVISOR_mmu_update], 1);
	for (i = 0; i < n; i++)
		CHECK_EQ(hooks_xen_entry(&t.l1[0][NDATA + i]),
			 data_pte(&t, i % NDATA).pte);
	CHECK_EQ(plat_nr_reports, 0);
	CHECK_EQ(plat_violations, 0);
}

TEST(hooks_wrprotect_preserves_ad)
{
	const struct mmu_update *u;
	struct tree t;
	pte_t *ptep;

	build_tree(&t, 1);
	/* Unpinned: a plain atomic clear of the RW bit, no hypercall. */
	xenpv_ptep_set_wrprotect(&t.mm, UADDR, &t.l1[0][0]);
	CHECK_EQ(t.l1[0][0].pte & _PAGE_RW, 0);
	CHECK_EQ(hooks_hypercalls(), 0);
	xenpv_enter_mmap(&t.mm);
	ptep = &t.l1[0][1];
	plat_lazy[0] = XEN_LAZY_MMU;
	xenpv_ptep_set_wrprotect(&t.mm, UADDR + PAGE_SIZE, ptep);
	CHECK_EQ(pending(), 1);
	u = (const struct mmu_update *)plat_batches[0].mc[0].args[0];
	CHECK_EQ(u->ptr & 7, MMU_PT_UPDATE_PRESERVE_AD);
	CHECK_EQ(u->ptr & ~7ULL, virt_to_machine(ptep).maddr);
	/* The hardware dirties the page before the batch is issued. */
	hooks_hw_set_ad(ptep, M_D);
	plat_lazy[0] = XEN_LAZY_NONE;
	xenpv_batch_flush(XENPV_FLUSH_LAZY);
	CHECK_EQ(hooks_xen_entry(ptep), (data_pte(&t, 1).pte & ~_PAGE_RW) |
		 _PAGE_DIRTY);
	/* Already read-only: nothing to do. */
	xenpv_ptep_set_wrprotect(&t.mm, UADDR + PAGE_SIZE, ptep);
	CHECK_EQ(hooks_hypercalls(), 2);
	CHECK_EQ(plat_nr_reports, 0);
	CHECK_EQ(plat_violations, 0);
}

TEST(hooks_get_and_clear)
{
	struct tree t;
	pte_t old;

	build_tree(&t, 1);
	xenpv_enter_mmap(&t.mm);
	/* Writable and clean: the native exchange, which Xen emulates. */
	old = xenpv_ptep_get_and_clear(&t.mm, UADDR, &t.l1[0][0]);
	CHECK_EQ(old.pte, data_pte(&t, 0).pte);
	CHECK_EQ(t.l1[0][0].pte, 0);
	CHECK_EQ(hooks_hypercalls(), 1);
	CHECK_EQ(hooks_xen_entry(&t.l1[0][0]), 0);
	CHECK_EQ(hooks_emulated, 1);
	/* Dirty, mm not loaded, outside lazy mode: one direct mmu_update. */
	hooks_hw_set_ad(&t.l1[0][1], M_D);
	old = xenpv_ptep_get_and_clear(&t.mm, UADDR + PAGE_SIZE, &t.l1[0][1]);
	CHECK_EQ(old.pte, data_pte(&t, 1).pte | _PAGE_DIRTY);
	CHECK_EQ(M.direct[__HYPERVISOR_mmu_update], 1);
	CHECK_EQ(hooks_xen_entry(&t.l1[0][1]), 0);
	/* Dirty, in lazy mode: queued. */
	hooks_hw_set_ad(&t.l1[0][2], M_D);
	plat_lazy[0] = XEN_LAZY_MMU;
	xenpv_ptep_get_and_clear(&t.mm, UADDR + 2 * PAGE_SIZE, &t.l1[0][2]);
	CHECK_EQ(pending(), 1);
	plat_lazy[0] = XEN_LAZY_NONE;
	xenpv_batch_flush(XENPV_FLUSH_LAZY);
	CHECK_EQ(hooks_xen_entry(&t.l1[0][2]), 0);
	CHECK_EQ(hooks_emulated, 1);
	CHECK_EQ(plat_nr_reports, 0);
	CHECK_EQ(plat_violations, 0);
}

/*
 * The last user of an address space exits on the CPU that has it loaded:
 * the switch away goes to Xen first, in the unpin's multicall, and Xen
 * lets every table become writable again.
 */
TEST(hooks_exit_mmap_switches_away_in_the_unpin)
{
	struct mmuext_op op = { .cmd = MMUEXT_NEW_BASEPTR };
	struct tree t;
	unsigned long before;
	unsigned int i;

	build_tree(&t, 2);
	xenpv_enter_mmap(&t.mm);
	op.arg1.mfn = hooks_mfn(t.pgd);
	CHECK_EQ(model_mmuext_op(&op, 1, NULL, DOMID_SELF), 0);
	cpu_tlbstate.loaded_mm = &t.mm;
	xen_current_cr3 = __pa(t.pgd);
	before = hooks_hypercalls();
	xenpv_exit_mmap(&t.mm);
	CHECK_EQ(hooks_leave_mm, 1);
	CHECK_EQ(hooks_hypercalls(), before + 1);
	CHECK_EQ(M.cr3[0], HOOKS_DM_L4);
	CHECK_EQ(xen_current_cr3, HOOKS_DM_L4 << PAGE_SHIFT);
	CHECK_EQ(plat_lazy[0], XEN_LAZY_NONE);
	CHECK(dm_writable(t.pgd));
	for (i = 0; i < t.nl1; i++) {
		CHECK(dm_writable(t.l1[i]));
		CHECK_EQ(frame(t.l1[i])->type, MT_WRITABLE);
	}
	CHECK_EQ(plat_nr_reports, 0);
	CHECK_EQ(plat_violations, 0);
}

TEST(hooks_get_and_clear_fuses_invlpg)
{
	struct mmuext_op op = { .cmd = MMUEXT_NEW_BASEPTR };
	struct tree t;
	pte_t old;

	build_tree(&t, 1);
	xenpv_enter_mmap(&t.mm);
	/* Run on the tree: the clear and the INVLPG go as one hypercall. */
	op.arg1.mfn = hooks_mfn(t.pgd);
	CHECK_EQ(model_mmuext_op(&op, 1, NULL, DOMID_SELF), 0);
	cpu_tlbstate.loaded_mm = &t.mm;
	hooks_hw_set_ad(&t.l1[0][3], M_D);
	old = xenpv_ptep_get_and_clear(&t.mm, UADDR + 3 * PAGE_SIZE,
				       &t.l1[0][3]);
	CHECK_EQ(old.pte, data_pte(&t, 3).pte | _PAGE_DIRTY);
	CHECK_EQ(M.direct[__HYPERVISOR_update_va_mapping], 1);
	CHECK_EQ(hooks_hypercalls(), 2);
	CHECK_EQ(hooks_xen_entry(&t.l1[0][3]), 0);
	CHECK_EQ(M.log[M.nlog - 1].cmd, 1000 + UVMF_INVLPG);
	CHECK_EQ(M.log[M.nlog - 1].addr, UADDR + 3 * PAGE_SIZE);
	CHECK_EQ(xenpv_fused_invlpg, UADDR + 3 * PAGE_SIZE);
	/* Any later update forgets it. */
	xenpv_set_pte(&t.l1[0][3], data_pte(&t, 3));
	CHECK_EQ(xenpv_fused_invlpg, 0);
	CHECK_EQ(plat_nr_reports, 0);
}

/*
 * Under the page-table lock (preemption off) pmd_populate()'s hook leaves
 * the new table's read-only remap and pin queued, and the store that links
 * it takes them to Xen in the same multicall.
 */
TEST(hooks_new_table_goes_with_its_link)
{
	struct tree t;
	pte_t *l1;
	pmd_t pmd;
	int before;

	build_tree(&t, 1);
	xenpv_enter_mmap(&t.mm);
	l1 = hooks_alloc_page();
	before = hooks_hypercalls();
	preempt_disable();
	xenpv_alloc_pte(&t.mm, pfn_of(l1));
	CHECK_EQ(hooks_hypercalls(), before);
	CHECK(dm_writable(l1));		/* not yet: still queued */
	pmd = __pmd(__pa(l1) | _PAGE_TABLE);
	xenpv_set_pmd(&t.l2[9], pmd);
	preempt_enable();
	CHECK_EQ(hooks_hypercalls(), before + 1);
	CHECK(!dm_writable(l1));
	CHECK(frame(l1)->pinned);
	CHECK_EQ(frame(l1)->type, MT_L1);
	CHECK_EQ(hooks_xen_entry(&t.l2[9]), pmd.pmd);
	CHECK_EQ(plat_nr_reports, 0);
}

TEST(hooks_new_table_in_pinned_tree)
{
	struct tree t;
	pte_t *l1;
	pmd_t pmd;

	build_tree(&t, 1);
	xenpv_enter_mmap(&t.mm);
	l1 = hooks_alloc_page();
	xenpv_set_pte(&l1[0], data_pte(&t, 0));	/* plain: not yet a table */
	CHECK_EQ(hooks_hypercalls(), 1);
	xenpv_alloc_pte(&t.mm, pfn_of(l1));
	CHECK(PagePinned(virt_to_page(l1)));
	CHECK(!dm_writable(l1));
	CHECK(frame(l1)->pinned);
	CHECK_EQ(frame(l1)->type, MT_L1);
	/* Linking it into the pinned L2 goes through Xen, which accepts it. */
	pmd = __pmd(__pa(l1) | _PAGE_TABLE);
	xenpv_set_pmd(&t.l2[9], pmd);
	CHECK_EQ(hooks_xen_entry(&t.l2[9]), pmd.pmd);
	CHECK_EQ(frame(l1)->tcount, 2);
	/* Entries of the new L1 too. */
	xenpv_set_pte(&l1[1], data_pte(&t, 1));
	CHECK_EQ(hooks_xen_entry(&l1[1]), data_pte(&t, 1).pte);
	/* Unlink and release: writable again. */
	xenpv_set_pmd(&t.l2[9], native_make_pmd(0));
	xenpv_release_pte(pfn_of(l1));
	CHECK(!PagePinned(virt_to_page(l1)));
	CHECK(dm_writable(l1));
	CHECK_EQ(frame(l1)->type, MT_WRITABLE);
	CHECK_EQ(plat_nr_reports, 0);
	CHECK_EQ(plat_violations, 0);
	CHECK_EQ(hooks_emulated, 0);
}

TEST(hooks_set_p4d_mirrors_user_half)
{
	struct tree t;
	pud_t *l3;
	p4d_t p4d;

	build_tree(&t, 1);
	xenpv_enter_mmap(&t.mm);
	l3 = hooks_alloc_page();
	xenpv_alloc_pud(&t.mm, pfn_of(l3));
	CHECK(!dm_writable(l3));
	p4d = __p4d(__pa(l3) | _PAGE_TABLE);
	xenpv_set_p4d((p4d_t *)&t.pgd[1], p4d);
	/* Two records in one mmu_update: kernel and user top level. */
	CHECK_EQ(M.direct[__HYPERVISOR_mmu_update], 1);
	CHECK_EQ(plat_batches[0].stats.n[XENPV_STAT_MERGED], 1);
	CHECK_EQ(hooks_xen_entry(&t.pgd[1]), p4d.p4d);
	CHECK_EQ(hooks_xen_entry(&t.user[1]), p4d.p4d);
	CHECK_EQ(frame(l3)->type, MT_L3);
	CHECK_EQ(frame(l3)->tcount, 2);
	CHECK_EQ(plat_nr_reports, 0);
	CHECK_EQ(plat_violations, 0);
}

/* A new L3 goes with the top-level entry that links it, in both halves. */
TEST(hooks_new_l3_goes_with_its_link)
{
	struct tree t;
	unsigned long before;
	pud_t *l3;
	p4d_t p4d;

	build_tree(&t, 1);
	xenpv_enter_mmap(&t.mm);
	l3 = hooks_alloc_page();
	before = hooks_hypercalls();
	preempt_disable();
	xenpv_alloc_pud(&t.mm, pfn_of(l3));
	CHECK_EQ(hooks_hypercalls(), before);
	CHECK(dm_writable(l3));		/* not yet: still queued */
	p4d = __p4d(__pa(l3) | _PAGE_TABLE);
	xenpv_set_p4d((p4d_t *)&t.pgd[1], p4d);
	preempt_enable();
	CHECK_EQ(hooks_hypercalls(), before + 1);
	CHECK(!dm_writable(l3));
	CHECK_EQ(frame(l3)->type, MT_L3);
	CHECK_EQ(hooks_xen_entry(&t.pgd[1]), p4d.p4d);
	CHECK_EQ(hooks_xen_entry(&t.user[1]), p4d.p4d);
	CHECK_EQ(plat_nr_reports, 0);
	CHECK_EQ(plat_violations, 0);
}

TEST(hooks_native_store_into_pinned_table_is_caught)
{
	struct tree t;

	build_tree(&t, 1);
	xenpv_enter_mmap(&t.mm);
	/* What a hook must never do: the harness undoes and reports it. */
	t.l2[7].pmd = t.l2[2].pmd;
	hooks_sync();
	CHECK_EQ(plat_violations, 1);
	CHECK_EQ(t.l2[7].pmd, 0);
	plat_violations = 0;
}

TEST(hooks_untrusted_struct_pages_mean_pinned)
{
	pte_t *table;

	hooks_setup();
	table = hooks_alloc_page();
	xenpv_pages_ready.enabled = false;
	/* Early on every table is init_mm's: the store goes through Xen. */
	xenpv_set_pte(&table[0], xenpv_make_pte(0x3000 | USER_PTE));
	CHECK_EQ(M.direct[__HYPERVISOR_mmu_update], 1);
	CHECK_EQ(hooks_xen_entry(&table[0]), xenpv_make_pte(0x3000 | USER_PTE).pte);
}

TEST(hooks_new_table_in_lazy_mode)
{
	struct tree t;
	pte_t *l1;

	build_tree(&t, 1);
	xenpv_enter_mmap(&t.mm);
	l1 = hooks_alloc_page();
	plat_lazy[0] = XEN_LAZY_MMU;
	/* pte_alloc() and a fault's set_pte_at(), all queued in order. */
	xenpv_alloc_pte(&t.mm, pfn_of(l1));
	xenpv_set_pmd(&t.l2[9], __pmd(__pa(l1) | _PAGE_TABLE));
	xenpv_set_pte(&l1[0], data_pte(&t, 0));
	CHECK_EQ(hooks_hypercalls(), 1);
	CHECK(dm_writable(l1));
	plat_lazy[0] = XEN_LAZY_NONE;
	xenpv_batch_flush(XENPV_FLUSH_LAZY);
	CHECK_EQ(M.multicalls, 2);
	CHECK(!dm_writable(l1));
	CHECK_EQ(frame(l1)->type, MT_L1);
	CHECK_EQ(hooks_xen_entry(&l1[0]), data_pte(&t, 0).pte);
	CHECK_EQ(plat_nr_reports, 0);
	CHECK_EQ(plat_violations, 0);
	CHECK_EQ(hooks_emulated, 0);
}
