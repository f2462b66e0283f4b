/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/pgtable.h>.  ptep_clear_flush() and
 * set_pte_at() are provided by the hooks harness, which routes them to the
 * backend's hooks as the pv-ops would.
 */
#ifndef _SHIM_LINUX_PGTABLE_H
#define _SHIM_LINUX_PGTABLE_H

#include <asm/pgtable.h>

struct mm_struct;
struct vm_area_struct;

pte_t ptep_clear_flush(struct vm_area_struct *vma, unsigned long addr,
		       pte_t *ptep);
void set_pte_at(struct mm_struct *mm, unsigned long addr, pte_t *ptep,
		pte_t pte);

#endif
