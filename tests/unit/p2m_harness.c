// SPDX-License-Identifier: GPL-2.0
/*
 * mm/p2m.c as the unit tests see it: the kernel source itself, unchanged,
 * plus the functions only the tests need (declared in p2m_harness.h), which
 * use its static state and functions.  This is the way Linux's
 * tools/testing/vma tests mm/vma.c: the kernel object carries no test-only
 * API and mm/p2m.c has no #ifdef for the harness.  Coverage is still
 * attributed to mm/p2m.c.
 */
#include "../../mm/p2m.c"

#include <string.h>

#include "p2m_harness.h"

/**
 * xenpv_p2m_teardown() - forget every p2m structure
 *
 * Unmaps and frees the final list (or forgets the flat one) and resets the
 * Linux globals to "no list": every pfn then reads as 1:1.  Also resets the
 * generation, max_pfn and the counters, so that each test starts afresh.
 */
void xenpv_p2m_teardown(void)
{
	free_final();
	memset(&p2m, 0, sizeof(p2m));
	xen_p2m_addr = NULL;
	xen_p2m_size = 0;
	xen_max_p2m_pfn = 0;
}

/**
 * xenpv_p2m_test_alloc_entry() - the static xenpv_p2m_alloc_entry()
 * @pfn: the pfn
 * @gfp: GFP_KERNEL or GFP_ATOMIC
 *
 * Return: see xenpv_p2m_alloc_entry().
 */
int xenpv_p2m_test_alloc_entry(unsigned long pfn, gfp_t gfp)
{
	return xenpv_p2m_alloc_entry(pfn, gfp);
}

/**
 * xenpv_p2m_test_set() - the static xenpv_p2m_set()
 * @pfn: the pfn
 * @mfn: the new entry
 * @gfp: GFP_KERNEL or GFP_ATOMIC
 *
 * Return: see xenpv_p2m_set().
 */
bool xenpv_p2m_test_set(unsigned long pfn, unsigned long mfn, gfp_t gfp)
{
	return xenpv_p2m_set(pfn, mfn, gfp);
}

/**
 * xenpv_p2m_frame_list_top() - the top page of the frame-list-list
 *
 * Return: the page, or NULL outside the final phase.
 */
const unsigned long *xenpv_p2m_frame_list_top(void)
{
	return p2m.phase == XENPV_P2M_FINAL ? p2m.top : NULL;
}

/**
 * xenpv_p2m_frame_list_mid() - the frame-list mid page used for a mid
 * @mid: index of the mid
 *
 * Return: the mid's own page if it is split, the shared "missing" mid page
 * otherwise, NULL outside the final phase or beyond the top page.
 */
const unsigned long *xenpv_p2m_frame_list_mid(unsigned long mid)
{
	if (p2m.phase != XENPV_P2M_FINAL || mid >= XENPV_P2M_TOP_MIDS)
		return NULL;
	if (mid < p2m.nr_mids && p2m.mids[mid].mfns)
		return p2m.mids[mid].mfns;
	return p2m.mid_missing;
}
