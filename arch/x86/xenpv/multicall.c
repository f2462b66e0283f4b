// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv multicall glue: Linux's multicall API on the xenpv hypercall batch.
 *
 * Why this file exists: arch/x86/xen/xen-ops.h declares the multicall API
 * that the rest of arch/x86/xen (enlighten_pv.c, the page-table hooks) uses
 * to queue hypercalls: __xen_mc_entry(), xen_mc_extend_args(),
 * xen_mc_callback(), xen_mc_flush() and the per-CPU xen_mc_irq_flags that
 * the inline xen_mc_batch()/xen_mc_issue() save and restore.  The queue
 * itself is the core's struct xenpv_batch (mm/batch.c); this file places one
 * per CPU, maps each API function onto it, and implements the batch's
 * platform hooks: which batch belongs to this CPU, the lazy mode, how a
 * multicall or a single entry is issued, and how a failure is reported.
 *
 * A failure is never silent: each failed, skipped or unexecuted record or
 * entry is logged with Xen's result, the record and the code address that
 * queued it (%pS), and counted per CPU; the counters are exported through
 * debugfs (drivers/xen/xenpv-debugfs.c).
 */

#include <linux/init.h>
#include <linux/kernel.h>
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

#include "xen-ops.h"

static DEFINE_PER_CPU(struct xenpv_batch, xenpv_mc_batch);
static DEFINE_PER_CPU(struct xenpv_mc_counts, xenpv_mc_counts);
static DEFINE_PER_CPU(struct xenpv_direct_callers, xenpv_direct_callers);

/* Saved by the inline xen_mc_batch(), restored by xen_mc_issue(). */
DEFINE_PER_CPU(unsigned long, xen_mc_irq_flags);

static DEFINE_RATELIMIT_STATE(xenpv_mc_log_rs, 5 * HZ, 20);
static DEFINE_RATELIMIT_STATE(xenpv_mc_warn_rs, 60 * HZ, 1);

static inline unsigned int op_slot(unsigned long op)
{
	return op < XENPV_MC_NR_OPS ? op : XENPV_MC_NR_OPS - 1;
}

/*
 * The per-CPU area of every CPU starts as a copy of the boot CPU's, taken
 * when the per-CPU areas are set up; by then the boot CPU may already have
 * counted early hypercalls.  Give every other CPU a clean batch and clean
 * counters before any of them runs.
 */
static int __init xenpv_mc_init_cpus(void)
{
	unsigned int self = smp_processor_id(), cpu;

	if (!xen_pv_domain())
		return 0;
	for_each_possible_cpu(cpu) {
		if (cpu == self) {
			per_cpu_ptr(&xenpv_mc_batch, cpu)->cpu = cpu;
			continue;
		}
		xenpv_batch_init(per_cpu_ptr(&xenpv_mc_batch, cpu), cpu);
		memset(per_cpu_ptr(&xenpv_mc_counts, cpu), 0,
		       sizeof(struct xenpv_mc_counts));
		memset(per_cpu_ptr(&xenpv_direct_callers, cpu), 0,
		       sizeof(struct xenpv_direct_callers));
	}
	return 0;
}
early_initcall(xenpv_mc_init_cpus);

/*
 * xen_mc_debug used to turn on caller tracking for failed multicalls; every
 * report carries the queuing caller now, so the option is accepted for
 * compatibility and changes nothing.
 */
static int __init xenpv_mc_debug_param(char *arg)
{
	pr_info("xenpv: xen_mc_debug: multicall failures always name their caller\n");
	return 0;
}
early_param("xen_mc_debug", xenpv_mc_debug_param);

/**
 * __xen_mc_entry() - room for one multicall entry and its arguments
 * @args: bytes of argument space wanted
 *
 * Flushes the batch first if it is full.  Must be called with preemption
 * disabled, normally between xen_mc_batch() and xen_mc_issue().  The code
 * address of the caller is recorded for failure reports.
 *
 * Return: the zeroed entry and its argument space.  A request larger than
 * the whole argument space is a bug in the caller and BUGs.
 */
struct multicall_space __xen_mc_entry(size_t args)
{
	struct multicall_space ret;
	struct xenpv_mc_space s;

	BUG_ON(preemptible());
	s = xenpv_batch_entry(args, _RET_IP_);
	BUG_ON(!s.mc);
	ret.mc = s.mc;
	ret.args = s.args;
	return ret;
}

/**
 * xen_mc_extend_args() - grow the arguments of the last queued entry
 * @op: hypercall the last entry must be
 * @arg_size: bytes to append
 *
 * Used to append one more mmu_update or mmuext_op record to the previous
 * entry; the caller then increments mc->args[1].  Never flushes.
 *
 * Return: the last entry and the new space, or mc == NULL if the last entry
 * is not @op or there is no room; the caller then queues a new entry.
 */
struct multicall_space xen_mc_extend_args(unsigned long op, size_t arg_size)
{
	struct multicall_space ret;
	struct xenpv_mc_space s;

	BUG_ON(preemptible());
	s = xenpv_batch_extend(op, arg_size, _RET_IP_);
	ret.mc = s.mc;
	ret.args = s.args;
	return ret;
}

/**
 * xen_mc_callback() - run @fn(@data) after the next flush of this CPU
 * @fn: the function, called with interrupts off after the hypercalls
 * @data: its argument
 *
 * Flushes first if all callback slots are taken.
 */
void xen_mc_callback(void (*fn)(void *), void *data)
{
	BUG_ON(preemptible());
	xenpv_batch_callback(fn, data);
}

/**
 * xen_mc_flush() - issue everything queued on this CPU
 *
 * One entry is issued as a direct hypercall, more as one multicall; every
 * failure is reported; then the queued callbacks run.  Interrupts are off
 * for the whole flush.  Must be called with preemption disabled.
 */
void xen_mc_flush(void)
{
	unsigned long flags;

	BUG_ON(preemptible());
	local_irq_save(flags);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	local_irq_restore(flags);
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
	struct xenpv_mc_counts *c = this_cpu_ptr(&xenpv_mc_counts);
	unsigned int i;

	for (i = 0; i < nr; i++)
		c->entries[op_slot(mc[i].op)]++;
	return HYPERVISOR_multicall(mc, nr);
}

/**
 * xenpv_count_direct() - count a hypercall issued outside the batch
 * @op: hypercall number
 * @caller: code address that asked for it
 *
 * Single stores and flushes outside lazy MMU mode go straight to Xen; they
 * are counted with the batch's direct calls (debugfs "ops") and by caller
 * (debugfs "direct"), so a workload's remaining hypercalls can be traced
 * to the code that asks for them.  Counts lost to a racing interrupt on
 * the same CPU are accepted, as for the other counters.
 */
void xenpv_count_direct(unsigned int op, unsigned long caller)
{
	struct xenpv_direct_callers *dc;
	struct xenpv_mc_counts *c;
	unsigned int i;

	preempt_disable();
	c = this_cpu_ptr(&xenpv_mc_counts);
	c->entries[op_slot(op)]++;
	c->direct[op_slot(op)]++;
	dc = this_cpu_ptr(&xenpv_direct_callers);
	for (i = 0; i < XENPV_DIRECT_CALLERS; i++) {
		if (dc->ip[i] == caller && dc->op[i] == op)
			break;
		if (!dc->ip[i]) {
			dc->ip[i] = caller;
			dc->op[i] = op;
			break;
		}
	}
	if (i < XENPV_DIRECT_CALLERS)
		dc->n[i]++;
	else
		dc->other++;
	preempt_enable();
}

void xenpv_batch_plat_single(struct multicall_entry *mc)
{
	struct xenpv_mc_counts *c = this_cpu_ptr(&xenpv_mc_counts);
	unsigned int slot = op_slot(mc->op);

	c->entries[slot]++;
	c->direct[slot]++;
	mc->result = xen_single_call(mc->op, mc->args[0], mc->args[1],
				     mc->args[2], mc->args[3], mc->args[4]);
}

static const char * const xenpv_mc_op_names[XENPV_MC_NR_OPS] = {
	[__HYPERVISOR_mmu_update] = "mmu_update",
	[__HYPERVISOR_set_gdt] = "set_gdt",
	[__HYPERVISOR_stack_switch] = "stack_switch",
	[__HYPERVISOR_fpu_taskswitch] = "fpu_taskswitch",
	[__HYPERVISOR_update_descriptor] = "update_descriptor",
	[__HYPERVISOR_memory_op] = "memory_op",
	[__HYPERVISOR_multicall] = "multicall",
	[__HYPERVISOR_update_va_mapping] = "update_va_mapping",
	[__HYPERVISOR_grant_table_op] = "grant_table_op",
	[__HYPERVISOR_vm_assist] = "vm_assist",
	[__HYPERVISOR_update_va_mapping_otherdomain] = "update_va_mapping_otherdomain",
	[__HYPERVISOR_mmuext_op] = "mmuext_op",
	[__HYPERVISOR_set_segment_base] = "set_segment_base",
};

/**
 * xenpv_mc_op_name() - printable name of a hypercall number
 * @op: the hypercall number
 *
 * Return: the name of the hypercalls the backend queues, else "other".
 */
const char *xenpv_mc_op_name(unsigned long op)
{
	if (op < XENPV_MC_NR_OPS && xenpv_mc_op_names[op])
		return xenpv_mc_op_names[op];
	return "other";
}

static const char * const xenpv_mc_err_names[XENPV_MC_NR_ERR_KINDS] = {
	[XENPV_ERR_FAILED] = "failed",
	[XENPV_ERR_SKIPPED] = "skipped after an earlier failure",
	[XENPV_ERR_NOT_RUN] = "not run",
	[XENPV_ERR_MULTICALL] = "multicall failed",
};

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
	struct xenpv_mc_counts *c = this_cpu_ptr(&xenpv_mc_counts);
	unsigned int kind = err->kind;

	if (kind < XENPV_MC_NR_ERR_KINDS)
		c->reports[kind]++;
	else
		kind = XENPV_ERR_FAILED;

	if (__ratelimit(&xenpv_mc_log_rs)) {
		pr_err("xenpv: cpu %u: %s %s (op %lu) result %ld, record %u of %u, queued by %pS\n",
		       smp_processor_id(), xenpv_mc_op_name(err->op),
		       xenpv_mc_err_names[kind], err->op, err->result,
		       err->index, err->count, (void *)err->caller);
		pr_err("xenpv:   args %#lx %#lx %#lx %#lx %#lx %#lx\n",
		       err->args[0], err->args[1], err->args[2], err->args[3],
		       err->args[4], err->args[5]);
		print_record(err);
	}
	WARN(__ratelimit(&xenpv_mc_warn_rs),
	     "xenpv: hypercall batch failure (see above; counted in debugfs xenpv/batch)\n");
}

/**
 * xenpv_mc_read_counters() - copy one CPU's batch and glue counters
 * @cpu: a possible CPU
 * @stats: receives the core's counters of that CPU's batch
 * @counts: receives the glue's per-op and per-failure-kind counters
 *
 * The values are read without stopping the CPU, so they may be a few
 * operations apart from each other; each value is read whole.
 */
void xenpv_mc_read_counters(unsigned int cpu, struct xenpv_batch_stats *stats,
			    struct xenpv_mc_counts *counts)
{
	xenpv_batch_get_stats(per_cpu_ptr(&xenpv_mc_batch, cpu), stats);
	*counts = *per_cpu_ptr(&xenpv_mc_counts, cpu);
}

/**
 * xenpv_mc_read_callers() - copy one CPU's table of direct-call callers
 * @cpu: a possible CPU
 * @dc: receives the table (see struct xenpv_direct_callers)
 *
 * Read without stopping the CPU, like xenpv_mc_read_counters().
 */
void xenpv_mc_read_callers(unsigned int cpu, struct xenpv_direct_callers *dc)
{
	*dc = *per_cpu_ptr(&xenpv_direct_callers, cpu);
}
