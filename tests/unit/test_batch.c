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

static const struct xenpv_batch_stats *stats(void)
{
	return &plat_batches[plat_cpu].stats;
}

TEST(batch_single_entry_is_direct_call)
{
	setup_tables();
	xenpv_batch_mmu_update(pte_ptr(1), ram(101), DOMID_SELF, 1);
	CHECK_EQ(xenpv_batch_pending(), 1);
	xenpv_batch_issue(LAZY_MMU);
	CHECK_EQ(xenpv_batch_pending(), 0);
	CHECK_EQ(M.f[L1].e[1], ram(101));
	CHECK_EQ(M.direct[__HYPERVISOR_mmu_update], 1);
	CHECK_EQ(M.multicalls, 0);
	CHECK_EQ(stats()->direct_calls, 1);
	CHECK_EQ(stats()->flushes[XENPV_FLUSH_ISSUE], 1);
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
	CHECK_EQ(xenpv_batch_pending(), 1);
	CHECK_EQ(plat_batches[0].mc[0].args[1], 512);
	xenpv_batch_flush(XENPV_FLUSH_LAZY);
	for (i = 0; i < 512; i++)
		CHECK_EQ(M.f[L1].e[i], ram(100 + (i % 200)));
	CHECK_EQ(M.direct[__HYPERVISOR_mmu_update], 1);
	CHECK_EQ(stats()->merged, 511);
	CHECK_EQ(stats()->mmu_records, 512);
	CHECK_EQ(stats()->flushes[XENPV_FLUSH_LAZY], 1);
	CHECK_EQ(plat_nr_reports, 0);
}

TEST(batch_mixed_is_one_multicall)
{
	struct mmuext_op inv = { .cmd = MMUEXT_INVLPG_LOCAL };

	setup_tables();
	xenpv_batch_mmu_update(pte_ptr(1), ram(101), DOMID_SELF, 1);
	xenpv_batch_mmu_update(pte_ptr(2), ram(102), DOMID_SELF, 2);
	inv.arg1.linear_addr = 0x1000;
	xenpv_batch_mmuext(&inv, 3);
	inv.arg1.linear_addr = 0x2000;
	xenpv_batch_mmuext(&inv, 4);
	xenpv_batch_update_va(0x3000, ram(103), UVMF_INVLPG | UVMF_LOCAL, 5);
	xenpv_batch_mmu_update(pte_ptr(4), ram(104), DOMID_SELF, 6);
	/* A different domid does not merge. */
	M.privileged = true;
	xenpv_batch_mmu_update(pte_ptr(5), (400ULL << 12) | M_P,
			       MODEL_DOM_OTHER, 7);
	CHECK_EQ(xenpv_batch_pending(), 5);
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
	CHECK_EQ(stats()->entries, 5);
	CHECK_EQ(stats()->ext_records, 2);
	CHECK_EQ(plat_nr_reports, 0);
}

TEST(batch_flush_when_entries_full)
{
	unsigned int i;

	setup_tables();
	for (i = 0; i < XENPV_BATCH_ENTRIES + 1; i++)
		xenpv_batch_update_va(0x1000 * (i % 512), 0, 0, i);
	CHECK_EQ(stats()->flushes[XENPV_FLUSH_FULL_ENTRIES], 1);
	CHECK_EQ(xenpv_batch_pending(), 1);
	CHECK_EQ(M.mc_entries, XENPV_BATCH_ENTRIES);
}

TEST(batch_flush_when_args_full)
{
	unsigned int i, n = XENPV_BATCH_ARG_BYTES / sizeof(struct mmu_update);

	setup_tables();
	for (i = 0; i < n + 1; i++)
		xenpv_batch_mmu_update(pte_ptr(i % 512), ram(100 + i % 50),
				       DOMID_SELF, i);
	CHECK_EQ(stats()->flushes[XENPV_FLUSH_FULL_ARGS], 1);
	CHECK_EQ(stats()->mmu_records, n);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(stats()->mmu_records, n + 1);
	CHECK_EQ(plat_nr_reports, 0);
}

TEST(batch_flush_when_records_full)
{
	struct xenpv_mc_space s;
	unsigned int i;

	s = xenpv_batch_entry(0, 1);
	s.mc->op = __HYPERVISOR_fpu_taskswitch;
	for (i = 1; i < XENPV_BATCH_RECORDS; i++) {
		s = xenpv_batch_extend(__HYPERVISOR_fpu_taskswitch, 8, i);
		CHECK(s.mc != NULL);
	}
	s = xenpv_batch_extend(__HYPERVISOR_fpu_taskswitch, 8, i);
	CHECK(s.mc == NULL);
	s = xenpv_batch_entry(0, 1);
	CHECK_EQ(stats()->flushes[XENPV_FLUSH_FULL_RECORDS], 1);
	CHECK(s.mc == &plat_batches[0].mc[0]);
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
	CHECK_EQ(stats()->empty_flushes, 1);
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
	CHECK_EQ(stats()->flushes[XENPV_FLUSH_FULL_CALLBACKS], 1);
	CHECK_EQ(norder, XENPV_BATCH_CALLBACKS);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(norder, XENPV_BATCH_CALLBACKS + 1);
	CHECK_EQ(stats()->callbacks, 5 + XENPV_BATCH_CALLBACKS + 1);
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

/* The shape of Linux's MULTI_mmu_update + xen_mc_extend_args pattern. */
TEST(batch_linux_multicall_api)
{
	struct xenpv_mc_space s;
	struct mmu_update *u;
	unsigned int cnt = 0;

	setup_tables();
	s = xenpv_batch_extend(__HYPERVISOR_mmu_update, sizeof(*u), 1);
	CHECK(s.mc == NULL);
	s = xenpv_batch_entry(sizeof(*u), 1);
	u = s.args;
	u->ptr = pte_ptr(7);
	u->val = ram(107);
	s.mc->op = __HYPERVISOR_mmu_update;
	s.mc->args[0] = (unsigned long)u;
	s.mc->args[1] = 1;
	s.mc->args[2] = (unsigned long)&cnt;
	s.mc->args[3] = DOMID_SELF;
	s = xenpv_batch_extend(__HYPERVISOR_mmu_update, sizeof(*u), 2);
	CHECK(s.mc != NULL);
	u = s.args;
	u->ptr = pte_ptr(8);
	u->val = ram(108);
	s.mc->args[1]++;
	s = xenpv_batch_extend(__HYPERVISOR_mmuext_op, 24, 3);
	CHECK(s.mc == NULL);
	s = xenpv_batch_entry(0, 4);
	s.mc->op = __HYPERVISOR_stack_switch;
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(cnt, 2);
	CHECK_EQ(M.f[L1].e[8], ram(108));
	/* Oversized requests are refused with a warning, not a crash. */
	s = xenpv_batch_entry(XENPV_BATCH_ARG_BYTES + 1, 5);
	CHECK(s.mc == NULL);
	CHECK_EQ(shim_warnings, 1);
	shim_warnings = 0;
}

/* An mmuext_op entry carrying a vcpumask after its record is not extended. */
TEST(batch_extend_refuses_entry_with_trailing_args)
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
	s = xenpv_batch_extend(__HYPERVISOR_mmuext_op, sizeof(*op), 2);
	CHECK(s.mc == NULL);
	CHECK_EQ(stats()->merged, 0);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(stats()->ext_records, 1);
	CHECK_EQ(plat_nr_reports, 0);
}

TEST(batch_issue_respects_lazy_modes)
{
	setup_tables();
	plat_lazy[0] = LAZY_CPU;
	xenpv_batch_update_va(0x1000, 0, 0, 1);
	xenpv_batch_issue(LAZY_CPU);
	CHECK_EQ(xenpv_batch_pending(), 1);
	xenpv_batch_issue(LAZY_MMU);
	CHECK_EQ(xenpv_batch_pending(), 0);
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
	CHECK_EQ(xenpv_batch_pending(), 1);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(M.f[L1].e[1], ram(101));
	xenpv_batch_get_stats(&plat_batches[2], &st);
	CHECK_EQ(st.mmu_records, 1);
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
	CHECK_EQ(stats()->reissued, 1);
	CHECK_EQ(stats()->failed, 1);
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
	CHECK_EQ(stats()->reissued, 2);
}

TEST(batch_failed_record_before_later_entries_skips_tail)
{
	struct mmuext_op inv = { .cmd = MMUEXT_INVLPG_LOCAL };
	unsigned int i;

	setup_tables();
	queue_five(10, 400);
	xenpv_batch_mmuext(&inv, 20);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(plat_nr_reports, 3);
	CHECK_EQ(plat_reports[0].err.kind, XENPV_ERR_FAILED);
	for (i = 1; i < 3; i++) {
		CHECK_EQ(plat_reports[i].err.kind, XENPV_ERR_SKIPPED);
		CHECK_EQ(plat_reports[i].err.index, 2 + i);
		CHECK_EQ(plat_reports[i].err.caller, 12 + i);
		CHECK_EQ(plat_reports[i].rec.u.val, ram(112 + i));
	}
	CHECK_EQ(M.f[L1].e[21], ram(111));
	CHECK_EQ(M.f[L1].e[23], 0);
	CHECK_EQ(M.nlog, 1);
	CHECK_EQ(stats()->skipped, 2);
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
	CHECK(plat_reports[0].err.record == NULL);
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
	CHECK_EQ(stats()->not_run, 2);
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
	struct mmuext_op pin = { .cmd = MMUEXT_UNPIN_TABLE };

	setup_tables();
	pin.arg1.mfn = L3;	/* not pinned */
	xenpv_batch_mmuext(&pin, 5);
	pin.cmd = MMUEXT_PIN_L1_TABLE;
	pin.arg1.mfn = 200;
	xenpv_batch_mmuext(&pin, 6);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	CHECK_EQ(plat_nr_reports, 1);
	CHECK_EQ(plat_reports[0].err.op, __HYPERVISOR_mmuext_op);
	CHECK_EQ(plat_reports[0].err.result, -XEN_EINVAL);
	CHECK_EQ(plat_reports[0].rec.x.cmd, MMUEXT_UNPIN_TABLE);
	CHECK(M.f[200].pinned);
}
