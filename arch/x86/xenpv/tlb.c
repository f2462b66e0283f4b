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
#include "queue.h"

static void xpv_queue_tlb_op(unsigned int cmd, unsigned long va,
			     unsigned long caller)
{
	unsigned long flags;

	preempt_disable();
	flags = xpvq_begin();
	xpvq_mmuext(cmd, va, caller);
	xpvq_end(flags, XEN_LAZY_MMU);
	preempt_enable();
}

/**
 * xpv_flush_tlb() - flush this vCPU's TLB (user and kernel hooks)
 */
void xpv_flush_tlb(void)
{
	xpv_queue_tlb_op(MMUEXT_TLB_FLUSH_LOCAL, 0, _RET_IP_);
}

/**
 * xpv_flush_tlb_one_user() - flush one page from this vCPU's TLB
 * @addr: the address
 */
void xpv_flush_tlb_one_user(unsigned long addr)
{
	addr &= PAGE_MASK;
	/* Done already by the clear just before (pte.c)? */
	if (addr && this_cpu_read(xpv_fused_invlpg) == addr) {
		xpv_forget_fused_invlpg();
		return;
	}
	xpv_queue_tlb_op(MMUEXT_INVLPG_LOCAL, addr, _RET_IP_);
}

/**
 * xpv_flush_tlb_all() - flush every vCPU's TLB of this domain
 */
void xpv_flush_tlb_all(void)
{
	xpv_queue_tlb_op(MMUEXT_TLB_FLUSH_ALL, 0, _RET_IP_);
}

/**
 * xpv_flush_tlb_multi() - flush the TLBs of a set of CPUs without IPIs
 * @cpus: CPUs to flush (offline ones are ignored)
 * @info: range to flush; a single page becomes an INVLPG
 */
void xpv_flush_tlb_multi(const struct cpumask *cpus,
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
	flags = xpvq_begin();
	xpvq_mmuext_multi(cmd, va, cpus, _RET_IP_);
	xpvq_end(flags, XEN_LAZY_MMU);
	preempt_enable();
}
