// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercalls the backend issues at once, outside the batch.
 *
 * Why this file exists: most page-table work waits in the per-CPU batch
 * (mm/batch.c), but some must take effect before the caller goes on: a
 * store into a pinned table outside lazy MMU mode, a COW switch fused with
 * its INVLPG, a page made read-only before Xen is told it is a table, a
 * p2m leaf remapped under the p2m lock.  Each goes to Xen here, is counted
 * by hypercall and by the code that asked for it (debugfs "direct"), and
 * if Xen refuses it, it is reported once with its operands and that code.
 * Beyond the p2m lookup of xenpv_set_page_prot(), nothing here depends on
 * the rest of the backend.
 */
#include <linux/atomic.h>
#include <linux/hash.h>
#include <linux/init.h>
#include <linux/log2.h>
#include <linux/panic.h>
#include <linux/percpu.h>
#include <linux/pfn.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/string.h>

#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>
#include <xen/interface/xen.h>
#include <xen/xen.h>

#include <xen/xenpv/kglue.h>

#include "xenpv.h"

static DEFINE_PER_CPU(struct xenpv_direct_stats, xenpv_direct_calls);
static atomic_long_t xenpv_direct_failed = ATOMIC_LONG_INIT(0);

/*
 * Calls counted before the per-CPU areas were set up went into the
 * template every CPU's area was copied from: only the boot CPU keeps them.
 */
static int __init xenpv_direct_init_cpus(void)
{
	unsigned int self = smp_processor_id(), cpu;

	if (!xen_pv_domain())
		return 0;
	for_each_possible_cpu(cpu)
		if (cpu != self)
			memset(per_cpu_ptr(&xenpv_direct_calls, cpu), 0,
			       sizeof(struct xenpv_direct_stats));
	return 0;
}
early_initcall(xenpv_direct_init_cpus);

/* A caller looks at this many slots from its hash before counting as other. */
#define XENPV_DIRECT_PROBES	4

/**
 * xenpv_direct_count() - count a hypercall issued outside the batch
 * @op: hypercall number
 * @caller: code address that asked for it
 *
 * For code that issues the hypercall itself because it handles partial
 * results on its own (foreign mappings).  A caller's slot is found by
 * hashing its address and looking at no more than XENPV_DIRECT_PROBES
 * slots, so a single fault pays a few instructions whatever the number of
 * callers.  Counts lost to an interrupt on the same CPU are accepted, as
 * for the other counters.
 */
void xenpv_direct_count(unsigned int op, unsigned long caller)
{
	struct xenpv_direct_stats *ds;
	unsigned int i, probe;

	preempt_disable();
	ds = this_cpu_ptr(&xenpv_direct_calls);
	ds->op[op < XENPV_NR_OPS ? op : XENPV_NR_OPS - 1]++;
	i = hash_long(caller + op, ilog2(XENPV_DIRECT_CALLERS));
	for (probe = 0; probe < XENPV_DIRECT_PROBES; probe++) {
		if (ds->ip[i] == caller && ds->ip_op[i] == op)
			break;
		if (!ds->ip[i]) {
			ds->ip[i] = caller;
			ds->ip_op[i] = op;
			break;
		}
		i = (i + 1) % XENPV_DIRECT_CALLERS;
	}
	if (probe < XENPV_DIRECT_PROBES)
		ds->n[i]++;
	else
		ds->other++;
	preempt_enable();
}

/* Xen's answer @rc to @op on operands @a, @b: reported once if refused. */
static int xenpv_direct_result(unsigned int op, int rc, u64 a, u64 b,
			       unsigned long caller)
{
	if (likely(!rc))
		return 0;
	atomic_long_inc(&xenpv_direct_failed);
	pr_err("xenpv: %s failed: rc %d, operands %#llx %#llx, requested by %pS\n",
	       xenpv_op_name(op), rc, a, b, (void *)caller);
	return rc;
}

/**
 * xenpv_direct_mmu_update() - one mmu_update for this domain, now
 * @ptr: machine address of the entry, ORed with the MMU_* command
 * @val: the new value
 * @caller: code address blamed if Xen refuses it
 *
 * Return: 0, or Xen's error (reported).
 */
int xenpv_direct_mmu_update(u64 ptr, u64 val, unsigned long caller)
{
	struct mmu_update u = { .ptr = ptr, .val = val };

	xenpv_direct_count(__HYPERVISOR_mmu_update, caller);
	return xenpv_direct_result(__HYPERVISOR_mmu_update,
				   HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF),
				   ptr, val, caller);
}

/**
 * xenpv_direct_update_va() - one update_va_mapping of the current space, now
 * @va: the virtual address
 * @pte: its new entry (machine format)
 * @flags: UVMF_* flush flags
 * @caller: code address blamed if Xen refuses it
 *
 * Return: 0, or Xen's error (reported; the entry is unchanged).
 */
int xenpv_direct_update_va(unsigned long va, pte_t pte, unsigned long flags,
			   unsigned long caller)
{
	xenpv_direct_count(__HYPERVISOR_update_va_mapping, caller);
	return xenpv_direct_result(__HYPERVISOR_update_va_mapping,
				   HYPERVISOR_update_va_mapping(va, pte, flags),
				   va, pte.pte, caller);
}

/**
 * xenpv_direct_mmuext() - one mmuext_op for this domain, now
 * @cmd: MMUEXT_* command
 * @arg1: its first argument (an mfn or a linear address)
 * @caller: code address blamed if Xen refuses it
 *
 * Return: 0, or Xen's error (reported).
 */
int xenpv_direct_mmuext(unsigned int cmd, unsigned long arg1,
			unsigned long caller)
{
	struct mmuext_op op = { .cmd = cmd, .arg1.linear_addr = arg1 };

	xenpv_direct_count(__HYPERVISOR_mmuext_op, caller);
	return xenpv_direct_result(__HYPERVISOR_mmuext_op,
				   HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF),
				   cmd, arg1, caller);
}

/**
 * xenpv_set_page_prot() - remap one page of the current address space now
 * @addr: its virtual address (kernel image or direct map)
 * @prot: new protection
 * @flags: UVMF_* flush flags
 *
 * Used where no queue may be pending (boot, early hooks).  A failure is
 * reported and then panics: boot cannot go on with a page-table page that
 * Xen will not let us map as its role requires.
 */
void xenpv_set_page_prot(void *addr, pgprot_t prot, unsigned long flags)
{
	unsigned long pfn = PFN_DOWN(__pa(addr));
	pte_t pte = mfn_pte(pfn_to_mfn(pfn), prot);

	if (xenpv_direct_update_va((unsigned long)addr, pte, flags, _RET_IP_))
		panic("xenpv: Xen refused to remap pfn %#lx at boot\n", pfn);
}

/**
 * xenpv_early_pin() - issue one pin/unpin right now (boot time)
 * @cmd: MMUEXT_PIN_L*_TABLE or MMUEXT_UNPIN_TABLE
 * @pfn: the table page
 *
 * Failure here means the boot page tables are inconsistent: it is reported
 * and then panics.
 */
void xenpv_early_pin(unsigned int cmd, unsigned long pfn)
{
	if (xenpv_direct_mmuext(cmd, pfn_to_mfn(pfn), _RET_IP_))
		panic("xenpv: Xen refused mmuext_op %u on table pfn %#lx at boot\n",
		      cmd, pfn);
}

/**
 * xenpv_direct_read_stats() - copy one CPU's direct-call counters
 * @cpu: a possible CPU
 * @ds: receives them
 *
 * Read without stopping the CPU: values may be a few calls apart.
 */
void xenpv_direct_read_stats(unsigned int cpu, struct xenpv_direct_stats *ds)
{
	*ds = *per_cpu_ptr(&xenpv_direct_calls, cpu);
}

/**
 * xenpv_direct_failures() - direct hypercalls Xen refused so far
 *
 * Return: the number reported.
 */
unsigned long xenpv_direct_failures(void)
{
	return atomic_long_read(&xenpv_direct_failed);
}
