/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenpv batch: the per-CPU queue of PV MMU hypercalls.
 *
 * Every page-table write of a PV guest is a hypercall.  Batching them (one
 * multicall per flush, many mmu_update records per multicall entry) is what
 * makes lazy MMU mode cheap.  The backend's page-table hooks queue into it
 * with the typed functions (xenpv_batch_mmu_update(), xenpv_batch_mmuext(),
 * ...), passing their _RET_IP_ as the caller to blame; the multicall API
 * the rest of arch/x86/xen uses (__xen_mc_entry, xen_mc_flush in
 * xen-ops.h) is a one-line wrapper of the generic functions.  See
 * mm/README for merge rules and the defined outcome of a failed entry.
 */
#ifndef _XEN_XENPV_BATCH_H
#define _XEN_XENPV_BATCH_H

#include <linux/types.h>
#include <xen/interface/xen.h>

/* Capacity of one CPU's batch. */
#define XENPV_BATCH_MMU_RECORDS	512	/* one full L1 page of mmu_update */
#define XENPV_BATCH_ENTRIES	64	/* multicall entries */
#define XENPV_BATCH_ARG_BYTES	(XENPV_BATCH_MMU_RECORDS * \
				 sizeof(struct mmu_update) + 2048)
#define XENPV_BATCH_RECORDS	(XENPV_BATCH_MMU_RECORDS + 128)
#define XENPV_BATCH_CALLBACKS	64

/* Value of multicall_entry.result before Xen ran the entry. */
#define XENPV_MC_NOT_RUN	(-4096L)

/**
 * enum xenpv_flush_reason - why a batch was flushed
 * @XENPV_FLUSH_EXPLICIT: xenpv_batch_flush() was asked to (xen_mc_flush(),
 *                        or a backend path that must see its work done)
 * @XENPV_FLUSH_ISSUE: xenpv_batch_issue() outside the given lazy modes (a
 *                     page-table hook outside lazy MMU mode)
 * @XENPV_FLUSH_LAZY: lazy MMU mode ended or was flushed
 * @XENPV_FLUSH_FULL_ENTRIES: no multicall entry left
 * @XENPV_FLUSH_FULL_ARGS: no argument space left
 * @XENPV_FLUSH_FULL_RECORDS: no per-record bookkeeping slot left
 * @XENPV_FLUSH_FULL_CALLBACKS: no callback slot left
 * @XENPV_FLUSH_NR: number of reasons
 */
enum xenpv_flush_reason {
	XENPV_FLUSH_EXPLICIT,
	XENPV_FLUSH_ISSUE,
	XENPV_FLUSH_LAZY,
	XENPV_FLUSH_FULL_ENTRIES,
	XENPV_FLUSH_FULL_ARGS,
	XENPV_FLUSH_FULL_RECORDS,
	XENPV_FLUSH_FULL_CALLBACKS,
	XENPV_FLUSH_NR,
};

/**
 * enum xenpv_batch_stat - index of one counter in struct xenpv_batch_stats
 *
 * The first XENPV_FLUSH_NR counters are flushes by enum xenpv_flush_reason.
 * @XENPV_STAT_EMPTY_FLUSHES: flushes that found no entry to issue
 * @XENPV_STAT_MULTICALLS: HYPERVISOR_multicall hypercalls issued
 * @XENPV_STAT_SINGLES: entries issued as a hypercall of their own (a flush
 *                      of one entry, or a re-issued tail)
 * @XENPV_STAT_ENTRIES: multicall entries issued (singles included)
 * @XENPV_STAT_MMU_RECORDS: mmu_update records issued
 * @XENPV_STAT_EXT_RECORDS: mmuext_op records issued
 * @XENPV_STAT_MERGED: records appended to the previous entry
 * @XENPV_STAT_CALLBACKS: post-flush callbacks run
 * @XENPV_STAT_FAILED: records or entries Xen refused (one report each)
 * @XENPV_STAT_SKIPPED: records never applied because an earlier record of
 *                      their entry failed and later entries had run
 * @XENPV_STAT_NOT_RUN: entries Xen did not run
 * @XENPV_STAT_MULTICALL_FAILED: HYPERVISOR_multicall calls that failed
 * @XENPV_STAT_REISSUED: tails re-issued after a failed record
 * @XENPV_STAT_NR: number of counters
 */
enum xenpv_batch_stat {
	XENPV_STAT_EMPTY_FLUSHES = XENPV_FLUSH_NR,
	XENPV_STAT_MULTICALLS,
	XENPV_STAT_SINGLES,
	XENPV_STAT_ENTRIES,
	XENPV_STAT_MMU_RECORDS,
	XENPV_STAT_EXT_RECORDS,
	XENPV_STAT_MERGED,
	XENPV_STAT_CALLBACKS,
	XENPV_STAT_FAILED,
	XENPV_STAT_SKIPPED,
	XENPV_STAT_NOT_RUN,
	XENPV_STAT_MULTICALL_FAILED,
	XENPV_STAT_REISSUED,
	XENPV_STAT_NR,
};

/* Hypercall numbers counted one by one; larger ones share the last slot. */
#define XENPV_NR_OPS	64

/**
 * struct xenpv_batch_stats - one CPU's counters, read through debugfs
 * @n: counters by enum xenpv_batch_stat
 * @op: entries issued, by hypercall number (see XENPV_NR_OPS)
 *
 * Only u64 members, so a reader can add two sets member by member as one
 * array (xenpv_batch_add_stats()).
 */
struct xenpv_batch_stats {
	u64 n[XENPV_STAT_NR];
	u64 op[XENPV_NR_OPS];
};

/**
 * enum xenpv_batch_error_kind - what xenpv_batch_plat_report() is told
 * @XENPV_ERR_FAILED: Xen returned an error for this record or entry
 * @XENPV_ERR_SKIPPED: these records were not applied because an earlier
 *                     record of their entry failed; they are not retried
 * @XENPV_ERR_NOT_RUN: Xen did not run this entry at all
 * @XENPV_ERR_MULTICALL: HYPERVISOR_multicall itself failed
 * @XENPV_ERR_NR: number of kinds
 */
enum xenpv_batch_error_kind {
	XENPV_ERR_FAILED,
	XENPV_ERR_SKIPPED,
	XENPV_ERR_NOT_RUN,
	XENPV_ERR_MULTICALL,
	XENPV_ERR_NR,
};

/**
 * struct xenpv_batch_error - one report
 * @kind: enum xenpv_batch_error_kind
 * @cpu: CPU whose batch it was
 * @op: hypercall number
 * @args: the entry's arguments as issued
 * @result: Xen's result (0 for skipped records)
 * @index: record index within the entry (mmu_update/mmuext_op), else 0
 * @count: records in the entry (1 for other hypercalls)
 * @span: records this report covers: 1 for XENPV_ERR_FAILED, else every
 *        record from @index to the end of the entry
 * @record: the record (struct mmu_update or struct mmuext_op), or NULL
 * @caller: code address that queued the record or entry
 */
struct xenpv_batch_error {
	enum xenpv_batch_error_kind kind;
	unsigned int cpu;
	unsigned long op;
	unsigned long args[6];
	long result;
	unsigned int index;
	unsigned int count;
	unsigned int span;
	const void *record;
	unsigned long caller;
};

/**
 * struct xenpv_mc_space - room for one multicall entry and its arguments
 * @mc: the entry, or NULL when no room could be made
 * @args: the argument space
 *
 * Same shape as Linux's struct multicall_space, so the glue converts by
 * copying the two members.
 */
struct xenpv_mc_space {
	struct multicall_entry *mc;
	void *args;
};

struct xenpv_batch_cb {
	void (*fn)(void *data);
	void *data;
};

struct xenpv_batch_meta {
	unsigned long caller;
	unsigned int rec_first;
	unsigned int nr_recs;
	unsigned int done;
};

/**
 * struct xenpv_batch - one CPU's queue (opaque; place it per CPU)
 * @mc: multicall entries
 * @meta: bookkeeping per entry
 * @args: argument space (records live here)
 * @rec_caller: code address of every queued record
 * @cb: post-flush callbacks, double-buffered so callbacks may queue more
 * @nr_mc: entries in use
 * @arg_used: bytes of @args in use
 * @nr_recs: @rec_caller slots in use
 * @nr_cb: callbacks queued per buffer
 * @cb_cur: buffer new callbacks go to
 * @in_callbacks: callbacks of this batch are running
 * @cpu: owning CPU (for reports)
 * @stats: counters
 */
struct xenpv_batch {
	struct multicall_entry mc[XENPV_BATCH_ENTRIES];
	struct xenpv_batch_meta meta[XENPV_BATCH_ENTRIES];
	u64 args[XENPV_BATCH_ARG_BYTES / sizeof(u64)];
	unsigned long rec_caller[XENPV_BATCH_RECORDS];
	struct xenpv_batch_cb cb[2][XENPV_BATCH_CALLBACKS];
	unsigned int nr_mc;
	unsigned int arg_used;
	unsigned int nr_recs;
	unsigned int nr_cb[2];
	unsigned int cb_cur;
	bool in_callbacks;
	unsigned int cpu;
	struct xenpv_batch_stats stats;
};

extern const char * const xenpv_batch_stat_names[XENPV_STAT_NR];
extern const char * const xenpv_batch_err_names[XENPV_ERR_NR];

void xenpv_batch_init(struct xenpv_batch *b, unsigned int cpu);

/**
 * xenpv_batch_idle() - whether a flush of @b would have nothing to do
 * @b: the batch
 *
 * Return: true if no entry and no callback is queued.
 */
static inline bool xenpv_batch_idle(const struct xenpv_batch *b)
{
	return !b->nr_mc && !b->nr_cb[b->cb_cur];
}

struct xenpv_mc_space xenpv_batch_entry(size_t arg_bytes, unsigned long caller);
void xenpv_batch_callback(void (*fn)(void *data), void *data);
void xenpv_batch_flush(enum xenpv_flush_reason reason);
void xenpv_batch_issue(unsigned int lazy_modes);

void xenpv_batch_mmu_update(u64 ptr, u64 val, domid_t domid,
			    unsigned long caller);
void xenpv_batch_mmuext(unsigned int cmd, unsigned long arg1,
			unsigned long caller);
void xenpv_batch_mmuext_cpus(unsigned int cmd, unsigned long va,
			     const unsigned long *cpus, unsigned int nbits,
			     unsigned long caller);
void xenpv_batch_update_va(unsigned long va, u64 val, unsigned long flags,
			   unsigned long caller);
unsigned long xenpv_batch_queued_update(u64 maddr);

void xenpv_batch_add_stats(struct xenpv_batch_stats *sum,
			   const struct xenpv_batch_stats *one);
const char *xenpv_op_name(unsigned long op);

#endif /* _XEN_XENPV_BATCH_H */
