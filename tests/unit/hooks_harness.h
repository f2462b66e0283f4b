/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hooks harness: arch/x86/xenpv's pte.c, pin.c and direct.c compiled
 * unchanged (hooks_harness.c) on a small simulated machine whose page
 * tables live in the model of Xen.  See hooks_harness.c for the rules it
 * enforces on the guest's own stores.
 */
#ifndef _XENPV_TEST_HOOKS_HARNESS_H
#define _XENPV_TEST_HOOKS_HARNESS_H

#include <stdint.h>
#include <linux/mm.h>

/* Guest "physical" pages; pfn p lives in machine frame HOOKS_MFN(p). */
#define HOOKS_PAGES		64
#define HOOKS_MFN(pfn)		(1024UL + HOOKS_PAGES - 1 - (pfn))
/* Model frames of the direct map that maps those pages (not guest RAM). */
#define HOOKS_DM_L4		100
#define HOOKS_DM_L3		101
#define HOOKS_DM_L2		102
#define HOOKS_DM_L1		103

/* Guest stores Xen emulated (writes to a validated L1 mapped read-only). */
extern unsigned long hooks_emulated;
/* Pages handed to xenpv_park_table(), calls of leave_mm(). */
extern unsigned long hooks_parked, hooks_leave_mm;

void hooks_setup(void);
void *hooks_alloc_page(void);
void hooks_free_page(void *p);
unsigned long hooks_mfn(const void *p);
void hooks_sync(void);
uint64_t hooks_dm_pte(const void *p);
uint64_t hooks_xen_entry(const void *entry);
void hooks_hw_set_ad(void *entry, uint64_t bits);
unsigned long hooks_hypercalls(void);

#endif
