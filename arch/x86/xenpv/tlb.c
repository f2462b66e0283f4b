// SPDX-License-Identifier: GPL-2.0
/*
 * TLB flush hooks.
 *
 * Why this file exists: a PV guest cannot execute invlpg or reload cr3
 * itself, and it need not send IPIs to flush other vCPUs: Xen flushes any
 * set of vCPUs on request (MMUEXT_TLB_FLUSH_MULTI / MMUEXT_INVLPG_MULTI).
 * Flushes are queued like page-table updates, so in lazy MMU mode a run
 * of updates and its flush leave in one hypercall.  Because remote
 * flushes involve no IPIs, page-table pages are freed only after an RCU
 * grace period (tlb_remove_table, installed in hooks.c).
 */
#include <linux/mm.h>
#include <linux/cpumask.h>

#include <asm/tlbflush.h>
#include <asm/xen/hypervisor.h>
#include <xen/interface/xen.h>

#include "xenpv.h"

DEFINE_PER_CPU(unsigned long, xenpv_fused_invlpg);

static void xenpv_queue_tlb_op(unsigned int cmd, unsigned long va,
			       unsigned long caller)
{
	unsigned long flags;

	preempt_disable();
	flags = xenpv_batch_begin();
	xenpv_batch_mmuext(cmd, va, caller);
	xenpv_batch_end(flags, XEN_LAZY_MMU);
	preempt_enable();
}

/**
 * xenpv_flush_tlb() - flush this vCPU's TLB (user and kernel hooks)
 */
void xenpv_flush_tlb(void)
{
	xenpv_queue_tlb_op(MMUEXT_TLB_FLUSH_LOCAL, 0, _RET_IP_);
}

/**
 * xenpv_flush_tlb_one_user() - flush one page from this vCPU's TLB
 * @addr: the address
 */
void xenpv_flush_tlb_one_user(unsigned long addr)
{
	addr &= PAGE_MASK;
	/* Done already by the clear just before (pte.c)? */
	if (addr && this_cpu_read(xenpv_fused_invlpg) == addr) {
		xenpv_forget_fused_invlpg();
		return;
	}
	xenpv_queue_tlb_op(MMUEXT_INVLPG_LOCAL, addr, _RET_IP_);
}

/**
 * xenpv_flush_tlb_all() - flush every vCPU's TLB of this domain
 */
void xenpv_flush_tlb_all(void)
{
	xenpv_queue_tlb_op(MMUEXT_TLB_FLUSH_ALL, 0, _RET_IP_);
}

/**
 * xenpv_flush_tlb_multi() - flush the TLBs of a set of CPUs without IPIs
 * @cpus: CPUs to flush (Linux CPU number == vCPU id)
 * @info: range to flush; a single page becomes an INVLPG
 *
 * Xen skips vCPUs that are down or have never run, so offline CPUs in
 * @cpus cost nothing and need not be masked out.
 */
void xenpv_flush_tlb_multi(const struct cpumask *cpus,
			   const struct flush_tlb_info *info)
{
	unsigned int cmd = MMUEXT_TLB_FLUSH_MULTI;
	unsigned long va = 0, flags;

	if (cpumask_empty(cpus))
		return;
	if (info->end != TLB_FLUSH_ALL && info->end - info->start <= PAGE_SIZE) {
		cmd = MMUEXT_INVLPG_MULTI;
		va = info->start;
	}

	preempt_disable();
	flags = xenpv_batch_begin();
	xenpv_batch_mmuext_cpus(cmd, va, cpumask_bits(cpus), nr_cpu_ids,
				_RET_IP_);
	xenpv_batch_end(flags, XEN_LAZY_MMU);
	preempt_enable();
}
