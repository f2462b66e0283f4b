// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv batch: per-CPU queue of PV MMU hypercalls.
 *
 * Why this file exists: in a PV guest every page-table write, TLB flush and
 * pin is a hypercall, and a hypercall costs far more than the write itself.
 * The queue collects them while the caller allows it (lazy MMU mode, or
 * between xen_mc_batch() and xen_mc_issue()) and issues them together:
 *
 * - consecutive mmu_update records (same target domain) are appended to
 *   one multicall entry, and so are consecutive mmuext_op records, so a
 *   whole L1 page of updates (512 records) costs one entry;
 * - a flush with one entry is issued as that hypercall directly, a flush
 *   with more entries as one HYPERVISOR_multicall;
 * - post-flush callbacks run after the hypercalls returned.
 *
 * The queue flushes when a resource is exhausted, when asked to, and when
 * lazy MMU mode ends; xenpv_batch_issue() flushes unless the CPU is in one
 * of the given lazy modes, like xen_mc_issue().
 *
 * Failures are never dropped: each failed record or entry is reported
 * through xenpv_batch_plat_report() with Xen's result and the code address
 * that queued it.  Xen's multicall runs every entry, but inside one
 * mmu_update/mmuext_op entry Xen stops at the first failing record.  If that
 * entry was the last one Xen ran, nothing else has run after it and the
 * remaining records are re-issued directly (repeating, one report per
 * failure), so merging changes nothing.  Otherwise later entries have
 * already run, and re-issuing would reorder updates; the remaining records
 * are then reported once, as skipped, and not applied.
 */

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <xen/interface/xen.h>

#include <xen/xenpv/batch.h>
#include <xen/xenpv/platform.h>

#define MAX_XEN_ERRNO	4095

static void flush_batch(struct xenpv_batch *b, enum xenpv_flush_reason why);

/**
 * xenpv_batch_init() - prepare an empty batch
 * @b: the batch (one per CPU)
 * @cpu: the CPU it belongs to
 */
void xenpv_batch_init(struct xenpv_batch *b, unsigned int cpu)
{
	memset(b, 0, sizeof(*b));
	b->cpu = cpu;
}

static unsigned int op_slot(unsigned long op)
{
	return op < XENPV_NR_OPS ? op : XENPV_NR_OPS - 1;
}

static bool is_record_op(unsigned long op)
{
	return op == __HYPERVISOR_mmu_update || op == __HYPERVISOR_mmuext_op;
}

static size_t record_size(unsigned long op)
{
	if (op == __HYPERVISOR_mmu_update)
		return sizeof(struct mmu_update);
	return sizeof(struct mmuext_op);
}

static bool batch_has_room(const struct xenpv_batch *b, size_t need)
{
	return b->nr_mc < XENPV_BATCH_ENTRIES &&
	       b->arg_used + need <= XENPV_BATCH_ARG_BYTES &&
	       b->nr_recs < XENPV_BATCH_RECORDS;
}

static enum xenpv_flush_reason full_reason(const struct xenpv_batch *b,
					   size_t need)
{
	if (b->nr_mc == XENPV_BATCH_ENTRIES)
		return XENPV_FLUSH_FULL_ENTRIES;
	if (b->arg_used + need > XENPV_BATCH_ARG_BYTES)
		return XENPV_FLUSH_FULL_ARGS;
	return XENPV_FLUSH_FULL_RECORDS;
}

/*
 * The next entry and @bytes of argument space; the caller sets every field
 * of the entry it uses (xenpv_batch_entry() hands out a zeroed one).
 * Inlined: it is most of every queueing function, and a context switch
 * queues one entry each time.
 */
static __always_inline struct xenpv_mc_space
new_entry(struct xenpv_batch *b, size_t bytes, unsigned long caller)
{
	size_t need = ALIGN(bytes, sizeof(u64));
	struct xenpv_mc_space ret = { NULL, NULL };
	struct xenpv_batch_meta *meta;
	unsigned int i;

	if (WARN_ON_ONCE(need > XENPV_BATCH_ARG_BYTES))
		return ret;

	/* The flush runs callbacks, which may fill the batch again. */
	while (unlikely(!batch_has_room(b, need)))
		flush_batch(b, full_reason(b, need));

	i = b->nr_mc++;
	meta = &b->meta[i];
	meta->caller = caller;
	meta->rec_first = b->nr_recs;
	meta->nr_recs = 1;
	meta->done = 0;
	b->rec_caller[b->nr_recs++] = caller;
	ret.mc = &b->mc[i];
	ret.args = (u8 *)b->args + b->arg_used;
	b->arg_used += need;
	return ret;
}

/* Room for one more record at the end of the last entry, or mc == NULL. */
static struct xenpv_mc_space extend_last(struct xenpv_batch *b,
					 unsigned long op, size_t bytes,
					 unsigned long caller)
{
	size_t need = ALIGN(bytes, sizeof(u64));
	struct xenpv_mc_space ret = { NULL, NULL };
	unsigned int last = b->nr_mc - 1;

	if (!b->nr_mc || b->mc[last].op != op ||
	    b->arg_used + need > XENPV_BATCH_ARG_BYTES ||
	    b->nr_recs == XENPV_BATCH_RECORDS)
		return ret;
	/*
	 * Xen reads an entry's records as one array: append only if the
	 * records end exactly where the used argument space ends.  An entry
	 * queued through xenpv_batch_entry() with more space than its records
	 * is not extended.
	 */
	if (is_record_op(op) &&
	    b->mc[last].args[0] + b->mc[last].args[1] * record_size(op) !=
	    (unsigned long)((u8 *)b->args + b->arg_used))
		return ret;

	ret.mc = &b->mc[last];
	ret.args = (u8 *)b->args + b->arg_used;
	b->arg_used += need;
	b->rec_caller[b->nr_recs++] = caller;
	b->meta[last].nr_recs++;
	b->stats.n[XENPV_STAT_MERGED]++;
	return ret;
}

/**
 * xenpv_batch_entry() - room for one new multicall entry (__xen_mc_entry)
 * @arg_bytes: argument space wanted (rounded up to 8 bytes)
 * @caller: code address reported if the entry fails (_RET_IP_)
 *
 * Flushes first if the batch has no room.  The entry is zeroed; the caller
 * fills in op and args.  Must be called with preemption disabled.
 *
 * Return: the entry and its argument space; both NULL (and a warning) only
 * if @arg_bytes exceeds the whole argument space.
 */
struct xenpv_mc_space xenpv_batch_entry(size_t arg_bytes, unsigned long caller)
{
	struct xenpv_mc_space s;

	s = new_entry(xenpv_batch_plat_this_cpu(), arg_bytes, caller);
	if (s.mc)
		memset(s.mc, 0, sizeof(*s.mc));
	return s;
}

static struct xenpv_mc_space queue_record(unsigned long op, size_t size,
					  domid_t domid, unsigned long caller)
{
	struct xenpv_batch *b = xenpv_batch_plat_this_cpu();
	struct xenpv_mc_space s = { NULL, NULL };

	if (b->nr_mc && b->mc[b->nr_mc - 1].args[3] == domid)
		s = extend_last(b, op, size, caller);
	if (s.mc) {
		s.mc->args[1]++;
		return s;
	}
	s = new_entry(b, size, caller);
	s.mc->op = op;
	s.mc->args[0] = (unsigned long)s.args;
	s.mc->args[1] = 1;
	s.mc->args[2] = 0;
	s.mc->args[3] = domid;
	s.mc->args[4] = 0;
	s.mc->args[5] = 0;
	return s;
}

/**
 * xenpv_batch_mmu_update() - queue one mmu_update record
 * @ptr: machine address of the entry | MMU_* command
 * @val: new value
 * @domid: DOMID_SELF or the foreign domain whose frames @val names
 * @caller: code address reported if the record fails
 *
 * Merged into the previous entry when that is an mmu_update for @domid.
 */
void xenpv_batch_mmu_update(u64 ptr, u64 val, domid_t domid,
			    unsigned long caller)
{
	struct xenpv_mc_space s;
	struct mmu_update *u;

	s = queue_record(__HYPERVISOR_mmu_update, sizeof(*u), domid, caller);
	u = s.args;
	u->ptr = ptr;
	u->val = val;
}

/**
 * xenpv_batch_mmuext() - queue one mmuext_op record for this domain
 * @cmd: MMUEXT_* command (pins, unpins, base pointers, local TLB work)
 * @arg1: its argument (an mfn or a linear address)
 * @caller: code address reported if the record fails
 *
 * Merged into the previous entry when that is an mmuext_op.
 */
void xenpv_batch_mmuext(unsigned int cmd, unsigned long arg1,
			unsigned long caller)
{
	struct xenpv_mc_space s;
	struct mmuext_op *op;

	s = queue_record(__HYPERVISOR_mmuext_op, sizeof(*op), DOMID_SELF,
			 caller);
	op = s.args;
	memset(op, 0, sizeof(*op));
	op->cmd = cmd;
	op->arg1.linear_addr = arg1;
}

/**
 * xenpv_batch_mmuext_cpus() - queue a TLB operation on a set of vCPUs
 * @cmd: MMUEXT_TLB_FLUSH_MULTI or MMUEXT_INVLPG_MULTI
 * @va: the address for MMUEXT_INVLPG_MULTI
 * @cpus: bitmap of target vCPUs (copied into the batch)
 * @nbits: bits in @cpus
 * @caller: code address reported if the record fails
 *
 * The bitmap goes into argument space just before the record, so the
 * records of the entry still end where the used space ends and later
 * mmuext_op records may be appended to it.
 */
void xenpv_batch_mmuext_cpus(unsigned int cmd, unsigned long va,
			     const unsigned long *cpus, unsigned int nbits,
			     unsigned long caller)
{
	size_t mask = BITS_TO_LONGS(nbits) * sizeof(long);
	struct xenpv_mc_space s;
	struct mmuext_op *op;

	s = new_entry(xenpv_batch_plat_this_cpu(), mask + sizeof(*op), caller);
	memset(s.mc, 0, sizeof(*s.mc));
	memcpy(s.args, cpus, mask);
	op = (struct mmuext_op *)((u8 *)s.args + mask);
	memset(op, 0, sizeof(*op));
	op->cmd = cmd;
	op->arg1.linear_addr = va;
	/*
	 * A plain pointer in Linux's header, a guest handle in Xen's: both
	 * are one pointer at the start of arg2.
	 */
	memcpy(&op->arg2, &s.args, sizeof(s.args));
	s.mc->op = __HYPERVISOR_mmuext_op;
	s.mc->args[0] = (unsigned long)op;
	s.mc->args[1] = 1;
	s.mc->args[3] = DOMID_SELF;
}

/**
 * xenpv_batch_update_va() - queue one update_va_mapping
 * @va: virtual address whose PTE is set
 * @val: new PTE value (machine format)
 * @flags: UVMF_* flush flags
 * @caller: code address reported if it fails
 */
void xenpv_batch_update_va(unsigned long va, u64 val, unsigned long flags,
			   unsigned long caller)
{
	struct xenpv_mc_space s;

	s = new_entry(xenpv_batch_plat_this_cpu(), 0, caller);
	memset(s.mc, 0, sizeof(*s.mc));
	s.mc->op = __HYPERVISOR_update_va_mapping;
	s.mc->args[0] = va;
	s.mc->args[1] = val;
	s.mc->args[2] = flags;
}

/* The code that queued record @index of an entry: its own, if it has one. */
static unsigned long record_caller(const struct xenpv_batch *b,
				   const struct xenpv_batch_meta *meta,
				   unsigned int index)
{
	return index < meta->nr_recs ? b->rec_caller[meta->rec_first + index] :
				       meta->caller;
}

/**
 * xenpv_batch_queued_update() - who queued a pending store to an entry
 * @maddr: machine address of a page-table entry
 *
 * Looks through this CPU's batch, newest record first, for an mmu_update
 * record that stores to the entry at @maddr (of any domid: that names the
 * owner of the frame stored, the entry is ours) and has not been issued
 * yet: until it is, the entry in memory still holds its old value.
 * Used by the lazy MMU checker of debug kernels; costs one pass over the
 * queued records.  Must be called with preemption disabled.
 *
 * Return: the code address that queued the record, or 0 if there is none.
 */
unsigned long xenpv_batch_queued_update(u64 maddr)
{
	const struct xenpv_batch *b = xenpv_batch_plat_this_cpu();
	const u64 cmd_mask = sizeof(u64) - 1;
	unsigned int i, r;

	for (i = b->nr_mc; i-- > 0;) {
		const struct multicall_entry *mc = &b->mc[i];
		const struct mmu_update *u;

		if (mc->op != __HYPERVISOR_mmu_update)
			continue;
		u = (const struct mmu_update *)mc->args[0];
		for (r = mc->args[1]; r-- > 0;) {
			u64 cmd = u[r].ptr & cmd_mask;

			if ((cmd != MMU_NORMAL_PT_UPDATE &&
			     cmd != MMU_PT_UPDATE_PRESERVE_AD) ||
			    (u[r].ptr & ~cmd_mask) != maddr)
				continue;
			return record_caller(b, &b->meta[i], r);
		}
	}
	return 0;
}

/**
 * xenpv_batch_callback() - run @fn(@data) after the next flush
 * @fn: the function; called with the same context as the flush
 * @data: its argument
 *
 * Callbacks run in the order queued, after every entry queued before them
 * was issued.  If all slots are taken the batch is flushed first; if even
 * that frees none (only possible while callbacks run and keep queueing),
 * @fn runs at once, still after the entries queued before it.
 */
void xenpv_batch_callback(void (*fn)(void *data), void *data)
{
	struct xenpv_batch *b = xenpv_batch_plat_this_cpu();
	unsigned int set;

	if (b->nr_cb[b->cb_cur] == XENPV_BATCH_CALLBACKS)
		flush_batch(b, XENPV_FLUSH_FULL_CALLBACKS);
	set = b->cb_cur;
	if (b->nr_cb[set] == XENPV_BATCH_CALLBACKS) {
		b->stats.n[XENPV_STAT_CALLBACKS]++;
		fn(data);
		return;
	}
	b->cb[set][b->nr_cb[set]].fn = fn;
	b->cb[set][b->nr_cb[set]].data = data;
	b->nr_cb[set]++;
}

static void report(struct xenpv_batch *b, enum xenpv_batch_error_kind kind,
		   const struct multicall_entry *mc,
		   const struct xenpv_batch_meta *meta, long result,
		   unsigned int index, unsigned int count)
{
	struct xenpv_batch_error err = {
		.kind = kind,
		.cpu = b->cpu,
		.op = mc->op,
		.result = result,
		.index = index,
		.count = count,
		.span = kind == XENPV_ERR_FAILED ? 1 : count - index,
		.caller = meta->caller,
	};

	memcpy(err.args, mc->args, sizeof(err.args));
	if (is_record_op(mc->op)) {
		if (index < count)
			err.record = (const u8 *)(unsigned long)mc->args[0] +
				     index * record_size(mc->op);
		err.caller = record_caller(b, meta, index);
	}
	xenpv_batch_plat_report(&err);
}

static bool xen_failed(long result)
{
	return result < 0 && result >= -MAX_XEN_ERRNO;
}

/*
 * Look at one issued entry; @last: no entry ran after it.  Xen stops an
 * mmu_update/mmuext_op entry at its first failing record, having applied
 * meta->done records before it.
 */
static void complete_entry(struct xenpv_batch *b, unsigned int i, bool last)
{
	struct multicall_entry *mc = &b->mc[i];
	struct xenpv_batch_meta *meta = &b->meta[i];
	bool records = is_record_op(mc->op);
	unsigned int count = records ? (unsigned int)mc->args[1] : 1;
	long res = (long)mc->result;
	unsigned int idx = meta->done;

	if (res == XENPV_MC_NOT_RUN) {
		b->stats.n[XENPV_STAT_NOT_RUN]++;
		report(b, XENPV_ERR_NOT_RUN, mc, meta, res, 0, count);
		return;
	}
	if (!records) {
		if (xen_failed(res)) {
			b->stats.n[XENPV_STAT_FAILED]++;
			report(b, XENPV_ERR_FAILED, mc, meta, res, 0, 1);
		}
		return;
	}
	while (res) {
		struct multicall_entry tail = { .op = mc->op };

		b->stats.n[XENPV_STAT_FAILED]++;
		report(b, XENPV_ERR_FAILED, mc, meta, res, idx, count);
		if (++idx >= count)
			break;
		if (!last) {
			b->stats.n[XENPV_STAT_SKIPPED] += count - idx;
			report(b, XENPV_ERR_SKIPPED, mc, meta, 0, idx, count);
			break;
		}
		/* Nothing ran after this entry: the rest keeps its order. */
		tail.args[0] = mc->args[0] + idx * record_size(mc->op);
		tail.args[1] = count - idx;
		tail.args[2] = (unsigned long)&meta->done;
		tail.args[3] = mc->args[3];
		tail.result = XENPV_MC_NOT_RUN;
		meta->done = 0;
		b->stats.n[XENPV_STAT_REISSUED]++;
		b->stats.n[XENPV_STAT_SINGLES]++;
		b->stats.op[op_slot(mc->op)]++;
		xenpv_batch_plat_single(&tail);
		res = (long)tail.result;
		if (res == XENPV_MC_NOT_RUN) {
			res = -EIO;
			meta->done = 0;
		}
		idx += meta->done;
	}
}

/* After a flush issued them: the entries, their space and records are free. */
static void forget_entries(struct xenpv_batch *b)
{
	b->nr_mc = 0;
	b->arg_used = 0;
	b->nr_recs = 0;
}

static void issue(struct xenpv_batch *b)
{
	unsigned int n = b->nr_mc, i;
	long rc = 0;

	for (i = 0; i < n; i++) {
		struct multicall_entry *mc = &b->mc[i];

		mc->result = XENPV_MC_NOT_RUN;
		b->stats.op[op_slot(mc->op)]++;
		if (!is_record_op(mc->op))
			continue;
		b->stats.n[mc->op == __HYPERVISOR_mmu_update ?
			   XENPV_STAT_MMU_RECORDS : XENPV_STAT_EXT_RECORDS] +=
			(unsigned int)mc->args[1];
		/* Linux's own callers never pass a success count. */
		WARN_ON_ONCE(mc->args[2]);
		/*
		 * Where a failure stopped matters only with more than one
		 * record; without the count Xen skips writing it back.
		 */
		b->meta[i].done = 0;
		if (mc->args[1] > 1)
			mc->args[2] = (unsigned long)&b->meta[i].done;
	}

	b->stats.n[XENPV_STAT_ENTRIES] += n;
	if (n == 1) {
		b->stats.n[XENPV_STAT_SINGLES]++;
		xenpv_batch_plat_single(&b->mc[0]);
	} else {
		b->stats.n[XENPV_STAT_MULTICALLS]++;
		rc = xenpv_batch_plat_multicall(b->mc, n);
	}
	if (rc) {
		struct multicall_entry whole = {
			.op = __HYPERVISOR_multicall,
			.args = { (unsigned long)b->mc, n },
		};

		b->stats.n[XENPV_STAT_MULTICALL_FAILED]++;
		report(b, XENPV_ERR_MULTICALL, &whole, &b->meta[0], rc, 0, n);
	}

	/* The last entry Xen ran is the only one whose tail may be re-issued. */
	for (i = 0; i < n; i++) {
		bool last = i == n - 1 ||
			    (long)b->mc[i + 1].result == XENPV_MC_NOT_RUN;

		complete_entry(b, i, last);
	}

	forget_entries(b);
}

/*
 * A flush of one entry that carries no records: after every context switch
 * Linux queues the new kernel stack (stack_switch) outside lazy CPU mode
 * and issues it at once.  Same counters and the same report as issue(),
 * without its loops over entries and records.
 */
static void issue_one(struct xenpv_batch *b)
{
	struct multicall_entry *mc = &b->mc[0];

	mc->result = XENPV_MC_NOT_RUN;
	b->stats.op[op_slot(mc->op)]++;
	b->stats.n[XENPV_STAT_ENTRIES]++;
	b->stats.n[XENPV_STAT_SINGLES]++;
	xenpv_batch_plat_single(mc);
	if (unlikely((long)mc->result < 0))
		complete_entry(b, 0, true);
	forget_entries(b);
}

static void run_callbacks(struct xenpv_batch *b)
{
	unsigned int set = b->cb_cur, n = b->nr_cb[set], i;

	if (!n)
		return;
	b->cb_cur = set ^ 1;
	b->in_callbacks = true;
	for (i = 0; i < n; i++) {
		b->stats.n[XENPV_STAT_CALLBACKS]++;
		b->cb[set][i].fn(b->cb[set][i].data);
	}
	b->nr_cb[set] = 0;
	b->in_callbacks = false;
}

static void flush_batch(struct xenpv_batch *b, enum xenpv_flush_reason why)
{
	b->stats.n[why]++;
	if (b->nr_mc == 1 && !is_record_op(b->mc[0].op))
		issue_one(b);
	else if (b->nr_mc)
		issue(b);
	else
		b->stats.n[XENPV_STAT_EMPTY_FLUSHES]++;
	/* From inside a callback: the outer flush runs the new callbacks. */
	if (!b->in_callbacks)
		run_callbacks(b);
}

/**
 * xenpv_batch_flush() - issue everything queued on this CPU
 * @reason: why, for the statistics (XENPV_FLUSH_EXPLICIT for xen_mc_flush,
 *          XENPV_FLUSH_LAZY when lazy MMU mode ends)
 *
 * Issues the entries (directly if there is one, as a multicall otherwise),
 * reports every failure, then runs the queued callbacks.  Entries and
 * callbacks queued by a callback stay queued for the next flush.  Must be
 * called with preemption disabled; the kernel calls it with IRQs off.
 */
void xenpv_batch_flush(enum xenpv_flush_reason reason)
{
	flush_batch(xenpv_batch_plat_this_cpu(), reason);
}

/**
 * xenpv_batch_issue() - flush unless the CPU is in one of @lazy_modes
 * @lazy_modes: mask of lazy modes that allow deferring (xen_mc_issue)
 */
void xenpv_batch_issue(unsigned int lazy_modes)
{
	if (!(xenpv_batch_plat_lazy_mode() & lazy_modes))
		xenpv_batch_flush(XENPV_FLUSH_ISSUE);
}

/**
 * xenpv_batch_add_stats() - add one set of counters to another
 * @sum: the running sum
 * @one: the set to add
 */
void xenpv_batch_add_stats(struct xenpv_batch_stats *sum,
			   const struct xenpv_batch_stats *one)
{
	unsigned int i;

	for (i = 0; i < XENPV_STAT_NR; i++)
		sum->n[i] += one->n[i];
	for (i = 0; i < XENPV_NR_OPS; i++)
		sum->op[i] += one->op[i];
}

const char * const xenpv_batch_stat_names[XENPV_STAT_NR] = {
	[XENPV_FLUSH_EXPLICIT] = "flush_explicit",
	[XENPV_FLUSH_ISSUE] = "flush_issue",
	[XENPV_FLUSH_LAZY] = "flush_lazy",
	[XENPV_FLUSH_FULL_ENTRIES] = "flush_full_entries",
	[XENPV_FLUSH_FULL_ARGS] = "flush_full_args",
	[XENPV_FLUSH_FULL_RECORDS] = "flush_full_records",
	[XENPV_FLUSH_FULL_CALLBACKS] = "flush_full_callbacks",
	[XENPV_STAT_EMPTY_FLUSHES] = "empty_flushes",
	[XENPV_STAT_MULTICALLS] = "hypercalls_multicall",
	[XENPV_STAT_SINGLES] = "hypercalls_single",
	[XENPV_STAT_ENTRIES] = "entries",
	[XENPV_STAT_MMU_RECORDS] = "mmu_update_records",
	[XENPV_STAT_EXT_RECORDS] = "mmuext_op_records",
	[XENPV_STAT_MERGED] = "records_merged",
	[XENPV_STAT_CALLBACKS] = "callbacks",
	[XENPV_STAT_FAILED] = "failed",
	[XENPV_STAT_SKIPPED] = "skipped",
	[XENPV_STAT_NOT_RUN] = "not_run",
	[XENPV_STAT_MULTICALL_FAILED] = "multicall_failed",
	[XENPV_STAT_REISSUED] = "reissued",
};

const char * const xenpv_batch_err_names[XENPV_ERR_NR] = {
	[XENPV_ERR_FAILED] = "failed",
	[XENPV_ERR_SKIPPED] = "skipped after an earlier failure",
	[XENPV_ERR_NOT_RUN] = "not run",
	[XENPV_ERR_MULTICALL] = "multicall failed",
};

static const char * const op_names[XENPV_NR_OPS] = {
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
 * xenpv_op_name() - printable name of a hypercall number
 * @op: the hypercall number
 *
 * Return: the name of the hypercalls a PV guest batches, else "other".
 */
const char *xenpv_op_name(unsigned long op)
{
	return op < XENPV_NR_OPS && op_names[op] ? op_names[op] : "other";
}
