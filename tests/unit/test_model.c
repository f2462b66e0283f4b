// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the Xen model itself: the batch tests are only as good as the
 * model's rules, so each rule Xen enforces has a test here, with Xen's
 * error code.
 */
#include "harness.h"
#include "model.h"

/* Frames: 10 = L4, 11 = L3, 12 = L2, 13/14 = L1s, 100.. = data. */
#define L4 10
#define L3 11
#define L2 12
#define L1 13
#define L1B 14
#define PT (M_P | M_RW | M_A | M_D)

static void own_all(void)
{
	unsigned long i;

	for (i = 0; i < 400; i++)
		model_own(i, MODEL_DOM_SELF);
	for (i = 400; i < 410; i++)
		model_own(i, MODEL_DOM_OTHER);
}

/* Raw (unvalidated) writes, then pin the L4: Xen validates the tree. */
static long build_tree(void)
{
	own_all();
	M.f[L4].e[0] = ((uint64_t)L3 << 12) | PT;
	M.f[L3].e[0] = ((uint64_t)L2 << 12) | PT;
	M.f[L2].e[0] = ((uint64_t)L1 << 12) | PT;
	M.f[L1].e[0] = (100ULL << 12) | M_P | M_RW;
	return model_pin(4, L4);
}

static long new_baseptr(unsigned long mfn)
{
	struct mmuext_op op = { .cmd = MMUEXT_NEW_BASEPTR };

	op.arg1.mfn = mfn;
	return model_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

TEST(model_pin_validates_tree)
{
	CHECK_EQ(build_tree(), 0);
	CHECK_EQ(M.f[L4].type, MT_L4);
	CHECK(M.f[L4].pinned);
	CHECK_EQ(M.f[L3].type, MT_L3);
	CHECK_EQ(M.f[L1].type, MT_L1);
	CHECK_EQ(M.f[L1].tcount, 1);
	CHECK_EQ(M.f[100].type, MT_WRITABLE);
	CHECK_EQ(model_unpin(L4), 0);
	CHECK_EQ(M.f[L1].tcount, 0);
	CHECK_EQ(M.f[100].tcount, 0);
}

TEST(model_rejects_writable_mapping_of_pinned_table)
{
	CHECK_EQ(build_tree(), 0);
	/* Map the L1 page itself writable: Xen says -EBUSY. */
	CHECK_EQ(model_set_entry(L1, 1, ((uint64_t)L1 << 12) | M_P | M_RW),
		 -XEN_EBUSY);
	CHECK_EQ(M.f[L1].e[1], 0);
	/* Read-only is fine. */
	CHECK_EQ(model_set_entry(L1, 1, ((uint64_t)L1 << 12) | M_P), 0);
}

TEST(model_rejects_pinning_a_writable_page)
{
	CHECK_EQ(build_tree(), 0);
	/* Frame 100 is mapped writable by the L1: it cannot become a table. */
	CHECK_EQ(model_pin(1, 100), -XEN_EINVAL);
	CHECK_EQ(M.f[100].type, MT_WRITABLE);
	CHECK_EQ(model_set_entry(L1, 0, (100ULL << 12) | M_P), 0);
	CHECK_EQ(model_pin(1, 100), 0);
}

TEST(model_rejects_pse_in_l2)
{
	CHECK_EQ(build_tree(), 0);
	CHECK_EQ(model_set_entry(L2, 1, (512ULL << 12) | PT | M_PSE), -XEN_EINVAL);
	M.f[L1B].e[0] = 0;
	CHECK_EQ(model_set_entry(L2, 1, ((uint64_t)L1B << 12) | PT), 0);
	CHECK_EQ(M.f[L1B].type, MT_L1);
}

TEST(model_rejects_foreign_mfn_not_owned)
{
	CHECK_EQ(build_tree(), 0);
	CHECK_EQ(model_set_entry(L1, 2, (400ULL << 12) | M_P), -XEN_EBUSY);
	model_own(401, MODEL_DOM_NONE);
	CHECK_EQ(model_set_entry(L1, 2, (401ULL << 12) | M_P), -XEN_EBUSY);
	/* MMIO (beyond RAM) needs I/O capabilities. */
	CHECK_EQ(model_set_entry(L1, 2, (5000ULL << 12) | M_P), -XEN_EPERM);
	M.io_caps = true;
	CHECK_EQ(model_set_entry(L1, 2, (5000ULL << 12) | M_P | M_PCD), 0);
}

TEST(model_foreign_domid)
{
	struct mmu_update u = {
		.ptr = ((uint64_t)L1 << 12) + 3 * 8,
		.val = (400ULL << 12) | M_P,
	};
	unsigned int done = 7;

	CHECK_EQ(build_tree(), 0);
	CHECK_EQ(model_mmu_update(&u, 1, &done, MODEL_DOM_OTHER), -XEN_EPERM);
	CHECK_EQ(done, 0);
	CHECK_EQ(model_mmu_update(&u, 1, &done, 77), -XEN_ESRCH);
	M.privileged = true;
	CHECK_EQ(model_mmu_update(&u, 1, &done, MODEL_DOM_OTHER), 0);
	CHECK_EQ(done, 1);
	struct mmuext_op op = { .cmd = MMUEXT_TLB_FLUSH_LOCAL };

	CHECK_EQ(model_mmuext_op(&op, 1, NULL, MODEL_DOM_OTHER), -XEN_EINVAL);
	M.privileged = false;
	CHECK_EQ(model_mmuext_op(&op, 1, NULL, MODEL_DOM_OTHER), -XEN_EPERM);
}

TEST(model_rejects_unpin_of_unpinned)
{
	CHECK_EQ(build_tree(), 0);
	CHECK_EQ(model_unpin(L3), -XEN_EINVAL);
	CHECK_EQ(model_unpin(L4), 0);
	CHECK_EQ(model_unpin(L4), -XEN_EINVAL);
	CHECK_EQ(model_unpin(405), -XEN_EINVAL);
	CHECK_EQ(model_pin(1, 405), -XEN_EINVAL);
}

TEST(model_rejects_double_pin)
{
	CHECK_EQ(build_tree(), 0);
	CHECK_EQ(model_pin(4, L4), -XEN_EINVAL);
	CHECK_EQ(M.f[L4].tcount, 1);
	CHECK_EQ(model_pin(3, L4), -XEN_EINVAL);	/* type conflict */
}

TEST(model_l1tf_unsafe_entry_crashes)
{
	CHECK_EQ(build_tree(), 0);
	/* Non-present but with a RAM address: L1TF-vulnerable. */
	CHECK_EQ(model_set_entry(L1, 4, 0x1234000ULL), -XEN_EINVAL);
	CHECK(M.crashed);
	M.crashed = false;
	/* Inverted (high) address or zero: safe. */
	CHECK_EQ(model_set_entry(L1, 4, M_ADDR & ~0xfffULL), 0);
	CHECK_EQ(model_set_entry(L1, 4, 0), 0);
	CHECK(!M.crashed);
	M.f[L1B].e[9] = 0x5000ULL;
	CHECK_EQ(model_pin(1, L1B), -XEN_EINVAL);
	CHECK(M.crashed);
}

TEST(model_flags_checked)
{
	CHECK_EQ(build_tree(), 0);
	CHECK_EQ(model_set_entry(L1, 5, (101ULL << 12) | M_P | M_PCD), -XEN_EINVAL);
	CHECK_EQ(model_set_entry(L1, 5, (101ULL << 12) | M_P | M_G), 0);
	CHECK_EQ(model_set_entry(L2, 5, ((uint64_t)L1B << 12) | PT | M_G),
		 -XEN_EINVAL);
	/* Xen's own L4 slots. */
	CHECK_EQ(model_set_entry(L4, 256, 0), -XEN_EINVAL);
}

TEST(model_preserve_ad)
{
	struct mmu_update u;

	CHECK_EQ(build_tree(), 0);
	model_hw_set_ad(L1, 0, M_A | M_D);
	u.ptr = ((uint64_t)L1 << 12) | MMU_PT_UPDATE_PRESERVE_AD;
	u.val = (100ULL << 12) | M_P | M_RW | M_NX;
	CHECK_EQ(model_mmu_update(&u, 1, NULL, DOMID_SELF), 0);
	CHECK_EQ(M.f[L1].e[0], (100ULL << 12) | M_P | M_RW | M_NX | M_A | M_D);
	u.ptr = ((uint64_t)L1 << 12) | MMU_NORMAL_PT_UPDATE;
	CHECK_EQ(model_mmu_update(&u, 1, NULL, DOMID_SELF), 0);
	CHECK_EQ(M.f[L1].e[0], (100ULL << 12) | M_P | M_RW | M_NX);
}

TEST(model_unknown_commands)
{
	struct mmu_update u = { .ptr = ((uint64_t)L1 << 12) | 3, .val = 0 };
	struct mmuext_op op = { .cmd = 99 };
	struct multicall_entry mc = { .op = 99 };
	unsigned int done = 9;

	CHECK_EQ(build_tree(), 0);
	CHECK_EQ(model_mmu_update(&u, 1, &done, DOMID_SELF), -XEN_ENOSYS);
	CHECK_EQ(done, 0);
	CHECK_EQ(model_mmuext_op(&op, 1, &done, DOMID_SELF), -XEN_ENOSYS);
	model_single(&mc);
	CHECK_EQ((long)mc.result, -XEN_ENOSYS);
	/* Updates of a page that is not a table are plain writes. */
	u.ptr = 200ULL << 12;
	u.val = 0xabc;
	CHECK_EQ(model_mmu_update(&u, 1, NULL, DOMID_SELF), 0);
	CHECK_EQ(M.f[200].e[0], 0xabc);
	u.ptr = 401ULL << 12;
	CHECK_EQ(model_mmu_update(&u, 1, NULL, DOMID_SELF), -XEN_EINVAL);
	u.ptr = (200ULL << 12) | MMU_MACHPHYS_UPDATE;
	u.val = 77;
	CHECK_EQ(model_mmu_update(&u, 1, NULL, DOMID_SELF), 0);
	CHECK_EQ(M.m2p[200], 77);
	u.ptr = (401ULL << 12) | MMU_MACHPHYS_UPDATE;
	CHECK_EQ(model_mmu_update(&u, 1, NULL, DOMID_SELF), -XEN_EINVAL);
}

TEST(model_flushes_recorded)
{
	unsigned long mask = 0x5;
	struct mmuext_op ops[5] = {
		{ .cmd = MMUEXT_TLB_FLUSH_LOCAL },
		{ .cmd = MMUEXT_INVLPG_LOCAL },
		{ .cmd = MMUEXT_TLB_FLUSH_MULTI },
		{ .cmd = MMUEXT_INVLPG_MULTI },
		{ .cmd = MMUEXT_TLB_FLUSH_MULTI },
	};
	unsigned int done;

	ops[1].arg1.linear_addr = 0x4000;
	ops[2].arg2.vcpumask.p = &mask;
	ops[3].arg1.linear_addr = 0x8000;
	ops[3].arg2.vcpumask.p = &mask;
	CHECK_EQ(model_mmuext_op(ops, 5, &done, DOMID_SELF), -XEN_EFAULT);
	CHECK_EQ(done, 4);
	CHECK_EQ(M.nlog, 4);
	CHECK_EQ(M.log[1].cmd, MMUEXT_INVLPG_LOCAL);
	CHECK_EQ(M.log[1].addr, 0x4000);
	CHECK_EQ(M.log[2].mask, 5);
	CHECK_EQ(M.log[3].addr, 0x8000);
}

TEST(model_baseptr_and_update_va_mapping)
{
	struct mmuext_op op = { .cmd = MMUEXT_NEW_USER_BASEPTR };
	unsigned long mask = 2;

	CHECK_EQ(build_tree(), 0);
	CHECK_EQ(model_update_va_mapping(0x1000, 0, UVMF_INVLPG), -XEN_EINVAL);
	CHECK_EQ(new_baseptr(100), -XEN_EINVAL);
	CHECK_EQ(new_baseptr(L4), 0);
	CHECK_EQ(M.cr3[0], L4);
	CHECK_EQ(model_update_va_mapping(0x1000, (101ULL << 12) | M_P,
					 UVMF_INVLPG | UVMF_ALL), 0);
	CHECK_EQ(M.f[L1].e[1], (101ULL << 12) | M_P);
	CHECK_EQ(M.log[M.nlog - 1].cmd, 1000 + UVMF_INVLPG);
	CHECK_EQ(M.log[M.nlog - 1].addr, 0x1000);
	CHECK_EQ(model_update_va_mapping(0x2000, 0,
					 UVMF_TLB_FLUSH | (unsigned long)&mask), 0);
	CHECK_EQ(M.log[M.nlog - 1].mask, 2);
	CHECK_EQ(model_update_va_mapping(0x3000, 0, UVMF_NONE | UVMF_LOCAL), 0);
	CHECK_EQ(model_update_va_mapping(1UL << 21, 0, UVMF_INVLPG), -XEN_EINVAL);
	CHECK_EQ(model_update_va_mapping(0x1000, (400ULL << 12) | M_P, 0),
		 -XEN_EBUSY);
	/* Base pointers hold a type reference. */
	CHECK_EQ(model_unpin(L4), 0);
	CHECK_EQ(M.f[L4].tcount, 1);
	op.arg1.mfn = L4;
	CHECK_EQ(model_mmuext_op(&op, 1, NULL, DOMID_SELF), 0);
	CHECK_EQ(M.f[L4].tcount, 2);
	op.arg1.mfn = 0;
	CHECK_EQ(model_mmuext_op(&op, 1, NULL, DOMID_SELF), 0);
	op.arg1.mfn = 405;
	CHECK_EQ(model_mmuext_op(&op, 1, NULL, DOMID_SELF), -XEN_EINVAL);
	CHECK_EQ(new_baseptr(L4), 0);
	CHECK_EQ(M.f[L4].tcount, 1);
}

TEST(model_multicall_semantics)
{
	struct mmu_update u[2] = {
		{ ((uint64_t)L1 << 12) + 8, (400ULL << 12) | M_P },
		{ ((uint64_t)L1 << 12) + 16, (101ULL << 12) | M_P },
	};
	struct multicall_entry mc[4] = {
		{ .op = __HYPERVISOR_mmu_update,
		  .args = { (unsigned long)u, 2, 0, DOMID_SELF } },
		{ .op = __HYPERVISOR_stack_switch },
		{ .op = __HYPERVISOR_iret },
		{ .op = __HYPERVISOR_fpu_taskswitch, .result = 55 },
	};

	CHECK_EQ(build_tree(), 0);
	/* Every entry runs even after a failure; iret ends the multicall. */
	CHECK_EQ(model_multicall(mc, 4), 0);
	CHECK_EQ((long)mc[0].result, -XEN_EBUSY);
	CHECK_EQ(M.f[L1].e[2], 0);	/* mmu_update stopped at record 0 */
	CHECK_EQ((long)mc[1].result, 0);
	CHECK_EQ(mc[3].result, 55);
	M.multicall_fault = -XEN_EFAULT;
	CHECK_EQ(model_multicall(mc, 2), -XEN_EFAULT);
}
