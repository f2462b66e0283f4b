// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv multicall glue: Linux's multicall API on the xenpv hypercall batch.
 *
 * Why this file exists: the hypercall queue is the core's struct
 * xenpv_batch (mm/batch.c).  This file places one per CPU and implements
 * the batch's platform hooks: which batch belongs to this CPU, the lazy
 * mode, how a multicall or a single entry is issued, and how a failure is
 * reported.  The backend's own hooks queue into it with the core's typed
 * functions; the rest of arch/x86/xen (enlighten_pv.c and friends) uses
 * the multicall API of arch/x86/xen/xen-ops.h, which maps here one to one
 * onto the same batch: __xen_mc_entry(), xen_mc_flush() and the per-CPU
 * xen_mc_irq_flags that the inline xen_mc_batch()/xen_mc_issue() save and
 * restore.  (xen_mc_extend_args() and xen_mc_callback() are declared there
 * too but only the stock mmu_pv.c uses them.)
 *
 * A failure is never silent: each failed, skipped or unexecuted record or
 * entry is logged once with Xen's result, the record and the code address
 * that queued it (%pS), and counted in the batch's statistics (debugfs
 * xenpv/batch).
 */

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/panic.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/irqflags.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <linux/string.h>
#include <linux/bug.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>
#include <xen/xen.h>
#include <xen/interface/xen.h>

#include <xen/xenpv/batch.h>
#include <xen/xenpv/platform.h>
#include <xen/xenpv/kglue.h>

#include "xenpv.h"

static DEFINE_PER_CPU(struct xenpv_batch, xenpv_mc_batch);

/* Saved by the inline xen_mc_batch(), restored by xen_mc_issue(). */
DEFINE_PER_CPU(unsigned long, xen_mc_irq_flags);

static DEFINE_RATELIMIT_STATE(xenpv_mc_log_rs, 5 * HZ, 20);

/*
 * The boot CPU may have used its batch before the per-CPU areas were set
 * up; every other CPU's area was copied from that template.  Give them
 * clean batches before any of them runs.
 */
static int __init xenpv_mc_init_cpus(void)
{
	unsigned int self = smp_processor_id(), cpu;

	if (!xen_pv_domain())
		return 0;
	for_each_possible_cpu(cpu)
		if (cpu != self)
			xenpv_batch_init(per_cpu_ptr(&xenpv_mc_batch, cpu), cpu);
	per_cpu_ptr(&xenpv_mc_batch, self)->cpu = self;
	return 0;
}
early_initcall(xenpv_mc_init_cpus);

/**
 * __xen_mc_entry() - room for one multicall entry and its arguments
 * @args: bytes of argument space wanted
 *
 * Flushes the batch first if it is full.  Must be called with preemption
 * disabled, normally between xen_mc_batch() and xen_mc_issue(); a
 * preemptible caller is warned about.  The code address of the caller is
 * recorded for failure reports.
 *
 * Return: the zeroed entry and its argument space.  A request larger than
 * the whole argument space is a bug in the caller; as the callers cannot
 * be handed an error, it panics.
 */
struct multicall_space __xen_mc_entry(size_t args)
{
	struct multicall_space ret;
	struct xenpv_mc_space s;

	WARN_ON_ONCE(preemptible());
	s = xenpv_batch_entry(args, _RET_IP_);
	if (!s.mc)
		panic("xenpv: %pS asked for a multicall entry with %zu bytes of arguments\n",
		      (void *)_RET_IP_, args);
	ret.mc = s.mc;
	ret.args = s.args;
	return ret;
}

/**
 * xenpv_mc_flush() - issue everything queued on this CPU
 * @why: the reason counted in the batch's statistics
 *
 * One entry is issued as a direct hypercall, more as one multicall; every
 * failure is reported; then the queued callbacks run.  Interrupts are off
 * for the whole flush; a flush with nothing queued returns at once.  Must
 * be called with preemption disabled.
 */
void xenpv_mc_flush(enum xenpv_flush_reason why)
{
	unsigned long flags;

	/*
	 * Nothing queued: an interrupt that arrives now issues what it
	 * queues before it returns (no lazy mode holds in interrupt
	 * context), so there is nothing to wait for and nothing to block
	 * interrupts against.  Every context switch that loads neither TLS
	 * nor cr3 ends with such a flush (xen_end_context_switch()).
	 */
	if (xenpv_batch_idle(this_cpu_ptr(&xenpv_mc_batch))) {
		this_cpu_inc(xenpv_mc_batch.stats.n[why]);
		this_cpu_inc(xenpv_mc_batch.stats.n[XENPV_STAT_EMPTY_FLUSHES]);
		return;
	}
	local_irq_save(flags);
	xenpv_batch_flush(why);
	local_irq_restore(flags);
}

/**
 * xen_mc_flush() - Linux's explicit flush: xenpv_mc_flush(EXPLICIT)
 *
 * Must be called with preemption disabled.  A preemptible caller is warned
 * about; the flush itself is still whole, on the CPU it runs on.
 */
void xen_mc_flush(void)
{
	WARN_ON_ONCE(preemptible());
	xenpv_mc_flush(XENPV_FLUSH_EXPLICIT);
}

/* ---- batch platform hooks ---------------------------------------------- */

struct xenpv_batch *xenpv_batch_plat_this_cpu(void)
{
	return this_cpu_ptr(&xenpv_mc_batch);
}

unsigned int xenpv_batch_plat_lazy_mode(void)
{
	return xen_get_lazy_mode();
}

long xenpv_batch_plat_multicall(struct multicall_entry *mc, unsigned int nr)
{
	return HYPERVISOR_multicall(mc, nr);
}

void xenpv_batch_plat_single(struct multicall_entry *mc)
{
	mc->result = xen_single_call(mc->op, mc->args[0], mc->args[1],
				     mc->args[2], mc->args[3], mc->args[4]);
}

static void print_record(const struct xenpv_batch_error *err)
{
	if (!err->record)
		return;
	if (err->op == __HYPERVISOR_mmu_update) {
		const struct mmu_update *u = err->record;

		pr_err("xenpv:   mmu_update ptr=%#llx val=%#llx\n",
		       (unsigned long long)u->ptr, (unsigned long long)u->val);
	} else if (err->op == __HYPERVISOR_mmuext_op) {
		const struct mmuext_op *x = err->record;

		pr_err("xenpv:   mmuext_op cmd=%u arg1=%#lx arg2=%#lx\n", x->cmd,
		       (unsigned long)x->arg1.mfn, (unsigned long)x->arg2.src_mfn);
	}
}

void xenpv_batch_plat_report(const struct xenpv_batch_error *err)
{
	if (__ratelimit(&xenpv_mc_log_rs)) {
		pr_err("xenpv: cpu %u: %s %s (op %lu) result %ld, record %u of %u%s, queued by %pS\n",
		       err->cpu, xenpv_op_name(err->op),
		       xenpv_batch_err_names[err->kind], err->op, err->result,
		       err->index, err->count,
		       err->span > 1 ? " and all after it" : "",
		       (void *)err->caller);
		pr_err("xenpv:   args %#lx %#lx %#lx %#lx %#lx %#lx\n",
		       err->args[0], err->args[1], err->args[2], err->args[3],
		       err->args[4], err->args[5]);
		print_record(err);
	}
}

/**
 * xenpv_mc_read_stats() - copy one CPU's batch counters
 * @cpu: a possible CPU
 * @stats: receives them
 *
 * Read without stopping the CPU: values may be a few operations apart
 * from each other; each value is read whole.
 */
void xenpv_mc_read_stats(unsigned int cpu, struct xenpv_batch_stats *stats)
{
	*stats = per_cpu_ptr(&xenpv_mc_batch, cpu)->stats;
}
