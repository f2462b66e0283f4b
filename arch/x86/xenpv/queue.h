/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypercall queue as seen by the xenpv hook layer.
 *
 * Why this header exists: every page-table hook that cannot use a plain
 * store ends up queuing an mmu_update, an mmuext_op or an
 * update_va_mapping, and those queued operations are flushed as one
 * multicall (at the end of lazy MMU mode, at the end of a context switch,
 * or at once outside lazy mode).  The hooks only ever talk to the queue
 * through the few functions below, so the backing implementation can be
 * swapped (today: Linux's multicall buffer from arch/x86/xen/xen-ops.h;
 * later: the xenpv batch queue in mm/) by changing queue.c alone.
 *
 * Rules for callers:
 *  - queue operations are only legal between xpvq_begin() and xpvq_end()
 *    (interrupts are off in between, so an interrupt cannot flush a half
 *    built entry);
 *  - sections may nest: each xpvq_begin() returns the flags its matching
 *    xpvq_end() restores;
 *  - @caller is the code address reported if Xen refuses the operation;
 *    hooks pass _RET_IP_ so the report names the generic mm code that
 *    asked for the update.
 */
#ifndef _ARCH_X86_XENPV_QUEUE_H
#define _ARCH_X86_XENPV_QUEUE_H

#include <linux/types.h>
#include <linux/irqflags.h>
#include <linux/cpumask.h>
#include <linux/percpu.h>
#include <asm/pgtable_types.h>
#include <asm/xen/hypervisor.h>

/**
 * xpvq_begin() - open a queuing section
 *
 * Disables interrupts.  Return: the flags to hand to xpvq_end().
 */
static inline unsigned long xpvq_begin(void)
{
	unsigned long flags;

	local_irq_save(flags);
	return flags;
}

void xpvq_flush(void);

/**
 * xpvq_end() - close a queuing section
 * @flags: value returned by the matching xpvq_begin()
 * @lazy: lazy modes (XEN_LAZY_MMU, XEN_LAZY_CPU, or 0) in which the
 *        queue may stay pending; outside them the queue is flushed now
 */
static inline void xpvq_end(unsigned long flags, unsigned int lazy)
{
	if (!(xen_get_lazy_mode() & lazy))
		xpvq_flush();
	local_irq_restore(flags);
}

void xpvq_mmu_update(u64 ptr, u64 val, unsigned long caller);
void xpvq_mmuext(unsigned int cmd, unsigned long arg1, unsigned long caller);
void xpvq_mmuext_multi(unsigned int cmd, unsigned long va,
		       const struct cpumask *cpus, unsigned long caller);
void xpvq_update_va(unsigned long va, pte_t val, unsigned long flags,
		    unsigned long caller);
void xpvq_callback(void (*fn)(void *data), void *data);

void xpvq_report_direct(const char *what, long rc, u64 a, u64 b,
			unsigned long caller);
unsigned long xpvq_failures(void);

/*
 * pte.c: the user address whose clear already flushed this vCPU's TLB
 * entry (see xpv_ptep_get_and_clear()); 0 when there is none.
 */
DECLARE_PER_CPU(unsigned long, xpv_fused_invlpg);
static inline void xpv_forget_fused_invlpg(void)
{
	this_cpu_write(xpv_fused_invlpg, 0);
}

#endif /* _ARCH_X86_XENPV_QUEUE_H */
