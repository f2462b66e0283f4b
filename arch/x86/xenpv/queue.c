// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv hypercall queue, backed by Linux's per-CPU multicall buffer.
 *
 * Why this file exists: the hook layer (queue.h) needs "queue one
 * page-table operation, remember who asked, report it by name if Xen
 * refuses it".  The stock multicall buffer (arch/x86/xen/multicalls.c)
 * queues and flushes, but on failure it only prints the raw entry.  This
 * file adds the missing half without touching the stock code:
 *
 *  - consecutive mmu_update and mmuext_op records are packed into one
 *    multicall entry (xen_mc_extend_args), each entry carrying a Xen
 *    "success count" slot so the failing record can be pinned down;
 *  - every record's caller is kept in a per-CPU side table;
 *  - a post-flush callback (armed once per batch) reads each tracked
 *    entry's result and reports failures with the op, the record and the
 *    caller.
 *
 * Invariant: while this CPU's side table holds entries, the checker
 * callback is registered in the current multicall batch, so whichever
 * flush issues the entries also runs the check and empties the table.
 *
 * When mm/ provides the xenpv batch queue, this file becomes a thin
 * wrapper around it and nothing else in arch/x86/xenpv changes.
 */
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/bug.h>
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/string.h>

#include <asm/xen/hypercall.h>
#include <xen/interface/xen.h>

#include "xen-ops.h"
#include "queue.h"

/*
 * Records tracked per CPU between flushes: a full L1 page of mmu_updates
 * (512, what one lazy MMU section over a page table can queue) plus room
 * for the mmuext ops around it, as the core batch (XENPV_BATCH_RECORDS).
 * When this was 128, fork's write-protect and munmap went to Xen in
 * batches of 128 instead of 512.
 */
#define XPVQ_MAX_ENTRIES	64
#define XPVQ_MAX_RECORDS	(512 + 128)

/* One multicall entry this CPU has queued records into. */
struct xpvq_tracked {
	struct multicall_entry *mc;
	unsigned long op;
	unsigned int first_caller;	/* index in xpvq_cpu.caller[] */
	unsigned int base;		/* records already in the entry */
	unsigned int nr;		/* records we added */
	int done;			/* Xen's success count */
	bool counted;			/* @done was passed to Xen */
};

struct xpvq_cpu {
	struct xpvq_tracked ent[XPVQ_MAX_ENTRIES];
	unsigned long caller[XPVQ_MAX_RECORDS];
	unsigned int nr_ent;
	unsigned int nr_rec;
	bool armed;
};

static DEFINE_PER_CPU(struct xpvq_cpu, xpvq_cpu);
static atomic_long_t xpvq_nr_failures = ATOMIC_LONG_INIT(0);

static const char *xpvq_op_name(unsigned long op)
{
	switch (op) {
	case __HYPERVISOR_mmu_update:
		return "mmu_update";
	case __HYPERVISOR_mmuext_op:
		return "mmuext_op";
	case __HYPERVISOR_update_va_mapping:
		return "update_va_mapping";
	default:
		return "hypercall";
	}
}

static void xpvq_report(const struct xpvq_cpu *q, const struct xpvq_tracked *t)
{
	const struct multicall_entry *mc = t->mc;
	unsigned int count = 1, idx = 0;
	unsigned long caller = 0;

	if (t->op == __HYPERVISOR_mmu_update ||
	    t->op == __HYPERVISOR_mmuext_op)
		count = mc->args[1];
	/* Without Xen's success count, blame our first record. */
	idx = t->counted ? t->done : t->base;
	if (idx >= t->base && idx - t->base < t->nr)
		caller = q->caller[t->first_caller + idx - t->base];

	atomic_long_inc(&xpvq_nr_failures);
	pr_err("xenpv: %s failed on cpu %d: rc %ld, record %u of %u, queued by %pS\n",
	       xpvq_op_name(mc->op), smp_processor_id(), mc->result,
	       idx, count, (void *)caller);

	switch (t->op) {
	case __HYPERVISOR_mmu_update: {
		const struct mmu_update *u = (void *)mc->args[0];

		if (idx < count)
			pr_err("xenpv:   mmu_update ptr %#llx val %#llx dom %lu\n",
			       u[idx].ptr, u[idx].val, mc->args[3]);
		break;
	}
	case __HYPERVISOR_mmuext_op: {
		const struct mmuext_op *op = (void *)mc->args[0];

		if (idx < count)
			pr_err("xenpv:   mmuext cmd %u arg1 %#lx\n",
			       op[idx].cmd, op[idx].arg1.linear_addr);
		break;
	}
	case __HYPERVISOR_update_va_mapping:
		pr_err("xenpv:   update_va_mapping va %#lx val %#lx flags %#lx\n",
		       mc->args[0], mc->args[1], mc->args[2]);
		break;
	}
}

/* Post-flush callback: check every entry this CPU queued in the batch. */
static void xpvq_check(void *unused)
{
	struct xpvq_cpu *q = this_cpu_ptr(&xpvq_cpu);
	unsigned int i;

	for (i = 0; i < q->nr_ent; i++) {
		if (unlikely((long)q->ent[i].mc->result < 0))
			xpvq_report(q, &q->ent[i]);
	}
	q->nr_ent = 0;
	q->nr_rec = 0;
	q->armed = false;
}

static void xpvq_arm(struct xpvq_cpu *q)
{
	if (!q->armed) {
		q->armed = true;
		xen_mc_callback(xpvq_check, NULL);
	}
}

/*
 * Make room in the side table and arm the checker before anything is
 * queued: a flush triggered here issues only older entries.
 */
static struct xpvq_cpu *xpvq_prepare(void)
{
	struct xpvq_cpu *q = this_cpu_ptr(&xpvq_cpu);

	xpv_forget_fused_invlpg();	/* any other update voids the note */

	if (unlikely(q->nr_ent == XPVQ_MAX_ENTRIES ||
		     q->nr_rec == XPVQ_MAX_RECORDS))
		xen_mc_flush();
	xpvq_arm(q);
	return q;
}

/* A new entry was allocated; it may have flushed (and disarmed) first. */
static struct xpvq_tracked *xpvq_track(struct xpvq_cpu *q,
				       struct multicall_entry *mc,
				       unsigned long op, unsigned int base)
{
	struct xpvq_tracked *t;

	xpvq_arm(q);
	t = &q->ent[q->nr_ent++];
	t->mc = mc;
	t->op = op;
	t->first_caller = q->nr_rec;
	t->base = base;
	t->nr = 0;
	t->done = 0;
	t->counted = false;
	return t;
}

static void xpvq_add_caller(struct xpvq_cpu *q, struct xpvq_tracked *t,
			    unsigned long caller)
{
	q->caller[q->nr_rec++] = caller;
	t->nr++;
}

/*
 * Reserve one record of an extendable hypercall (mmu_update, mmuext_op)
 * and return where to write it.  Records of one entry are contiguous in
 * argument space, so appending to the last entry is safe.
 */
static void *xpvq_record(unsigned long op, size_t size, unsigned long caller)
{
	struct xpvq_cpu *q = xpvq_prepare();
	struct multicall_space mcs;
	struct xpvq_tracked *t;

	mcs = xen_mc_extend_args(op, size);
	if (mcs.mc) {
		t = q->nr_ent ? &q->ent[q->nr_ent - 1] : NULL;
		if (!t || t->mc != mcs.mc)
			t = xpvq_track(q, mcs.mc, op, mcs.mc->args[1]);
		mcs.mc->args[1]++;
		xpvq_add_caller(q, t, caller);
		return mcs.args;
	}

	mcs = __xen_mc_entry(size);
	t = xpvq_track(q, mcs.mc, op, 0);
	t->counted = true;
	if (op == __HYPERVISOR_mmu_update)
		MULTI_mmu_update(mcs.mc, mcs.args, 1, &t->done, DOMID_SELF);
	else
		MULTI_mmuext_op(mcs.mc, mcs.args, 1, &t->done, DOMID_SELF);
	xpvq_add_caller(q, t, caller);
	return mcs.args;
}

/**
 * xpvq_flush() - issue everything queued on this CPU now
 *
 * Post-flush callbacks (lock releases, cr3 bookkeeping, the failure
 * check) have run when this returns.
 */
void xpvq_flush(void)
{
	xen_mc_flush();
}

/**
 * xpvq_mmu_update() - queue one mmu_update record for DOMID_SELF
 * @ptr: machine address of the entry, ORed with the MMU_* command
 * @val: new machine-format entry value
 * @caller: code address blamed if Xen refuses the record
 */
void xpvq_mmu_update(u64 ptr, u64 val, unsigned long caller)
{
	struct mmu_update *u;

	u = xpvq_record(__HYPERVISOR_mmu_update, sizeof(*u), caller);
	u->ptr = ptr;
	u->val = val;
}

/**
 * xpvq_mmuext() - queue one mmuext_op record for DOMID_SELF
 * @cmd: MMUEXT_* command
 * @arg1: its first argument (an mfn or a linear address)
 * @caller: code address blamed if Xen refuses the record
 */
void xpvq_mmuext(unsigned int cmd, unsigned long arg1, unsigned long caller)
{
	struct mmuext_op *op;

	op = xpvq_record(__HYPERVISOR_mmuext_op, sizeof(*op), caller);
	op->cmd = cmd;
	op->arg1.linear_addr = arg1;
	op->arg2.vcpumask = NULL;
}

/**
 * xpvq_mmuext_multi() - queue a TLB operation on a set of vCPUs
 * @cmd: MMUEXT_TLB_FLUSH_MULTI or MMUEXT_INVLPG_MULTI
 * @va: the address for MMUEXT_INVLPG_MULTI
 * @cpus: target CPUs (Linux CPU number == vCPU id); offline ones are dropped
 * @caller: code address blamed if Xen refuses the record
 *
 * The vCPU bitmap is stored in argument space *before* the op, so later
 * mmuext records appended to this entry stay contiguous with it.
 */
void xpvq_mmuext_multi(unsigned int cmd, unsigned long va,
		       const struct cpumask *cpus, unsigned long caller)
{
	size_t mask_bytes = BITS_TO_LONGS(nr_cpu_ids) * sizeof(long);
	struct xpvq_cpu *q = xpvq_prepare();
	struct multicall_space mcs;
	struct xpvq_tracked *t;
	struct mmuext_op *op;
	unsigned long *mask;

	mcs = __xen_mc_entry(mask_bytes + sizeof(*op));
	mask = mcs.args;
	op = mcs.args + mask_bytes;
	bitmap_and(mask, cpumask_bits(cpus), cpumask_bits(cpu_online_mask),
		   nr_cpu_ids);
	op->cmd = cmd;
	op->arg1.linear_addr = va;
	op->arg2.vcpumask = mask;

	t = xpvq_track(q, mcs.mc, __HYPERVISOR_mmuext_op, 0);
	t->counted = true;
	MULTI_mmuext_op(mcs.mc, op, 1, &t->done, DOMID_SELF);
	xpvq_add_caller(q, t, caller);
}

/**
 * xpvq_update_va() - queue an update_va_mapping for the current address space
 * @va: virtual address to remap
 * @val: new machine-format PTE
 * @flags: UVMF_* flush flags
 * @caller: code address blamed if Xen refuses it
 */
void xpvq_update_va(unsigned long va, pte_t val, unsigned long flags,
		    unsigned long caller)
{
	struct xpvq_cpu *q = xpvq_prepare();
	struct multicall_space mcs;
	struct xpvq_tracked *t;

	mcs = __xen_mc_entry(0);
	MULTI_update_va_mapping(mcs.mc, va, val, flags);
	t = xpvq_track(q, mcs.mc, __HYPERVISOR_update_va_mapping, 0);
	xpvq_add_caller(q, t, caller);
}

/**
 * xpvq_callback() - run @fn(@data) right after the next flush of this CPU
 * @fn: function, called with interrupts off
 * @data: its argument
 */
void xpvq_callback(void (*fn)(void *data), void *data)
{
	xen_mc_callback(fn, data);
}

/**
 * xpvq_report_direct() - report a failed hypercall issued outside the queue
 * @what: name of the operation
 * @rc: Xen's result
 * @a: first operand worth printing (pointer or address)
 * @b: second operand worth printing (value)
 * @caller: code address that requested the operation
 */
void xpvq_report_direct(const char *what, long rc, u64 a, u64 b,
			unsigned long caller)
{
	atomic_long_inc(&xpvq_nr_failures);
	pr_err("xenpv: %s failed: rc %ld, operands %#llx %#llx, requested by %pS\n",
	       what, rc, a, b, (void *)caller);
}

/**
 * xpvq_failures() - number of hypercall failures reported so far
 *
 * Return: the count, for the self-check and for tests.
 */
unsigned long xpvq_failures(void)
{
	return atomic_long_read(&xpvq_nr_failures);
}
