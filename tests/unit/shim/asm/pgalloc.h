/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <asm/pgalloc.h>, with the list of top-level tables
 * Linux declares in <asm/pgtable.h>.
 */
#ifndef _SHIM_ASM_PGALLOC_H
#define _SHIM_ASM_PGALLOC_H

#include <linux/spinlock.h>
#include <linux/list.h>

extern spinlock_t pgd_lock;
extern struct list_head pgd_list;

#endif
