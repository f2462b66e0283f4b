// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of mm/p2m.c: every public function, both phases, the shared
 * leaf scheme, allocation and mapping failures, the frame-list-list and
 * the generation protocol.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <asm/xen/page.h>
#include "harness.h"

#define NR_PAGES	2000UL
#define LEAF		XENPV_P2M_PER_LEAF
#define MID		XENPV_P2M_PER_MID

static unsigned long flat[4096];

/* A flat list: RAM mfn = pfn + 0x1000, a 1:1 hole, a missing leaf. */
static void make_flat(void)
{
	unsigned long pfn;

	for (pfn = 0; pfn < NR_PAGES; pfn++)
		flat[pfn] = pfn + 0x1000;
	xenpv_p2m_init_flat(flat, NR_PAGES);
	set_phys_range_identity(512, 1024);	/* leaf 1: all identity */
	for (pfn = 1024; pfn < 1536; pfn++)	/* leaf 2: all missing */
		__set_phys_to_machine(pfn, INVALID_P2M_ENTRY);
	set_phys_range_identity(1600, 1700);	/* leaf 3: mixed */
}

static unsigned long expect(unsigned long pfn)
{
	if (pfn >= 512 && pfn < 1024)
		return IDENTITY_FRAME(pfn);
	if (pfn >= 1024 && pfn < 1536)
		return INVALID_P2M_ENTRY;
	if (pfn >= 1600 && pfn < 1700)
		return IDENTITY_FRAME(pfn);
	if (pfn < NR_PAGES)
		return pfn + 0x1000;
	if (pfn < 2048)
		return INVALID_P2M_ENTRY;
	return IDENTITY_FRAME(pfn);
}

static int build(void)
{
	make_flat();
	return xenpv_p2m_build(3 * MID);
}

TEST(p2m_none_phase)
{
	CHECK_EQ(xenpv_p2m_phase(), XENPV_P2M_NONE);
	CHECK_EQ(get_phys_to_machine(5), IDENTITY_FRAME(5));
	CHECK_EQ(__pfn_to_mfn(5), IDENTITY_FRAME(5));
	CHECK_EQ(xen_alloc_p2m_entry(5), -EINVAL);
	CHECK_EQ(xenpv_p2m_build(0), -EINVAL);
	CHECK(!set_phys_to_machine(5, 77));
	CHECK(__set_phys_to_machine(5, IDENTITY_FRAME(5)));
	CHECK(!xenpv_p2m_leaf_is_private(5));
	CHECK_EQ(xenpv_p2m_frame_list_refresh(), INVALID_P2M_ENTRY);
	CHECK(xenpv_p2m_frame_list_top() == NULL);
	CHECK(xenpv_p2m_frame_list_mid(0) == NULL);
}

TEST(p2m_flat_init_pads)
{
	unsigned long pfn;

	for (pfn = 0; pfn < 1024; pfn++)
		flat[pfn] = 0x5555;
	xenpv_p2m_init_flat(flat, 1000);
	CHECK_EQ(xenpv_p2m_phase(), XENPV_P2M_FLAT);
	CHECK_EQ(xen_p2m_size, 1024);
	CHECK_EQ(xen_max_p2m_pfn, 1024);
	CHECK(xen_p2m_addr == flat);
	CHECK_EQ(flat[999], 0x5555);
	CHECK_EQ(flat[1000], INVALID_P2M_ENTRY);
	CHECK_EQ(flat[1023], INVALID_P2M_ENTRY);
	CHECK_EQ(__pfn_to_mfn(1023), INVALID_P2M_ENTRY);
	CHECK_EQ(__pfn_to_mfn(1024), IDENTITY_FRAME(1024));
	CHECK_EQ(xenpv_p2m_max_pfn(), 1024);
	CHECK(xenpv_p2m_leaf_is_private(3));
	CHECK(!xenpv_p2m_leaf_is_private(5000));
}

TEST(p2m_flat_set_get)
{
	make_flat();
	CHECK(__set_phys_to_machine(7, 0x777));
	CHECK_EQ(flat[7], 0x777);
	CHECK_EQ(__pfn_to_mfn(7), 0x777);
	CHECK(set_phys_to_machine(8, FOREIGN_FRAME(0x888)));
	CHECK_EQ(__pfn_to_mfn(8), FOREIGN_FRAME(0x888));
	CHECK_EQ(xen_alloc_p2m_entry(9), 0);
	/* Beyond the flat list nothing can be stored. */
	CHECK_EQ(xen_alloc_p2m_entry(5000), -ENOSPC);
	CHECK(!set_phys_to_machine(5000, 0x1));
	CHECK(!__set_phys_to_machine(5000, INVALID_P2M_ENTRY));
	CHECK(__set_phys_to_machine(5000, IDENTITY_FRAME(5000)));
	CHECK_EQ(get_phys_to_machine(600), IDENTITY_FRAME(600));
}

TEST(p2m_flat_extra_mem)
{
	make_flat();
	/* setup.c raises xen_max_p2m_pfn for planned extra memory. */
	xen_max_p2m_pfn = 8192;
	plat_set_extra(4096, 6000);
	CHECK_EQ(__pfn_to_mfn(3000), IDENTITY_FRAME(3000));
	CHECK_EQ(__pfn_to_mfn(4096), INVALID_P2M_ENTRY);
	CHECK_EQ(__pfn_to_mfn(5999), INVALID_P2M_ENTRY);
	CHECK_EQ(__pfn_to_mfn(6000), IDENTITY_FRAME(6000));
	CHECK_EQ(__pfn_to_mfn(9000), IDENTITY_FRAME(9000));
	CHECK(__set_phys_to_machine(4100, INVALID_P2M_ENTRY));
	CHECK(!__set_phys_to_machine(4100, 5));
	CHECK_EQ(xenpv_p2m_max_pfn(), 8192);
}

/*
 * Planned extra memory gets private leaves at build: filling it (the
 * balloon) must never need an allocation, while hot-added memory beyond
 * it allocates and can fail.
 */
TEST(p2m_build_extra_mem_private)
{
	struct xenpv_p2m_stats st;
	unsigned long pfn;

	make_flat();
	xen_max_p2m_pfn = 4096;
	plat_set_extra(2048, 3072);
	CHECK_EQ(xenpv_p2m_build(3 * MID), 0);
	/* Leaves 4 and 5 (pfns 2048-3071) private, leaf 6 on: 1:1, shared. */
	CHECK(xenpv_p2m_leaf_is_private(2048));
	CHECK(xenpv_p2m_leaf_is_private(3071));
	CHECK(!xenpv_p2m_leaf_is_private(3072));
	CHECK(!xenpv_p2m_leaf_is_private(1100));
	CHECK_EQ(__pfn_to_mfn(2500), INVALID_P2M_ENTRY);
	CHECK_EQ(__pfn_to_mfn(3500), IDENTITY_FRAME(3500));
	xenpv_p2m_get_stats(&st);
	CHECK_EQ(st.private_leaves, 4);
	/* Every allocation fails from here: the balloon's stores still work. */
	plat_fail_alloc_permille = 1000;
	for (pfn = 2048; pfn < 3072; pfn++)
		CHECK(set_phys_to_machine(pfn, pfn + 0x9000));
	CHECK_EQ(__pfn_to_mfn(3000), 0x9000 + 3000);
	/* A store into memory beyond the plan fails cleanly, unchanged. */
	CHECK(!set_phys_to_machine(3500, INVALID_P2M_ENTRY));
	CHECK_EQ(__pfn_to_mfn(3500), IDENTITY_FRAME(3500));
	xenpv_p2m_get_stats(&st);
	CHECK_EQ(st.private_leaves, 4);
	CHECK(st.alloc_failures >= 1);
}

TEST(p2m_range_identity_flat)
{
	make_flat();
	CHECK_EQ(set_phys_range_identity(10, 20), 10);
	CHECK_EQ(__pfn_to_mfn(10), IDENTITY_FRAME(10));
	CHECK_EQ(__pfn_to_mfn(20), 20 + 0x1000);
	CHECK_EQ(set_phys_range_identity(2000, ~0UL), 48);
	CHECK_EQ(set_phys_range_identity(2048, 3000), 0);
	CHECK_EQ(set_phys_range_identity(30, 20), 0);
}

TEST(p2m_build_copies_everything)
{
	unsigned long pfn, *old = xen_p2m_addr;
	struct xenpv_p2m_stats st;

	CHECK_EQ(build(), 0);
	CHECK(xen_p2m_addr != old);
	CHECK_EQ(xenpv_p2m_phase(), XENPV_P2M_FINAL);
	CHECK_EQ(xen_p2m_size, 3 * MID);
	CHECK_EQ(xen_max_p2m_pfn, 3 * MID);
	CHECK_EQ(xenpv_p2m_max_pfn(), 2048);
	for (pfn = 0; pfn < 3 * MID + 100; pfn++)
		CHECK_EQ(__pfn_to_mfn(pfn), expect(pfn));
	/* Leaves 0 and 3 private; leaf 1 identity, leaf 2 missing: shared. */
	CHECK(xenpv_p2m_leaf_is_private(0));
	CHECK(!xenpv_p2m_leaf_is_private(600));
	CHECK(!xenpv_p2m_leaf_is_private(1100));
	CHECK(xenpv_p2m_leaf_is_private(1600));
	CHECK(!xenpv_p2m_leaf_is_private(2048));
	CHECK(!xenpv_p2m_leaf_is_private(MID + 5));
	CHECK(plat_slot_page(1) == plat_slot_page(MID / LEAF + 3));
	CHECK(plat_slot_page(1) == plat_slot_page(4));
	CHECK(plat_slot_page(1) != plat_slot_page(2));
	/* The shared pages read ~0; identity is told by metadata. */
	CHECK_EQ(xen_p2m_addr[600], INVALID_P2M_ENTRY);
	xenpv_p2m_get_stats(&st);
	CHECK_EQ(st.private_leaves, 2);
	CHECK_EQ(st.split_mids, 1);
	/* The flat list was not touched. */
	CHECK_EQ(flat[5], 5 + 0x1000);
}

/* A leaf is shared only if all of it is missing or all of it is 1:1. */
TEST(p2m_build_leaf_kinds)
{
	unsigned long pfn;
	struct xenpv_p2m_stats st;

	for (pfn = 0; pfn < 4 * LEAF; pfn++)
		flat[pfn] = pfn + 0x1000;
	flat[0] = IDENTITY_FRAME(0);			/* leaf 0: 1:1, then RAM */
	flat[LEAF] = INVALID_P2M_ENTRY;			/* leaf 1: ~0, then RAM */
	for (pfn = 2 * LEAF; pfn < 3 * LEAF; pfn++)	/* leaf 2: 1:1, last ~0 */
		flat[pfn] = IDENTITY_FRAME(pfn);
	flat[3 * LEAF - 1] = INVALID_P2M_ENTRY;
	for (pfn = 3 * LEAF; pfn < 4 * LEAF; pfn++)	/* leaf 3: all ~0 */
		flat[pfn] = INVALID_P2M_ENTRY;
	xenpv_p2m_init_flat(flat, 4 * LEAF);
	CHECK_EQ(xenpv_p2m_build(MID), 0);
	for (pfn = 0; pfn < 4 * LEAF; pfn++)
		CHECK_EQ(__pfn_to_mfn(pfn), flat[pfn]);
	CHECK(xenpv_p2m_leaf_is_private(0));
	CHECK(xenpv_p2m_leaf_is_private(LEAF));
	CHECK(xenpv_p2m_leaf_is_private(2 * LEAF));
	CHECK(!xenpv_p2m_leaf_is_private(3 * LEAF));
	xenpv_p2m_get_stats(&st);
	CHECK_EQ(st.private_leaves, 3);
	CHECK_EQ(st.split_mids, 1);
}

static void write_in_child(unsigned long pfn)
{
	xen_p2m_addr[pfn] = 1;
}

static void on_segv(int sig)
{
	(void)sig;
	_exit(42);
}

static int child_status(unsigned long pfn)
{
	int st = 0;
	pid_t pid = fork();

	if (pid == 0) {
		signal(SIGSEGV, on_segv);
		signal(SIGBUS, on_segv);
		write_in_child(pfn);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

TEST(p2m_shared_leaves_are_read_only)
{
	CHECK_EQ(build(), 0);
	CHECK_EQ(child_status(600), 42);	/* identity leaf */
	CHECK_EQ(child_status(1100), 42);	/* missing leaf */
	CHECK_EQ(child_status(MID + 7), 42);	/* whole identity mid */
	CHECK_EQ(child_status(5), 0);		/* private leaf */
}

TEST(p2m_store_into_missing_leaf)
{
	const unsigned long *top, *midp;
	unsigned long gen;

	CHECK_EQ(build(), 0);
	gen = xenpv_p2m_generation();
	CHECK(__set_phys_to_machine(1100, INVALID_P2M_ENTRY));
	CHECK(!__set_phys_to_machine(1100, 0x42));
	CHECK_EQ(xenpv_p2m_generation(), gen);
	CHECK(set_phys_to_machine(1100, 0x42));
	CHECK_EQ(__pfn_to_mfn(1100), 0x42);
	CHECK_EQ(__pfn_to_mfn(1101), INVALID_P2M_ENTRY);
	CHECK(xenpv_p2m_leaf_is_private(1100));
	CHECK_EQ(xenpv_p2m_generation(), gen + 2);
	CHECK_EQ(plat_last_generation, gen + 2);
	/* The frame list follows. */
	top = xenpv_p2m_frame_list_top();
	midp = xenpv_p2m_frame_list_mid(0);
	CHECK_EQ(midp[2], plat_page_mfn(plat_slot_page(2)));
	CHECK_EQ(top[0], plat_page_mfn(midp));
}

TEST(p2m_store_into_identity_leaf)
{
	CHECK_EQ(build(), 0);
	CHECK(__set_phys_to_machine(600, IDENTITY_FRAME(600)));
	CHECK(!__set_phys_to_machine(600, INVALID_P2M_ENTRY));
	CHECK(set_phys_to_machine(600, INVALID_P2M_ENTRY));
	CHECK_EQ(__pfn_to_mfn(600), INVALID_P2M_ENTRY);
	CHECK_EQ(__pfn_to_mfn(601), IDENTITY_FRAME(601));
	CHECK_EQ(xen_p2m_addr[599], IDENTITY_FRAME(599));
}

TEST(p2m_split_whole_mid_on_demand)
{
	unsigned long pfn = 2 * MID + 3 * LEAF + 9, gen;
	struct xenpv_p2m_stats st;

	CHECK_EQ(build(), 0);
	gen = xenpv_p2m_generation();
	CHECK_EQ(xenpv_p2m_frame_list_mid(2), xenpv_p2m_frame_list_mid(1));
	CHECK(set_phys_to_machine(pfn, 0x99));
	CHECK_EQ(__pfn_to_mfn(pfn), 0x99);
	CHECK_EQ(__pfn_to_mfn(pfn + 1), IDENTITY_FRAME(pfn + 1));
	CHECK_EQ(__pfn_to_mfn(pfn + LEAF), IDENTITY_FRAME(pfn + LEAF));
	CHECK_EQ(xenpv_p2m_generation(), gen + 2);
	CHECK(xenpv_p2m_frame_list_mid(2) != xenpv_p2m_frame_list_mid(1));
	CHECK_EQ(xenpv_p2m_frame_list_top()[2],
		 plat_page_mfn(xenpv_p2m_frame_list_mid(2)));
	xenpv_p2m_get_stats(&st);
	CHECK_EQ(st.split_mids, 2);
	/* Honest max_pfn follows the allocation. */
	CHECK_EQ(xenpv_p2m_max_pfn(), 2 * MID + 4 * LEAF);
	CHECK_EQ(plat_last_max_pfn, 2 * MID + 4 * LEAF);
	/* A second store into the same leaf allocates nothing. */
	plat_fail_alloc_nth = 1;
	CHECK(set_phys_to_machine(pfn + 1, 0x98));
	CHECK_EQ(xen_alloc_p2m_entry(pfn + 2), 0);
}

TEST(p2m_alloc_failure_leaves_p2m_unchanged)
{
	unsigned long pfn = 2 * MID + 5, n, used;

	CHECK_EQ(build(), 0);
	used = plat_pages_in_use();
	for (n = 1; n <= 4; n++) {
		plat_fail_alloc_nth = n;
		CHECK(!set_phys_to_machine(pfn, 0x1234));
		CHECK_EQ(__pfn_to_mfn(pfn), IDENTITY_FRAME(pfn));
		CHECK(!xenpv_p2m_leaf_is_private(pfn));
		CHECK_EQ(plat_pages_in_use(), used);
	}
	plat_fail_alloc_nth = 1;
	CHECK_EQ(xenpv_p2m_test_alloc_entry(pfn, GFP_ATOMIC), -ENOMEM);
	plat_fail_alloc_nth = 0;
	CHECK(xenpv_p2m_test_set(pfn, 0x1234, GFP_ATOMIC));
	CHECK_EQ(__pfn_to_mfn(pfn), 0x1234);
}

TEST(p2m_map_failure_reported)
{
	unsigned long pfn = 2 * MID + 5;
	struct xenpv_p2m_stats st;

	CHECK_EQ(build(), 0);
	plat_fail_map_nth = 1;			/* the split */
	CHECK_EQ(xen_alloc_p2m_entry(pfn), -ENOMEM);
	CHECK_EQ(__pfn_to_mfn(pfn), IDENTITY_FRAME(pfn));
	CHECK_EQ(xenpv_p2m_generation() & 1, 0);
	plat_fail_map_nth = 2;			/* the leaf, after the split */
	plat_fail_map_errno = -EIO;
	CHECK_EQ(xen_alloc_p2m_entry(pfn), -EIO);
	CHECK_EQ(__pfn_to_mfn(pfn), IDENTITY_FRAME(pfn));
	CHECK(!xenpv_p2m_leaf_is_private(pfn));
	CHECK_EQ(xenpv_p2m_generation() & 1, 0);
	xenpv_p2m_get_stats(&st);
	CHECK_EQ(st.map_failures, 2);
	CHECK(set_phys_to_machine(pfn, 3));
	CHECK_EQ(__pfn_to_mfn(pfn), 3);
}

static void other_cpu_wins(void)
{
	/* Another CPU installs the leaf while we allocate. */
	CHECK(set_phys_to_machine(2 * MID + 1, 0x11));
}

TEST(p2m_lost_race_frees_pages)
{
	struct xenpv_p2m_stats st;
	unsigned long used;

	CHECK_EQ(build(), 0);
	used = plat_pages_in_use();
	plat_alloc_hook = other_cpu_wins;
	CHECK(set_phys_to_machine(2 * MID + 2, 0x22));
	CHECK_EQ(__pfn_to_mfn(2 * MID + 1), 0x11);
	CHECK_EQ(__pfn_to_mfn(2 * MID + 2), 0x22);
	xenpv_p2m_get_stats(&st);
	CHECK_EQ(st.lost_races, 1);
	CHECK_EQ(plat_pages_in_use(), used + 4);
}

TEST(p2m_alloc_entry_limits)
{
	CHECK_EQ(build(), 0);
	CHECK_EQ(xen_alloc_p2m_entry(3 * MID), -EINVAL);
	CHECK(__set_phys_to_machine(3 * MID, IDENTITY_FRAME(3 * MID)));
	CHECK(!__set_phys_to_machine(3 * MID, INVALID_P2M_ENTRY));
	CHECK(!set_phys_to_machine(3 * MID, 5));
	CHECK_EQ(xen_alloc_p2m_entry(5), 0);	/* already private */
	CHECK_EQ(xenpv_p2m_build(0), -EINVAL);	/* only once */
}

TEST(p2m_range_identity_final)
{
	CHECK_EQ(build(), 0);
	plat_fail_alloc_nth = 1;
	CHECK_EQ(set_phys_range_identity(1300, 1400), 0);
	CHECK_EQ(set_phys_range_identity(1100, 1110), 10);
	CHECK_EQ(__pfn_to_mfn(1105), IDENTITY_FRAME(1105));
	CHECK_EQ(__pfn_to_mfn(1110), INVALID_P2M_ENTRY);
	CHECK_EQ(set_phys_range_identity(2 * MID, 2 * MID + 10), 10);
}

TEST(p2m_frame_list_after_migration)
{
	const unsigned long *top, *mid0, *mid1;
	unsigned long mfn, s, m;

	CHECK_EQ(build(), 0);
	plat_mfn_shift = 0x7000;
	plat_fail_alloc_nth = 1;	/* refresh must not allocate */
	mfn = xenpv_p2m_frame_list_refresh();
	CHECK_EQ(plat_fail_alloc_nth, 1);
	top = xenpv_p2m_frame_list_top();
	CHECK_EQ(mfn, plat_page_mfn(top));
	mid0 = xenpv_p2m_frame_list_mid(0);
	mid1 = xenpv_p2m_frame_list_mid(1);
	CHECK_EQ(top[0], plat_page_mfn(mid0));
	for (m = 1; m < XENPV_P2M_TOP_MIDS; m++)
		CHECK_EQ(top[m], plat_page_mfn(mid1));
	for (s = 0; s < XENPV_P2M_LEAVES_PER_MID; s++) {
		CHECK_EQ(mid0[s], plat_page_mfn(plat_slot_page(s)));
		CHECK_EQ(mid1[s], plat_page_mfn(plat_slot_page(2)));
	}
	CHECK(xenpv_p2m_frame_list_mid(XENPV_P2M_TOP_MIDS) == NULL);
}

TEST(p2m_tools_info_and_generation_reset)
{
	struct xenpv_p2m_tools info;

	make_flat();
	xenpv_p2m_tools_info(&info);
	CHECK_EQ(info.frame_list_list, INVALID_P2M_ENTRY);
	CHECK_EQ(info.max_pfn, 2048);
	CHECK(info.p2m_vaddr == (unsigned long)flat);
	CHECK_EQ(xenpv_p2m_build(0), 0);
	CHECK_EQ(xen_p2m_size, MID);
	CHECK(set_phys_to_machine(1100, 1));
	CHECK(xenpv_p2m_generation() != 0);
	xenpv_p2m_tools_info(&info);
	CHECK_EQ(info.frame_list_list, plat_page_mfn(xenpv_p2m_frame_list_top()));
	CHECK_EQ(info.max_pfn, 2048);
	CHECK(info.p2m_vaddr == (unsigned long)xen_p2m_addr);
	CHECK_EQ(xenpv_p2m_generation(), 0);
	CHECK_EQ(plat_last_generation, 0);
}

TEST(p2m_build_failures_keep_flat_list)
{
	unsigned long n, pfn;
	int rc;

	for (n = 1; n < 40; n++) {
		xenpv_p2m_teardown();
		make_flat();
		plat_fail_alloc_nth = n;
		rc = xenpv_p2m_build(3 * MID);
		if (rc == 0) {
			plat_fail_alloc_nth = 0;
			break;
		}
		CHECK_EQ(rc, -ENOMEM);
		CHECK_EQ(xenpv_p2m_phase(), XENPV_P2M_FLAT);
		CHECK(xen_p2m_addr == flat);
		CHECK_EQ(plat_pages_in_use(), 0);
		for (pfn = 0; pfn < 2100; pfn += 97)
			CHECK_EQ(__pfn_to_mfn(pfn), expect(pfn));
	}
	CHECK(n > 5 && n < 40);
	/*
	 * reserve, map_whole (identity: most leaves), split, leaves 0, 2
	 * (missing) and 3, mids 1 and 2, then success.
	 */
	for (n = 1; n <= 9; n++) {
		xenpv_p2m_teardown();
		make_flat();
		plat_fail_map_nth = n;
		plat_fail_map_errno = -EIO;
		rc = xenpv_p2m_build(3 * MID);
		if (n == 9) {
			CHECK_EQ(rc, 0);
			break;
		}
		CHECK_EQ(rc, n == 1 ? -ENOMEM : -EIO);
		CHECK_EQ(xenpv_p2m_phase(), XENPV_P2M_FLAT);
		CHECK_EQ(plat_pages_in_use(), 0);
	}
	plat_fail_map_nth = 0;
}

TEST(p2m_mids_beyond_frame_list)
{
	unsigned long pfn = XENPV_P2M_FRAME_LIST_PFNS + 5;

	/* Only the metadata for 513 mids is allocated, nothing is mapped. */
	make_flat();
	CHECK_EQ(xenpv_p2m_build(XENPV_P2M_FRAME_LIST_PFNS + 1), 0);
	CHECK_EQ(xen_p2m_size, XENPV_P2M_FRAME_LIST_PFNS + MID);
	CHECK(set_phys_to_machine(pfn, 0x77));
	CHECK_EQ(__pfn_to_mfn(pfn), 0x77);
	CHECK(xenpv_p2m_frame_list_refresh() != INVALID_P2M_ENTRY);
	CHECK_EQ(xenpv_p2m_max_pfn(), pfn - 5 + LEAF);
}

TEST(p2m_harness_catches_sleeping_alloc_under_lock)
{
	void *p;

	shim_atomic_depth++;
	p = xenpv_p2m_plat_alloc(PAGE_SIZE, GFP_ATOMIC);
	CHECK_EQ(plat_violations, 0);
	xenpv_p2m_plat_free(p, PAGE_SIZE);
	p = xenpv_p2m_plat_alloc(PAGE_SIZE, GFP_KERNEL);
	shim_atomic_depth--;
	CHECK_EQ(plat_violations, 1);
	xenpv_p2m_plat_free(p, PAGE_SIZE);
	plat_violations = 0;
}

struct racer {
	unsigned long first;
	bool ok;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	unsigned long i;

	r->ok = true;
	for (i = 0; i < 4 * LEAF; i += 7)
		if (!set_phys_to_machine(r->first + i, r->first + i))
			r->ok = false;
	return NULL;
}

TEST(p2m_concurrent_stores)
{
	struct racer r[4];
	pthread_t t[4];
	unsigned long i, k;

	CHECK_EQ(build(), 0);
	for (k = 0; k < 4; k++) {
		r[k].first = 2 * MID + k;
		pthread_create(&t[k], NULL, race, &r[k]);
	}
	for (k = 0; k < 4; k++)
		pthread_join(t[k], NULL);
	for (k = 0; k < 4; k++) {
		CHECK(r[k].ok);
		for (i = 0; i < 4 * LEAF; i += 7)
			CHECK_EQ(__pfn_to_mfn(r[k].first + i), r[k].first + i);
	}
}
