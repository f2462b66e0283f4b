/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenpv p2m: the pfn -> mfn list of a Xen PV guest.
 *
 * The list's layout is ABI: inline code in asm/xen/page.h, compiled into
 * dozens of objects, reads xen_p2m_addr[pfn] directly for every
 * pfn < xen_p2m_size.  This header adds the xenpv-specific controls around
 * the Linux-named functions (get_phys_to_machine() and friends, declared in
 * asm/xen/page.h): the boot-time phases, the toolstack's frame-list-list
 * and the debugfs view.  See mm/README for the design.  Functions only the
 * unit tests need are in tests/unit/p2m_harness.h.
 */
#ifndef _XEN_XENPV_P2M_H
#define _XEN_XENPV_P2M_H

#include <linux/types.h>
#include <asm/page.h>

/* Entries per p2m leaf page (512 on x86-64). */
#define XENPV_P2M_PER_LEAF	(PAGE_SIZE / sizeof(unsigned long))
/* Leaves per mid: the span of one frame-list mid page and of one PMD. */
#define XENPV_P2M_LEAVES_PER_MID	(PAGE_SIZE / sizeof(unsigned long))
#define XENPV_P2M_PER_MID	(XENPV_P2M_PER_LEAF * XENPV_P2M_LEAVES_PER_MID)
/* Mids described by the one top page of the frame-list-list. */
#define XENPV_P2M_TOP_MIDS	(PAGE_SIZE / sizeof(unsigned long))
/* pfns the 3-level frame-list-list can describe (512 GiB of guest). */
#define XENPV_P2M_FRAME_LIST_PFNS	(XENPV_P2M_PER_MID * XENPV_P2M_TOP_MIDS)

/**
 * enum xenpv_p2m_phase - which representation backs xen_p2m_addr
 * @XENPV_P2M_NONE: nothing set up yet
 * @XENPV_P2M_FLAT: the domain builder's flat array, written in place
 * @XENPV_P2M_FINAL: the sparse list in its own virtual area
 */
enum xenpv_p2m_phase {
	XENPV_P2M_NONE,
	XENPV_P2M_FLAT,
	XENPV_P2M_FINAL,
};

/**
 * struct xenpv_p2m_tools - what the toolstack must be told about the p2m
 * @frame_list_list: mfn of the top page of the frame-list-list, or
 *                   INVALID_P2M_ENTRY if there is none (flat phase)
 * @max_pfn: highest pfn the p2m describes, plus one (honest: not the size
 *           of the virtual area)
 * @p2m_vaddr: virtual address of the list (for SIF_VIRT_P2M_4TOOLS)
 */
struct xenpv_p2m_tools {
	unsigned long frame_list_list;
	unsigned long max_pfn;
	unsigned long p2m_vaddr;
};

/**
 * struct xenpv_p2m_stats - counters for debugfs
 * @private_leaves: leaf pages allocated (at build and on demand)
 * @split_mids: mids whose leaves are individually mapped
 * @alloc_failures: allocations that failed (reported as -ENOMEM/false)
 * @map_failures: platform map hooks that failed
 * @lost_races: pages freed because another CPU installed first
 */
struct xenpv_p2m_stats {
	unsigned long private_leaves;
	unsigned long split_mids;
	unsigned long alloc_failures;
	unsigned long map_failures;
	unsigned long lost_races;
};

void xenpv_p2m_init_flat(unsigned long *list, unsigned long nr_pages);
int xenpv_p2m_build(unsigned long limit_pfns);
enum xenpv_p2m_phase xenpv_p2m_phase(void);
bool xenpv_p2m_leaf_is_private(unsigned long pfn);

unsigned long xenpv_p2m_max_pfn(void);
unsigned long xenpv_p2m_generation(void);
unsigned long xenpv_p2m_frame_list_refresh(void);
void xenpv_p2m_tools_info(struct xenpv_p2m_tools *info);
void xenpv_p2m_get_stats(struct xenpv_p2m_stats *stats);

#endif /* _XEN_XENPV_P2M_H */
