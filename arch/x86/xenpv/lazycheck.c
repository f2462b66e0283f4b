// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv lazy MMU checker (CONFIG_XEN_PV_MMU_XENPV_LAZY_CHECK, debug kernels).
 *
 * Inside a lazy MMU section the backend queues the stores to pinned page
 * tables and issues them when the section ends or the batch fills; until
 * then the entry in memory holds its old value.  Generic code that writes
 * an entry and reads it back within one section acts on that old value, in
 * a Xen PV guest only.  With the option, x86's ptep_get() comes here: a
 * read of an entry whose store is still queued on this CPU warns once,
 * naming the reader and the code that queued the store.  Each such read
 * walks the queued records, so the option is for debug kernels.
 */

#include <linux/bug.h>
#include <linux/export.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/preempt.h>
#include <asm/xen/hypervisor.h>
#include <asm/xen/page.h>
#include <xen/xen.h>

#include <xen/xenpv/batch.h>

/**
 * xenpv_ptep_get_checked() - ptep_get() that looks for a queued store
 * @ptep: the entry
 *
 * Context: any; the batch is looked at only with preemption disabled.
 * Return: the entry as it is in memory, as ptep_get() returns it.
 */
pte_t xenpv_ptep_get_checked(pte_t *ptep)
{
	pte_t pte = READ_ONCE(*ptep);
	unsigned long queued_by;

	/* A lazy MMU section keeps its CPU (the page-table lock is held). */
	if (!xen_pv_domain() || preemptible() ||
	    xen_get_lazy_mode() != XEN_LAZY_MMU || !virt_addr_valid(ptep))
		return pte;
	queued_by = xenpv_batch_queued_update(virt_to_machine(ptep).maddr);
	WARN_ONCE(queued_by,
		  "xenpv: %pS read a page-table entry whose update, queued by %pS, is not issued yet\n",
		  (void *)_RET_IP_, (void *)queued_by);
	return pte;
}
EXPORT_SYMBOL(xenpv_ptep_get_checked);
