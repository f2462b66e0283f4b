/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/mm.h> and <linux/page-flags.h>: page flags
 * (PG_pinned and PG_savepinned are Xen's aliases, as in Linux), and the
 * struct page <-> pfn <-> address conversions over the harness's small
 * physical memory (hooks_harness.c; out-of-range pages BUG).
 */
#ifndef _SHIM_LINUX_MM_H
#define _SHIM_LINUX_MM_H

#include <linux/mm_types.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/pfn.h>
#include <asm/pgtable.h>

enum pageflags {
	PG_dirty = 4,
	PG_owner_priv_1 = 9,
	PG_pinned = PG_owner_priv_1,
	PG_savepinned = PG_dirty,
};

#define SHIM_PAGEFLAG(uname, lname)					\
static inline bool Page##uname(const struct page *p)			\
{ return (__atomic_load_n(&p->flags, __ATOMIC_RELAXED) >> PG_##lname) & 1; } \
static inline void SetPage##uname(struct page *p)			\
{ __atomic_fetch_or(&p->flags, 1UL << PG_##lname, __ATOMIC_SEQ_CST); }	\
static inline void ClearPage##uname(struct page *p)			\
{ __atomic_fetch_and(&p->flags, ~(1UL << PG_##lname), __ATOMIC_SEQ_CST); } \
static inline bool TestSetPage##uname(struct page *p)			\
{ return (__atomic_fetch_or(&p->flags, 1UL << PG_##lname,		\
			    __ATOMIC_SEQ_CST) >> PG_##lname) & 1; }	\
static inline bool TestClearPage##uname(struct page *p)		\
{ return (__atomic_fetch_and(&p->flags, ~(1UL << PG_##lname),		\
			     __ATOMIC_SEQ_CST) >> PG_##lname) & 1; }

SHIM_PAGEFLAG(Pinned, pinned)
SHIM_PAGEFLAG(SavePinned, savepinned)

struct page *pfn_to_page(unsigned long pfn);
unsigned long page_to_pfn(const struct page *page);
#define virt_to_page(v)		pfn_to_page(__pa(v) >> PAGE_SHIFT)
#define page_address(page)	__va(PFN_PHYS(page_to_pfn(page)))

#define page_ptdesc(page)	(page)
#define ptlock_ptr(ptdesc)	(&(ptdesc)->ptl)

extern struct mm_struct init_mm;

#endif
