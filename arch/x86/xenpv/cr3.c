// SPDX-License-Identifier: GPL-2.0
/*
 * Address-space switches: the read_cr3/write_cr3 hooks.
 *
 * Why this file exists: a PV guest cannot load cr3; it asks Xen for a new
 * kernel base pointer (MMUEXT_NEW_BASEPTR) and, on 64-bit, a separate one
 * for user mode (MMUEXT_NEW_USER_BASEPTR, the companion top-level table of
 * pte.c).  Both are queued, so a context switch (lazy CPU mode) sends them
 * with the rest of its batch.  Two values per CPU follow from that:
 *
 *  - xen_cr3, the cr3 Linux asked for (what read_cr3 returns), changes
 *    when the switch is queued;
 *  - xen_current_cr3, the cr3 Xen really has loaded, changes only in a
 *    post-flush callback, after the batch carrying the switch has run.
 *    Teardown (pin.c) uses it to know which CPUs may still run on a table.
 */
#include <linux/bug.h>
#include <linux/mm.h>
#include <linux/panic.h>
#include <linux/percpu.h>
#include <linux/preempt.h>

#include <asm/xen/hypervisor.h>
#include <asm/xen/page.h>
#include <xen/interface/xen.h>

#include "xenpv.h"

DEFINE_PER_CPU(unsigned long, xen_cr3);
DEFINE_PER_CPU(unsigned long, xen_current_cr3);

/**
 * xenpv_read_cr3() - read_cr3 hook
 *
 * Return: the pseudo-physical cr3 this CPU last asked for.
 */
unsigned long xenpv_read_cr3(void)
{
	return this_cpu_read(xen_cr3);
}

static void xenpv_cr3_issued(void *cr3)
{
	this_cpu_write(xen_current_cr3, (unsigned long)cr3);
}

/*
 * Queue the kernel base pointer switch; xen_cr3 changes immediately.  A
 * table without a machine frame cannot be loaded, and going on would run
 * the next task on the previous address space: that panics.
 */
static void xenpv_queue_kernel_cr3(unsigned long cr3, unsigned long caller)
{
	unsigned long mfn = pfn_to_mfn(PFN_DOWN(cr3));

	if (!cr3 || mfn == INVALID_P2M_ENTRY)
		panic("xenpv: cr3 %#lx (from %pS) has no machine frame\n",
		      cr3, (void *)caller);
	this_cpu_write(xen_cr3, cr3);
	xenpv_forget_fused_invlpg();
	xenpv_batch_mmuext(MMUEXT_NEW_BASEPTR, mfn, caller);
	xenpv_batch_callback(xenpv_cr3_issued, (void *)cr3);
}

/**
 * xenpv_write_cr3_kernel_only() - switch the kernel top-level table alone
 * @cr3: pseudo-physical address of the new kernel pgd
 *
 * Boot-time variant: no user table exists yet.  Must not be preemptible;
 * a preemptible caller is warned about, and the switch is still done
 * consistently on the CPU it runs on.
 */
void xenpv_write_cr3_kernel_only(unsigned long cr3)
{
	unsigned long flags;

	WARN_ON_ONCE(preemptible());
	flags = xenpv_batch_begin();
	xenpv_queue_kernel_cr3(cr3, _RET_IP_);
	xenpv_batch_end(flags, XEN_LAZY_CPU);
}

/**
 * xenpv_write_cr3() - runtime write_cr3 hook
 * @cr3: pseudo-physical address of the new kernel pgd
 *
 * Loads the kernel table and its user companion (0 when there is none).
 * Inside a context switch (lazy CPU mode) the switch leaves with the rest
 * of the switch's batch.  Must not be preemptible; a preemptible caller
 * is warned about, and the switch is still done consistently on the CPU
 * it runs on.
 */
void xenpv_write_cr3(unsigned long cr3)
{
	pgd_t *user = xenpv_user_pgd(__va(cr3));
	unsigned long flags, user_mfn = 0;

	WARN_ON_ONCE(preemptible());
	if (user)
		user_mfn = virt_to_mfn(user);

	flags = xenpv_batch_begin();
	xenpv_queue_kernel_cr3(cr3, _RET_IP_);
	xenpv_batch_mmuext(MMUEXT_NEW_USER_BASEPTR, user_mfn, _RET_IP_);
	xenpv_batch_end(flags, XEN_LAZY_CPU);
}
