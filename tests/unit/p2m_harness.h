/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The p2m functions only the unit tests need.  They are defined in
 * p2m_harness.c, which compiles mm/p2m.c itself (#include) so that they can
 * reach its static state; the kernel object never contains them.
 */
#ifndef _XENPV_TEST_P2M_HARNESS_H
#define _XENPV_TEST_P2M_HARNESS_H

#include <linux/types.h>
#include <linux/gfp.h>

void xenpv_p2m_teardown(void);
int xenpv_p2m_test_alloc_entry(unsigned long pfn, gfp_t gfp);
bool xenpv_p2m_test_set(unsigned long pfn, unsigned long mfn, gfp_t gfp);
const unsigned long *xenpv_p2m_frame_list_top(void);
const unsigned long *xenpv_p2m_frame_list_mid(unsigned long mid);

#endif
