/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenpv: the copy-on-write hook of mm/memory.c.
 *
 * Why this file exists: wp_page_copy() switches a COW entry to the new
 * page by clearing it, flushing the TLB and setting it, and on a Xen PV
 * guest the clear and the set are a hypercall each.  With
 * CONFIG_XEN_PV_MMU_XENPV, patch 0003 hands the three steps to the backend
 * through this one declaration, so mm/memory.c needs no other Xen header.
 */
#ifndef _XEN_XENPV_COW_H
#define _XEN_XENPV_COW_H

#include <linux/mm_types.h>
#include <linux/pgtable.h>

void xenpv_cow_replace(struct vm_area_struct *vma, unsigned long addr,
		       pte_t *ptep, pte_t pte);

#endif /* _XEN_XENPV_COW_H */
