/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <asm/paravirt.h>: no register-saving thunks, the
 * harness's pv-ops table (shim_pv_mmu, asm/pgtable.h) calls the C hooks.
 */
#ifndef _SHIM_ASM_PARAVIRT_H
#define _SHIM_ASM_PARAVIRT_H
#define PV_CALLEE_SAVE_REGS_THUNK(func) \
	extern __typeof__(func) __raw_callee_save_##func

struct vm_area_struct;

/* The native default of the COW switch: clear, flush, set. */
void pv_native_ptep_clear_flush_and_set(struct vm_area_struct *vma,
					unsigned long addr, pte_t *ptep,
					pte_t pte);
#endif
