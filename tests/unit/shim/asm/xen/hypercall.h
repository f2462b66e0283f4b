/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <asm/xen/hypercall.h>: the hypercalls
 * arch/x86/xenpv issues itself, with Linux's prototypes.  The hooks harness
 * hands them to the model of Xen (model.c).
 */
#ifndef _SHIM_ASM_XEN_HYPERCALL_H
#define _SHIM_ASM_XEN_HYPERCALL_H

#include <xen/interface/xen.h>
#include <asm/pgtable.h>

int HYPERVISOR_mmu_update(struct mmu_update *req, int count,
			  int *success_count, domid_t domid);
int HYPERVISOR_mmuext_op(struct mmuext_op *op, int count,
			 int *success_count, domid_t domid);
int HYPERVISOR_update_va_mapping(unsigned long va, pte_t new_val,
				 unsigned long flags);

#endif
