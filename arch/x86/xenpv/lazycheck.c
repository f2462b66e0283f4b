// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv lazy MMU checker (CONFIG_XEN_PV_MMU_XENPV_LAZY_CHECK, debug kernels).
 *
 * Why this file exists: inside a lazy MMU section the backend queues the
 * updates of pinned page tables and issues them when the section ends or
 * the batch fills, so until then the entry in memory still holds its old
 * value.  Generic code that writes an entry and reads it back inside the
 * same section would act on that old value, on Xen PV only.  With the
 * option, x86's ptep_get() comes here: a read of an entry whose update is
 * still queued on this CPU warns once, naming the reader and the code that
 * queued the update.  Only mmu_update records are matched (the backend
 * queues page-table stores as those); every lookup walks the queued
 * records, so this is for debug kernels only.
 */

#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/export.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/preempt.h>
#include <asm/xen/page.h>
#include <asm/xen/hypervisor.h>
#include <xen/xen.h>

#include <xen/xenpv/batch.h>

#include "xenpv.h"

/**
 * xenpv_ptep_get_checked() - ptep_get() that checks for a queued update
 * @ptep: the entry
 *
 * Return: the entry as it is in memory, as ptep_get() returns it.
 */
pte_t xenpv_ptep_get_checked(pte_t *ptep)
{
	pte_t pte = READ_ONCE(*ptep);
	unsigned long queued_by;

	/* Lazy MMU sections run with preemption disabled. */
	if (!xen_pv_domain() || preemptible() ||
	    xen_get_lazy_mode() != XEN_LAZY_MMU || !virt_addr_valid(ptep))
		return pte;
	queued_by = xenpv_batch_queued_update(virt_to_machine(ptep).maddr);
	WARN_ONCE(queued_by,
		  "xenpv: %pS read a page-table entry whose update %pS queued is not issued yet\n",
		  (void *)_RET_IP_, (void *)queued_by);
	return pte;
}
EXPORT_SYMBOL(xenpv_ptep_get_checked);
