/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <asm/tlbflush.h>: what arch/x86/xenpv uses. */
#ifndef _SHIM_ASM_TLBFLUSH_H
#define _SHIM_ASM_TLBFLUSH_H

#include <linux/percpu.h>

struct mm_struct;
struct flush_tlb_info;

struct tlb_state {
	struct mm_struct *loaded_mm;
};
DECLARE_PER_CPU(struct tlb_state, cpu_tlbstate);

void leave_mm(void);

#endif
