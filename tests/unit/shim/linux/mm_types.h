/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/mm_types.h>: the members of struct page,
 * struct mm_struct and struct vm_area_struct that arch/x86/xenpv uses.
 * struct page doubles as the page-table descriptor (struct ptdesc) and
 * carries its split PTE lock.
 */
#ifndef _SHIM_LINUX_MM_TYPES_H
#define _SHIM_LINUX_MM_TYPES_H

#include <linux/types.h>
#include <linux/spinlock.h>
#include <linux/list.h>
#include <linux/cpumask.h>
#include <asm/pgtable.h>

struct flush_tlb_info;

struct page {
	unsigned long flags;
	unsigned long private;
	struct list_head lru;
	spinlock_t ptl;
};

struct mm_struct {
	pgd_t *pgd;
	spinlock_t page_table_lock;
	struct cpumask cpu_bitmap;
};

struct vm_area_struct {
	struct mm_struct *vm_mm;
};

#define mm_cpumask(mm)	(&(mm)->cpu_bitmap)

#endif
