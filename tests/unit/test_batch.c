// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of mm/batch.c against the Xen model: merging, direct vs
 * multicall issue, flush reasons, callbacks, the Linux multicall API shape,
 * per-CPU separation, and the defined outcome of every kind of failure.
 */
#include <string.h>
#include "harness.h"
#include "model.h"

#define L4 10
#define L3 11
#define L2 12
#define L1 13
#define PT (M_P | M_RW | M_A | M_D)
#define LAZY_MMU 1
#define LAZY_CPU 2

static void setup_tables(void)
{
	struct mmuext_op op = { .cmd = MMUEXT_NEW_BASEPTR };
	unsigned long i;

	for (i = 0; i < 400; i++)
		model_own(i, MODEL_DOM_SELF);
	for (i = 400; i < 410; i++)
		model_own(i, MODEL_DOM_OTHER);
	M.f[L4].e[0] = ((uint64_t)L3 << 12) | PT;
	M.f[L3].e[0] = ((uint64_t)L2 << 12) | PT;
	M.f[L2].e[0] = ((uint64_t)L1 << 12) | PT;
	model_pin(4, L4);
	op.arg1.mfn = L4;
	model_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static uint64_t pte_ptr(unsigned int idx)
{
	return ((uint64_t)L1 << 12) + idx * 8;
}

static uint64_t ram(unsigned long mfn)
{
	return ((uint64_t)mfn << 12) | M_P | M_RW;
}

/* One counter of the current CPU's batch. */
static u64 count(unsigned int stat)
{
	return plat_batches[plat_cpu].stats.n[stat];
}

/* Entries the current CPU's batch issued for hypercall @op. */
static u64 ops_issued(unsigned long op)
{
	return plat_batches[plat_cpu].stats.op[op];
}

/* Entries queued on the current CPU and not yet issued. */
static unsigned int pending(void)
{
	return xenpv_batch_plat_this_cpu()->nr_mc;
}

TEST(batch_single_entry_is_direct_call)
{
	setup_tables();
	xenpv_batch_mmu_update(pte_ptr(1), ram(101), DOMID_SELF, 1);
	CHECK_EQ(pending(), 1);
	xenpv_batch_issue(LAZY_MMU);
	CHECK_EQ(pending(), 0);
	CHECK_EQ(M.f[L1].e[1], ram(101));
	CHECK_EQ(M.direct[__HYPERVISOR_mmu_update], 1);
	CHECK_EQ(M.multicalls, 0);
	CHECK_EQ(count(XENPV_STAT_SINGLES), 1);
	CHECK_EQ(count(XENPV_FLUSH_ISSUE), 1);
}

TEST(batch_queued_update_finds_pending_record)
{
	setup_tables();
	plat_lazy[0] = LAZY_MMU;
	xenpv_batch_mmu_update(pte_ptr(1), ram(101), DOMID_SELF, 11);
	xenpv_batch_mmuext(MMUEXT_INVLPG_LOCAL, 0x1000, 12);
	xenpv_batch_mmu_update(pte_ptr(2) | MMU_PT_UPDATE_PRESERVE_AD,
			       ram(102), DOMID_SELF, 13);
	xenpv_batch_mmu_update(pte_ptr(1), ram(103), DOMID_SELF, 14);
	M.privileged = true;
	xenpv_batch_mmu_update(pte_ptr(3), (400ULL << 12) | M_P,
			       MODEL_DOM_OTHER, 15);
	/* The newest store to an entry names its queuer. */
	CHECK_EQ(xenpv_batch_queued_update(pte_ptr(1)), 14);
	CHECK_EQ(xenpv_batch_queued_update(pte_ptr(2)), 13);
	/* A foreign frame stored into our entry is still our entry's store. */
	CHECK_EQ(xenpv_batch_queued_update(pte_ptr(3)), 15);
	CHECK_EQ(xenpv_batch_queued_update(pte_ptr(4)), 0);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(xenpv_batch_queued_update(pte_ptr(1)), 0);
	CHECK_EQ(M.f[L1].e[1], ram(103));
	CHECK_EQ(plat_nr_reports, 0);
}

TEST(batch_full_l1_page_is_one_entry)
{
	unsigned int i;

	setup_tables();
	plat_lazy[0] = LAZY_MMU;
	for (i = 0; i < 512; i++) {
		xenpv_batch_mmu_update(pte_ptr(i), ram(100 + (i % 200)),
				       DOMID_SELF, i);
		xenpv_batch_issue(LAZY_MMU);
	}
	CHECK_EQ(pending(), 1);
	CHECK_EQ(plat_batches[0].mc[0].args[1], 512);
	xenpv_batch_flush(XENPV_FLUSH_LAZY);
	for (i = 0; i < 512; i++)
		CHECK_EQ(M.f[L1].e[i], ram(100 + (i % 200)));
	CHECK_EQ(M.direct[__HYPERVISOR_mmu_update], 1);
	CHECK_EQ(count(XENPV_STAT_MERGED), 511);
	CHECK_EQ(count(XENPV_STAT_MMU_RECORDS), 512);
	CHECK_EQ(count(XENPV_FLUSH_LAZY), 1);
	CHECK_EQ(plat_nr_reports, 0);
}

TEST(batch_mixed_is_one_multicall)
{
	setup_tables();
	xenpv_batch_mmu_update(pte_ptr(1), ram(101), DOMID_SELF, 1);
	xenpv_batch_mmu_update(pte_ptr(2), ram(102), DOMID_SELF, 2);
	xenpv_batch_mmuext(MMUEXT_INVLPG_LOCAL, 0x1000, 3);
	xenpv_batch_mmuext(MMUEXT_INVLPG_LOCAL, 0x2000, 4);
	xenpv_batch_update_va(0x3000, ram(103), UVMF_INVLPG | UVMF_LOCAL, 5);
	xenpv_batch_mmu_update(pte_ptr(4), ram(104), DOMID_SELF, 6);
	/* A different domid does not merge. */
	M.privileged = true;
	xenpv_batch_mmu_update(pte_ptr(5), (400ULL << 12) | M_P,
			       MODEL_DOM_OTHER, 7);
	CHECK_EQ(pending(), 5);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(M.multicalls, 1);
	CHECK_EQ(M.mc_entries, 5);
	CHECK_EQ(M.f[L1].e[2], ram(102));
	CHECK_EQ(M.f[L1].e[3], ram(103));
	CHECK_EQ(M.f[L1].e[4], ram(104));
	CHECK_EQ(M.f[L1].e[5], (400ULL << 12) | M_P);
	CHECK_EQ(M.nlog, 3);
	CHECK_EQ(M.log[0].addr, 0x1000);
	CHECK_EQ(M.log[1].addr, 0x2000);
	CHECK_EQ(M.log[2].addr, 0x3000);
	CHECK_EQ(count(XENPV_STAT_ENTRIES), 5);
	CHECK_EQ(count(XENPV_STAT_EXT_RECORDS), 2);
	CHECK_EQ(count(XENPV_STAT_MMU_RECORDS), 4);
	CHECK_EQ(count(XENPV_STAT_MERGED), 2);
	CHECK_EQ(count(XENPV_STAT_MULTICALLS), 1);
	CHECK_EQ(count(XENPV_STAT_SINGLES), 0);
	CHECK_EQ(ops_issued(__HYPERVISOR_mmu_update), 3);
	CHECK_EQ(ops_issued(__HYPERVISOR_mmuext_op), 1);
	CHECK_EQ(ops_issued(__HYPERVISOR_update_va_mapping), 1);
	CHECK_EQ(plat_nr_reports, 0);
}

TEST(batch_flush_when_entries_full)
{
	unsigned int i;

	setup_tables();
	for (i = 0; i < XENPV_BATCH_ENTRIES + 1; i++)
		xenpv_batch_update_va(0x1000 * (i % 512), 0, 0, i);
	CHECK_EQ(count(XENPV_FLUSH_FULL_ENTRIES), 1);
	CHECK_EQ(pending(), 1);
	CHECK_EQ(M.mc_entries, XENPV_BATCH_ENTRIES);
}

TEST(batch_flush_when_args_full)
{
	unsigned int i, n = XENPV_BATCH_ARG_BYTES / sizeof(struct mmu_update);

	setup_tables();
	for (i = 0; i < n + 1; i++)
		xenpv_batch_mmu_update(pte_ptr(i % 512), ram(100 + i % 50),
				       DOMID_SELF, i);
	CHECK_EQ(count(XENPV_FLUSH_FULL_ARGS), 1);
	CHECK_EQ(count(XENPV_STAT_MMU_RECORDS), n);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(count(XENPV_STAT_MMU_RECORDS), n + 1);
	CHECK_EQ(plat_nr_reports, 0);
}

TEST(batch_flush_when_records_full)
{
	unsigned int i, plain = 60;

	setup_tables();
	/* Entries without records take a caller slot and no argument space. */
	for (i = 0; i < plain; i++)
		xenpv_batch_update_va(0x1000 * i, 0, 0, i);
	for (i = plain; i < XENPV_BATCH_RECORDS; i++)
		xenpv_batch_mmu_update(pte_ptr(i % 512), ram(100 + i % 50),
				       DOMID_SELF, i);
	CHECK_EQ(pending(), plain + 1);
	CHECK_EQ(count(XENPV_FLUSH_FULL_RECORDS), 0);
	xenpv_batch_mmu_update(pte_ptr(1), ram(101), DOMID_SELF, i);
	CHECK_EQ(count(XENPV_FLUSH_FULL_RECORDS), 1);
	CHECK_EQ(pending(), 1);
}

static int order[200], norder;

static void cb(void *data)
{
	order[norder++] = (int)(long)data;
}

static void cb_queues_more(void *data)
{
	cb(data);
	xenpv_batch_callback(cb, (void *)(100 + (long)data));
	xenpv_batch_update_va(0x1000, 0, 0, 9);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);	/* nested: no callbacks */
}

TEST(batch_callbacks)
{
	unsigned int i;

	setup_tables();
	norder = 0;
	xenpv_batch_mmu_update(pte_ptr(1), ram(101), DOMID_SELF, 1);
	xenpv_batch_callback(cb, (void *)1);
	xenpv_batch_callback(cb, (void *)2);
	CHECK_EQ(norder, 0);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(norder, 2);
	CHECK_EQ(order[0], 1);
	CHECK_EQ(order[1], 2);
	/* Callbacks alone (no entries) still run. */
	xenpv_batch_callback(cb, (void *)3);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(norder, 3);
	CHECK_EQ(count(XENPV_STAT_EMPTY_FLUSHES), 1);
	/* A callback may queue work; it waits for the next flush. */
	xenpv_batch_callback(cb_queues_more, (void *)4);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(norder, 4);
	CHECK_EQ(M.direct[__HYPERVISOR_update_va_mapping], 1);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(norder, 5);
	CHECK_EQ(order[4], 104);
	/* Full callback slots flush first. */
	norder = 0;
	for (i = 0; i < XENPV_BATCH_CALLBACKS + 1; i++)
		xenpv_batch_callback(cb, (void *)(long)i);
	CHECK_EQ(count(XENPV_FLUSH_FULL_CALLBACKS), 1);
	CHECK_EQ(norder, XENPV_BATCH_CALLBACKS);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(norder, XENPV_BATCH_CALLBACKS + 1);
	CHECK_EQ(count(XENPV_STAT_CALLBACKS), 5 + XENPV_BATCH_CALLBACKS + 1);
}

static void cb_floods(void *data)
{
	unsigned int i;

	(void)data;
	for (i = 0; i < XENPV_BATCH_CALLBACKS + 3; i++)
		xenpv_batch_callback(cb, (void *)(long)i);
}

TEST(batch_callback_overflow_inside_callback_runs_at_once)
{
	norder = 0;
	xenpv_batch_callback(cb_floods, NULL);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	/* 64 slots taken, the nested flush cannot run them: 3 run at once. */
	CHECK_EQ(norder, 3);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(norder, XENPV_BATCH_CALLBACKS + 3);
}

/* The shape of Linux's xen_mc_entry() + MULTI_mmuext_op() pattern. */
TEST(batch_linux_multicall_api)
{
	struct xenpv_mc_space s;
	struct mmuext_op *op;
	unsigned int cnt = 0;

	setup_tables();
	s = xenpv_batch_entry(sizeof(*op), 1);
	op = s.args;
	op->cmd = MMUEXT_INVLPG_LOCAL;
	op->arg1.linear_addr = 0x5000;
	s.mc->op = __HYPERVISOR_mmuext_op;
	s.mc->args[0] = (unsigned long)op;
	s.mc->args[1] = 1;
	s.mc->args[3] = DOMID_SELF;
	/* A typed record of the same op merges into it. */
	xenpv_batch_mmuext(MMUEXT_INVLPG_LOCAL, 0x6000, 2);
	CHECK_EQ(pending(), 1);
	s = xenpv_batch_entry(0, 4);
	s.mc->op = __HYPERVISOR_stack_switch;
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(M.nlog, 2);
	CHECK_EQ(M.log[1].addr, 0x6000);
	CHECK_EQ(plat_nr_reports, 0);
	/* Oversized requests are refused with a warning, not a crash. */
	s = xenpv_batch_entry(XENPV_BATCH_ARG_BYTES + 1, 5);
	CHECK(!s.mc);
	CHECK_EQ(shim_warnings, 1);
	shim_warnings = 0;
	/* A caller's own success count is not supported: it warns. */
	s = xenpv_batch_entry(sizeof(*op), 6);
	op = s.args;
	op->cmd = MMUEXT_TLB_FLUSH_LOCAL;
	s.mc->op = __HYPERVISOR_mmuext_op;
	s.mc->args[0] = (unsigned long)op;
	s.mc->args[1] = 1;
	s.mc->args[2] = (unsigned long)&cnt;
	s.mc->args[3] = DOMID_SELF;
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(shim_warnings, 1);
	CHECK_EQ(plat_nr_reports, 0);
	shim_warnings = 0;
}

/*
 * Linux's xen_flush_tlb_multi() layout: an mmuext_op entry queued through
 * xenpv_batch_entry() with its vcpumask after the record.  Appending would
 * make Xen read the mask as the next record, so it is not extended.
 */
TEST(batch_extend_refuses_generic_entry_with_trailing_args)
{
	struct xenpv_mc_space s;
	struct mmuext_op *op;

	setup_tables();
	s = xenpv_batch_entry(sizeof(*op) + 8, 1);
	op = s.args;
	op->cmd = MMUEXT_TLB_FLUSH_LOCAL;
	s.mc->op = __HYPERVISOR_mmuext_op;
	s.mc->args[0] = (unsigned long)op;
	s.mc->args[1] = 1;
	s.mc->args[3] = DOMID_SELF;
	xenpv_batch_mmuext(MMUEXT_INVLPG_LOCAL, 0x1000, 3);
	CHECK_EQ(pending(), 2);
	CHECK_EQ(count(XENPV_STAT_MERGED), 0);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(count(XENPV_STAT_EXT_RECORDS), 2);
	CHECK_EQ(M.nlog, 2);
	CHECK_EQ(plat_nr_reports, 0);
}

/*
 * xenpv_batch_mmuext_cpus() copies the vCPU bitmap into the batch when the
 * operation is queued: what the caller does to its bitmap afterwards does
 * not change what Xen sees.
 */
TEST(batch_mmuext_cpus_copies_mask_at_queue_time)
{
	unsigned long cpus[2] = { 0x5, 0x1 };
	struct xenpv_batch *b = &plat_batches[0];
	const unsigned long *copy;
	struct mmuext_op *op;

	setup_tables();
	xenpv_batch_mmuext_cpus(MMUEXT_INVLPG_MULTI, 0x7000, cpus, 128, 1);
	cpus[0] = 0xa;
	cpus[1] = 0;
	CHECK_EQ(pending(), 1);
	CHECK_EQ(b->mc[0].op, __HYPERVISOR_mmuext_op);
	CHECK_EQ(b->mc[0].args[1], 1);
	CHECK_EQ(b->mc[0].args[3], DOMID_SELF);
	op = (struct mmuext_op *)b->mc[0].args[0];
	CHECK_EQ(op->cmd, MMUEXT_INVLPG_MULTI);
	CHECK_EQ(op->arg1.linear_addr, 0x7000);
	/* The mask comes first, the record right after it. */
	copy = op->arg2.vcpumask.p;
	CHECK(copy == (const unsigned long *)b->args);
	CHECK((const u8 *)op == (const u8 *)b->args + sizeof(cpus));
	CHECK_EQ(copy[0], 0x5);
	CHECK_EQ(copy[1], 0x1);
	CHECK_EQ(b->arg_used, sizeof(cpus) + sizeof(*op));
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(M.nlog, 1);
	CHECK_EQ(M.log[0].cmd, MMUEXT_INVLPG_MULTI);
	CHECK_EQ(M.log[0].addr, 0x7000);
	CHECK_EQ(M.log[0].mask, 0x5);
	CHECK_EQ(M.direct[__HYPERVISOR_mmuext_op], 1);
	CHECK_EQ(count(XENPV_STAT_EXT_RECORDS), 1);
	CHECK_EQ(plat_nr_reports, 0);
}

/*
 * With the mask in front of the record, later mmuext_op records are
 * appended to the same entry and Xen runs them all, mask intact.
 */
TEST(batch_mmuext_after_mmuext_cpus_merges)
{
	unsigned long cpus = 0x3;
	struct xenpv_batch *b = &plat_batches[0];

	setup_tables();
	xenpv_batch_mmuext_cpus(MMUEXT_TLB_FLUSH_MULTI, 0, &cpus, 4, 1);
	cpus = 0;
	xenpv_batch_mmuext(MMUEXT_INVLPG_LOCAL, 0x2000, 2);
	xenpv_batch_mmuext(MMUEXT_TLB_FLUSH_LOCAL, 0, 3);
	CHECK_EQ(pending(), 1);
	CHECK_EQ(b->mc[0].args[1], 3);
	CHECK_EQ(count(XENPV_STAT_MERGED), 2);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(M.multicalls, 0);
	CHECK_EQ(M.direct[__HYPERVISOR_mmuext_op], 1);
	CHECK_EQ(M.nlog, 3);
	CHECK_EQ(M.log[0].cmd, MMUEXT_TLB_FLUSH_MULTI);
	CHECK_EQ(M.log[0].mask, 0x3);
	CHECK_EQ(M.log[1].cmd, MMUEXT_INVLPG_LOCAL);
	CHECK_EQ(M.log[1].addr, 0x2000);
	CHECK_EQ(M.log[2].cmd, MMUEXT_TLB_FLUSH_LOCAL);
	CHECK_EQ(count(XENPV_STAT_EXT_RECORDS), 3);
	CHECK_EQ(ops_issued(__HYPERVISOR_mmuext_op), 1);
	CHECK_EQ(plat_nr_reports, 0);
}

/* A vCPU operation always starts an entry of its own (its mask first). */
TEST(batch_mmuext_cpus_starts_new_entry)
{
	unsigned long a = 0x1, c = 0x2;

	setup_tables();
	xenpv_batch_mmuext(MMUEXT_TLB_FLUSH_LOCAL, 0, 1);
	xenpv_batch_mmuext_cpus(MMUEXT_TLB_FLUSH_MULTI, 0, &a, 2, 2);
	xenpv_batch_mmuext_cpus(MMUEXT_INVLPG_MULTI, 0x4000, &c, 2, 3);
	xenpv_batch_mmu_update(pte_ptr(1), ram(101), DOMID_SELF, 4);
	CHECK_EQ(pending(), 4);
	CHECK_EQ(count(XENPV_STAT_MERGED), 0);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(M.multicalls, 1);
	CHECK_EQ(M.nlog, 3);
	CHECK_EQ(M.log[1].mask, 0x1);
	CHECK_EQ(M.log[2].mask, 0x2);
	CHECK_EQ(M.log[2].addr, 0x4000);
	CHECK_EQ(M.f[L1].e[1], ram(101));
	CHECK_EQ(plat_nr_reports, 0);
}

/*
 * A record appended after a vCPU operation fails: it is reported with its
 * own caller and the tail behind it is re-issued (mask pointer still good).
 */
TEST(batch_failure_in_entry_started_by_mmuext_cpus)
{
	unsigned long cpus = 0x1;

	setup_tables();
	xenpv_batch_mmuext_cpus(MMUEXT_TLB_FLUSH_MULTI, 0, &cpus, 1, 6);
	xenpv_batch_mmuext(MMUEXT_UNPIN_TABLE, L3, 7);	/* not pinned */
	xenpv_batch_mmuext(MMUEXT_INVLPG_LOCAL, 0x3000, 8);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(plat_nr_reports, 1);
	CHECK_EQ(plat_reports[0].err.kind, XENPV_ERR_FAILED);
	CHECK_EQ(plat_reports[0].err.result, -XEN_EINVAL);
	CHECK_EQ(plat_reports[0].err.index, 1);
	CHECK_EQ(plat_reports[0].err.count, 3);
	CHECK_EQ(plat_reports[0].err.caller, 7);
	CHECK_EQ(plat_reports[0].rec.x.cmd, MMUEXT_UNPIN_TABLE);
	CHECK_EQ(plat_reports[0].rec.x.arg1.mfn, L3);
	CHECK_EQ(M.nlog, 2);
	CHECK_EQ(M.log[0].mask, 0x1);
	CHECK_EQ(M.log[1].addr, 0x3000);
	CHECK_EQ(count(XENPV_STAT_REISSUED), 1);
	CHECK_EQ(ops_issued(__HYPERVISOR_mmuext_op), 2);
}

TEST(batch_issue_respects_lazy_modes)
{
	setup_tables();
	plat_lazy[0] = LAZY_CPU;
	xenpv_batch_update_va(0x1000, 0, 0, 1);
	xenpv_batch_issue(LAZY_CPU);
	CHECK_EQ(pending(), 1);
	xenpv_batch_issue(LAZY_MMU);
	CHECK_EQ(pending(), 0);
}

TEST(batch_per_cpu)
{
	struct xenpv_batch_stats st;

	setup_tables();
	plat_cpu = 1;
	xenpv_batch_mmu_update(pte_ptr(1), ram(101), DOMID_SELF, 1);
	plat_cpu = 2;
	xenpv_batch_mmu_update(pte_ptr(2), ram(102), DOMID_SELF, 2);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(M.f[L1].e[2], ram(102));
	CHECK_EQ(M.f[L1].e[1], 0);
	plat_cpu = 1;
	CHECK_EQ(pending(), 1);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(M.f[L1].e[1], ram(101));
	st = plat_batches[2].stats;
	CHECK_EQ(st.n[XENPV_STAT_MMU_RECORDS], 1);
	CHECK_EQ(plat_batches[1].cpu, 1);
}

/* Five records, #2 names a frame we do not own. */
static void queue_five(unsigned int first_caller, unsigned long bad_mfn)
{
	unsigned int i;

	for (i = 0; i < 5; i++)
		xenpv_batch_mmu_update(pte_ptr(20 + i),
				       i == 2 ? ram(bad_mfn) : ram(110 + i),
				       DOMID_SELF, first_caller + i);
}

TEST(batch_failed_record_in_last_entry_reissues_tail)
{
	setup_tables();
	queue_five(10, 400);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(plat_nr_reports, 1);
	CHECK_EQ(plat_reports[0].err.kind, XENPV_ERR_FAILED);
	CHECK_EQ(plat_reports[0].err.result, -XEN_EBUSY);
	CHECK_EQ(plat_reports[0].err.index, 2);
	CHECK_EQ(plat_reports[0].err.count, 5);
	CHECK_EQ(plat_reports[0].err.caller, 12);
	CHECK_EQ(plat_reports[0].err.op, __HYPERVISOR_mmu_update);
	CHECK_EQ(plat_reports[0].rec.u.val, ram(400));
	CHECK_EQ(M.f[L1].e[21], ram(111));
	CHECK_EQ(M.f[L1].e[22], 0);
	CHECK_EQ(M.f[L1].e[23], ram(113));
	CHECK_EQ(M.f[L1].e[24], ram(114));
	CHECK_EQ(count(XENPV_STAT_REISSUED), 1);
	CHECK_EQ(count(XENPV_STAT_FAILED), 1);
}

TEST(batch_several_failures_in_one_entry)
{
	setup_tables();
	xenpv_batch_mmu_update(pte_ptr(1), ram(400), DOMID_SELF, 1);
	xenpv_batch_mmu_update(pte_ptr(2), ram(102), DOMID_SELF, 2);
	xenpv_batch_mmu_update(pte_ptr(3), ram(401), DOMID_SELF, 3);
	xenpv_batch_mmu_update(pte_ptr(4), ram(402), DOMID_SELF, 4);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(plat_nr_reports, 3);
	CHECK_EQ(plat_reports[0].err.caller, 1);
	CHECK_EQ(plat_reports[1].err.caller, 3);
	CHECK_EQ(plat_reports[2].err.caller, 4);
	CHECK_EQ(plat_reports[2].err.index, 3);
	CHECK_EQ(M.f[L1].e[2], ram(102));
	CHECK_EQ(count(XENPV_STAT_REISSUED), 2);
}

TEST(batch_failed_record_before_later_entries_skips_tail)
{
	setup_tables();
	queue_five(10, 400);
	xenpv_batch_mmuext(MMUEXT_INVLPG_LOCAL, 0, 20);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	/* One report for the failed record, one for the two it cut off. */
	CHECK_EQ(plat_nr_reports, 2);
	CHECK_EQ(plat_reports[0].err.kind, XENPV_ERR_FAILED);
	CHECK_EQ(plat_reports[0].err.index, 2);
	CHECK_EQ(plat_reports[0].err.span, 1);
	CHECK_EQ(plat_reports[1].err.kind, XENPV_ERR_SKIPPED);
	CHECK_EQ(plat_reports[1].err.result, 0);
	CHECK_EQ(plat_reports[1].err.index, 3);
	CHECK_EQ(plat_reports[1].err.count, 5);
	CHECK_EQ(plat_reports[1].err.span, 2);
	CHECK_EQ(plat_reports[1].err.caller, 13);
	CHECK_EQ(plat_reports[1].rec.u.ptr, pte_ptr(23));
	CHECK_EQ(plat_reports[1].rec.u.val, ram(113));
	CHECK_EQ(M.f[L1].e[21], ram(111));
	CHECK_EQ(M.f[L1].e[23], 0);
	CHECK_EQ(M.f[L1].e[24], 0);
	CHECK_EQ(M.nlog, 1);
	CHECK_EQ(count(XENPV_STAT_FAILED), 1);
	CHECK_EQ(count(XENPV_STAT_SKIPPED), 2);
	CHECK_EQ(count(XENPV_STAT_REISSUED), 0);
}

TEST(batch_failed_plain_entry)
{
	setup_tables();
	xenpv_batch_update_va(0x200000, 0, UVMF_INVLPG, 77);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(plat_nr_reports, 1);
	CHECK_EQ(plat_reports[0].err.kind, XENPV_ERR_FAILED);
	CHECK_EQ(plat_reports[0].err.result, -XEN_EINVAL);
	CHECK_EQ(plat_reports[0].err.caller, 77);
	CHECK_EQ(plat_reports[0].err.args[0], 0x200000);
	CHECK(!plat_reports[0].err.record);
	CHECK_EQ(count(XENPV_STAT_FAILED), 1);
	CHECK_EQ(count(XENPV_STAT_SINGLES), 1);
	CHECK_EQ(count(XENPV_STAT_ENTRIES), 1);
	CHECK_EQ(count(XENPV_STAT_MULTICALLS), 0);
	/* Issued and reported once: the next flush finds nothing. */
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(plat_nr_reports, 1);
	CHECK_EQ(count(XENPV_STAT_EMPTY_FLUSHES), 1);
}

TEST(batch_multicall_failure_reports_not_run)
{
	setup_tables();
	M.multicall_fault = -XEN_EFAULT;
	xenpv_batch_update_va(0x1000, 0, 0, 1);
	xenpv_batch_mmu_update(pte_ptr(1), ram(101), DOMID_SELF, 2);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(plat_nr_reports, 3);
	CHECK_EQ(plat_reports[0].err.kind, XENPV_ERR_MULTICALL);
	CHECK_EQ(plat_reports[0].err.result, -XEN_EFAULT);
	CHECK_EQ(plat_reports[1].err.kind, XENPV_ERR_NOT_RUN);
	CHECK_EQ(plat_reports[2].err.kind, XENPV_ERR_NOT_RUN);
	CHECK_EQ(plat_reports[2].err.count, 1);
	CHECK_EQ(plat_reports[2].err.span, 1);
	CHECK_EQ(count(XENPV_STAT_NOT_RUN), 2);
	CHECK_EQ(count(XENPV_STAT_MULTICALL_FAILED), 1);
	CHECK_EQ(count(XENPV_STAT_FAILED), 0);
	CHECK_EQ(M.f[L1].e[1], 0);
}

TEST(batch_aborted_multicall_last_run_entry_reissues)
{
	setup_tables();
	M.abort_after = 1;
	queue_five(10, 400);
	xenpv_batch_update_va(0x1000, ram(150), 0, 30);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(plat_nr_reports, 2);
	CHECK_EQ(plat_reports[0].err.kind, XENPV_ERR_FAILED);
	CHECK_EQ(plat_reports[1].err.kind, XENPV_ERR_NOT_RUN);
	CHECK_EQ(plat_reports[1].err.caller, 30);
	CHECK_EQ(M.f[L1].e[24], ram(114));
	CHECK_EQ(M.f[L1].e[1], 0);
}

TEST(batch_error_from_mmuext_entry)
{
	setup_tables();
	xenpv_batch_mmuext(MMUEXT_UNPIN_TABLE, L3, 5);	/* not pinned */
	xenpv_batch_mmuext(MMUEXT_PIN_L1_TABLE, 200, 6);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(plat_nr_reports, 1);
	CHECK_EQ(plat_reports[0].err.op, __HYPERVISOR_mmuext_op);
	CHECK_EQ(plat_reports[0].err.result, -XEN_EINVAL);
	CHECK_EQ(plat_reports[0].rec.x.cmd, MMUEXT_UNPIN_TABLE);
	CHECK(M.f[200].pinned);
}

/*
 * A full L1 page of updates, each with its own caller; record @bad names a
 * frame the domain does not own (Xen: -EBUSY from get_page_from_l1e).
 */
#define PAGE_RECS	512
#define REC_CALLER(i)	(0x1000UL + (i))

static uint64_t page_val(unsigned int i, unsigned int bad)
{
	return i == bad ? ram(400) : ram(100 + i % 200);
}

static void queue_page(unsigned int bad)
{
	unsigned int i;

	for (i = 0; i < PAGE_RECS; i++)
		xenpv_batch_mmu_update(pte_ptr(i), page_val(i, bad), DOMID_SELF,
				       REC_CALLER(i));
}

/* Check the FAILED report of record @bad of queue_page(@bad). */
static void check_page_failure(const struct plat_report *r, unsigned int bad)
{
	CHECK_EQ(r->err.kind, XENPV_ERR_FAILED);
	CHECK_EQ(r->err.op, __HYPERVISOR_mmu_update);
	CHECK_EQ(r->err.result, -XEN_EBUSY);
	CHECK_EQ(r->err.index, bad);
	CHECK_EQ(r->err.count, PAGE_RECS);
	CHECK_EQ(r->err.span, 1);
	CHECK_EQ(r->err.caller, REC_CALLER(bad));
	CHECK_EQ(r->rec.u.ptr, pte_ptr(bad));
	CHECK_EQ(r->rec.u.val, ram(400));
}

/*
 * Partial retry: Xen stops the 512-record entry at record 10; nothing ran
 * after it, so records 11..511 are re-issued and applied.  One report.
 */
TEST(batch_full_page_failed_record_is_retried_past)
{
	unsigned int i;

	setup_tables();
	queue_page(10);
	CHECK_EQ(pending(), 1);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(plat_nr_reports, 1);
	check_page_failure(&plat_reports[0], 10);
	if (test_failed)
		return;
	for (i = 0; i < PAGE_RECS; i++)
		CHECK_EQ(M.f[L1].e[i], i == 10 ? 0 : page_val(i, 10));
	CHECK_EQ(count(XENPV_STAT_FAILED), 1);
	CHECK_EQ(count(XENPV_STAT_REISSUED), 1);
	CHECK_EQ(count(XENPV_STAT_SKIPPED), 0);
	CHECK_EQ(count(XENPV_STAT_NOT_RUN), 0);
	CHECK_EQ(count(XENPV_STAT_MMU_RECORDS), PAGE_RECS);
	CHECK_EQ(count(XENPV_STAT_MERGED), PAGE_RECS - 1);
	CHECK_EQ(count(XENPV_STAT_SINGLES), 2);
	CHECK_EQ(ops_issued(__HYPERVISOR_mmu_update), 2);
	CHECK_EQ(M.direct[__HYPERVISOR_mmu_update], 2);
}

/*
 * The same page, but another entry (an mmuext_op, so not merged) ran after
 * it: records 11..511 cannot be re-issued without reordering.  Exactly one
 * FAILED report for record 10 and one SKIPPED report covering 11..511.
 */
TEST(batch_full_page_failed_record_before_later_entry)
{
	unsigned int i;

	setup_tables();
	queue_page(10);
	xenpv_batch_mmuext(MMUEXT_INVLPG_LOCAL, 0x5000, 0x9000);
	CHECK_EQ(pending(), 2);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(plat_nr_reports, 2);
	check_page_failure(&plat_reports[0], 10);
	if (test_failed)
		return;
	CHECK_EQ(plat_reports[1].err.kind, XENPV_ERR_SKIPPED);
	CHECK_EQ(plat_reports[1].err.op, __HYPERVISOR_mmu_update);
	CHECK_EQ(plat_reports[1].err.result, 0);
	CHECK_EQ(plat_reports[1].err.index, 11);
	CHECK_EQ(plat_reports[1].err.count, PAGE_RECS);
	CHECK_EQ(plat_reports[1].err.span, PAGE_RECS - 11);
	CHECK_EQ(plat_reports[1].err.caller, REC_CALLER(11));
	CHECK_EQ(plat_reports[1].rec.u.ptr, pte_ptr(11));
	CHECK_EQ(plat_reports[1].rec.u.val, page_val(11, 10));
	for (i = 0; i < PAGE_RECS; i++)
		CHECK_EQ(M.f[L1].e[i], i < 10 ? page_val(i, 10) : 0);
	/* The later entry did run. */
	CHECK_EQ(M.nlog, 1);
	CHECK_EQ(M.log[0].addr, 0x5000);
	CHECK_EQ(count(XENPV_STAT_FAILED), 1);
	CHECK_EQ(count(XENPV_STAT_SKIPPED), PAGE_RECS - 11);
	CHECK_EQ(count(XENPV_STAT_REISSUED), 0);
	CHECK_EQ(count(XENPV_STAT_MULTICALLS), 1);
	CHECK_EQ(count(XENPV_STAT_SINGLES), 0);
}

/* The failing record is the entry's last one: nothing is skipped. */
TEST(batch_failed_last_record_before_later_entry_skips_nothing)
{
	unsigned int i;

	setup_tables();
	queue_page(PAGE_RECS - 1);
	xenpv_batch_update_va(0x1000, 0, UVMF_INVLPG, 0x9000);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(plat_nr_reports, 1);
	check_page_failure(&plat_reports[0], PAGE_RECS - 1);
	if (test_failed)
		return;
	for (i = 0; i < PAGE_RECS - 1; i++)
		if (i != 1)
			CHECK_EQ(M.f[L1].e[i], page_val(i, PAGE_RECS - 1));
	CHECK_EQ(M.f[L1].e[1], 0);	/* update_va_mapping ran last */
	CHECK_EQ(M.f[L1].e[PAGE_RECS - 1], 0);
	CHECK_EQ(count(XENPV_STAT_SKIPPED), 0);
	CHECK_EQ(count(XENPV_STAT_REISSUED), 0);
}

/* Hypercalls beyond the counted range share the last op[] slot. */
TEST(batch_op_counters)
{
	struct xenpv_mc_space s;

	setup_tables();
	s = xenpv_batch_entry(0, 0x77);
	s.mc->op = XENPV_NR_OPS + 6;
	xenpv_batch_update_va(0x1000, ram(101), 0, 0x78);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(ops_issued(XENPV_NR_OPS - 1), 1);
	CHECK_EQ(ops_issued(__HYPERVISOR_update_va_mapping), 1);
	CHECK_EQ(plat_nr_reports, 1);
	CHECK_EQ(plat_reports[0].err.op, XENPV_NR_OPS + 6);
	CHECK_EQ(plat_reports[0].err.result, -XEN_ENOSYS);
	CHECK_EQ(plat_reports[0].err.caller, 0x77);
	CHECK_EQ(plat_reports[0].err.span, 1);
	CHECK_EQ(M.f[L1].e[1], ram(101));
}

TEST(batch_add_stats_sums_cpus)
{
	struct xenpv_batch_stats sum, one;
	unsigned int i;

	setup_tables();
	xenpv_batch_mmu_update(pte_ptr(1), ram(101), DOMID_SELF, 1);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	plat_cpu = 1;
	xenpv_batch_mmu_update(pte_ptr(2), ram(102), DOMID_SELF, 2);
	xenpv_batch_mmu_update(pte_ptr(3), ram(103), DOMID_SELF, 3);
	xenpv_batch_mmuext(MMUEXT_TLB_FLUSH_LOCAL, 0, 4);
	xenpv_batch_flush(XENPV_FLUSH_LAZY);
	memset(&sum, 0, sizeof(sum));
	for (i = 0; i < PLAT_CPUS; i++) {
		one = plat_batches[i].stats;
		xenpv_batch_add_stats(&sum, &one);
	}
	CHECK_EQ(sum.n[XENPV_FLUSH_EXPLICIT], 1);
	CHECK_EQ(sum.n[XENPV_FLUSH_LAZY], 1);
	CHECK_EQ(sum.n[XENPV_STAT_MMU_RECORDS], 3);
	CHECK_EQ(sum.n[XENPV_STAT_EXT_RECORDS], 1);
	CHECK_EQ(sum.n[XENPV_STAT_ENTRIES], 3);
	CHECK_EQ(sum.n[XENPV_STAT_SINGLES], 1);
	CHECK_EQ(sum.n[XENPV_STAT_MULTICALLS], 1);
	CHECK_EQ(sum.n[XENPV_STAT_MERGED], 1);
	CHECK_EQ(sum.op[__HYPERVISOR_mmu_update], 2);
	CHECK_EQ(sum.op[__HYPERVISOR_mmuext_op], 1);
	/* Adding twice doubles. */
	xenpv_batch_add_stats(&sum, &sum);
	CHECK_EQ(sum.n[XENPV_STAT_MMU_RECORDS], 6);
	CHECK_EQ(sum.op[__HYPERVISOR_mmu_update], 4);
}

TEST(batch_names)
{
	static const struct {
		unsigned long op;
		const char *name;
	} ops[] = {
		{ __HYPERVISOR_mmu_update, "mmu_update" },
		{ __HYPERVISOR_set_gdt, "set_gdt" },
		{ __HYPERVISOR_stack_switch, "stack_switch" },
		{ __HYPERVISOR_fpu_taskswitch, "fpu_taskswitch" },
		{ __HYPERVISOR_update_descriptor, "update_descriptor" },
		{ __HYPERVISOR_memory_op, "memory_op" },
		{ __HYPERVISOR_multicall, "multicall" },
		{ __HYPERVISOR_update_va_mapping, "update_va_mapping" },
		{ __HYPERVISOR_grant_table_op, "grant_table_op" },
		{ __HYPERVISOR_vm_assist, "vm_assist" },
		{ __HYPERVISOR_update_va_mapping_otherdomain,
		  "update_va_mapping_otherdomain" },
		{ __HYPERVISOR_mmuext_op, "mmuext_op" },
		{ __HYPERVISOR_set_segment_base, "set_segment_base" },
		{ __HYPERVISOR_iret, "other" },
		{ 1000, "other" },
	};
	unsigned int i, j;

	for (i = 0; i < XENPV_STAT_NR; i++) {
		CHECK(xenpv_batch_stat_names[i]);
		for (j = 0; j < i; j++)
			CHECK(strcmp(xenpv_batch_stat_names[i],
				     xenpv_batch_stat_names[j]));
	}
	CHECK(!strcmp(xenpv_batch_stat_names[XENPV_FLUSH_LAZY], "flush_lazy"));
	CHECK(!strcmp(xenpv_batch_stat_names[XENPV_STAT_SKIPPED], "skipped"));
	for (i = 0; i < XENPV_ERR_NR; i++) {
		CHECK(xenpv_batch_err_names[i]);
		for (j = 0; j < i; j++)
			CHECK(strcmp(xenpv_batch_err_names[i],
				     xenpv_batch_err_names[j]));
	}
	for (i = 0; i < ARRAY_SIZE(ops); i++)
		CHECK(!strcmp(xenpv_op_name(ops[i].op), ops[i].name));
}

static void cb_refills(void *data)
{
	unsigned int i;

	for (i = 0; i < XENPV_BATCH_ENTRIES; i++)
		xenpv_batch_update_va(0x1000, 0, 0, 0x500 + i);
}

/*
 * A flush because the batch is full runs the callbacks, and a callback may
 * fill the batch again: the entry that asked for room must still get it.
 */
TEST(batch_full_flush_callback_refills_batch)
{
	unsigned int i;

	setup_tables();
	xenpv_batch_callback(cb_refills, NULL);
	for (i = 0; i < XENPV_BATCH_ENTRIES + 1; i++)
		xenpv_batch_update_va(0x2000, 0, 0, i);
	/* Flushed twice: the first flush's callback refilled all 64. */
	CHECK_EQ(count(XENPV_FLUSH_FULL_ENTRIES), 2);
	CHECK_EQ(pending(), 1);
	CHECK_EQ(plat_batches[0].meta[0].caller, XENPV_BATCH_ENTRIES);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(M.mc_entries, 2 * XENPV_BATCH_ENTRIES);
	CHECK_EQ(M.direct[__HYPERVISOR_update_va_mapping], 1);
	CHECK_EQ(plat_nr_reports, 0);
}

/* An entry that fails as a whole before any record: one report. */
TEST(batch_failed_entry_without_records)
{
	struct xenpv_mc_space s;

	setup_tables();
	s = xenpv_batch_entry(0, 0x42);
	s.mc->op = __HYPERVISOR_mmu_update;
	s.mc->args[0] = (unsigned long)s.args;
	s.mc->args[1] = 0;
	s.mc->args[3] = MODEL_DOM_OTHER;	/* not privileged */
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(plat_nr_reports, 1);
	CHECK_EQ(plat_reports[0].err.kind, XENPV_ERR_FAILED);
	CHECK_EQ(plat_reports[0].err.result, -XEN_EPERM);
	CHECK_EQ(plat_reports[0].err.count, 0);
	CHECK_EQ(plat_reports[0].err.caller, 0x42);
	CHECK(!plat_reports[0].err.record);
	CHECK_EQ(count(XENPV_STAT_FAILED), 1);
	CHECK_EQ(count(XENPV_STAT_REISSUED), 0);
}
