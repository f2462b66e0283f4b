/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenpv batch: the per-CPU queue of PV MMU hypercalls.
 *
 * Every page-table write of a PV guest is a hypercall.  Batching them (one
 * multicall per flush, many mmu_update records per multicall entry) is what
 * makes lazy MMU mode cheap.  The queue also backs Linux's multicall API
 * from arch/x86/xen/xen-ops.h (__xen_mc_entry, xen_mc_extend_args,
 * xen_mc_callback, xen_mc_flush): the kernel glue wraps the functions below
 * one-to-one.  See mm/README for merge rules and the defined outcome of a
 * failed entry.
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
 * enum xenpv_flush_reason - why a batch was flushed (index of stats)
 * @XENPV_FLUSH_EXPLICIT: xenpv_batch_flush() asked for it (xen_mc_flush)
 * @XENPV_FLUSH_ISSUE: xenpv_batch_issue() outside the given lazy modes
 * @XENPV_FLUSH_LAZY: lazy MMU mode ended (or was flushed)
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
 * struct xenpv_batch_stats - per-CPU counters, exported via debugfs
 * @flushes: flushes by enum xenpv_flush_reason
 * @empty_flushes: flushes that found no entry to issue
 * @multicalls: HYPERVISOR_multicall hypercalls issued
 * @direct_calls: direct hypercalls issued (one-entry batches, tail re-issue)
 * @entries: multicall entries issued (direct calls included)
 * @mmu_records: mmu_update records issued
 * @ext_records: mmuext_op records issued
 * @merged: records appended to the previous entry instead of a new one
 * @callbacks: post-flush callbacks run
 * @failed: records or entries Xen failed (each reported)
 * @skipped: records Xen never reached because an earlier record of the same
 *           entry failed and later entries had already run (each reported)
 * @not_run: entries Xen did not run (multicall aborted; each reported)
 * @reissued: tails re-issued after a failed record
 */
struct xenpv_batch_stats {
	u64 flushes[XENPV_FLUSH_NR];
	u64 empty_flushes;
	u64 multicalls;
	u64 direct_calls;
	u64 entries;
	u64 mmu_records;
	u64 ext_records;
	u64 merged;
	u64 callbacks;
	u64 failed;
	u64 skipped;
	u64 not_run;
	u64 reissued;
};

/**
 * enum xenpv_batch_error_kind - what xenpv_batch_plat_report() is told
 * @XENPV_ERR_FAILED: Xen returned an error for this record or entry
 * @XENPV_ERR_SKIPPED: this record was not applied because an earlier record
 *                     of its entry failed; it is not retried
 * @XENPV_ERR_NOT_RUN: Xen did not run this entry at all
 * @XENPV_ERR_MULTICALL: HYPERVISOR_multicall itself failed
 */
enum xenpv_batch_error_kind {
	XENPV_ERR_FAILED,
	XENPV_ERR_SKIPPED,
	XENPV_ERR_NOT_RUN,
	XENPV_ERR_MULTICALL,
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
	unsigned long user_done;
	unsigned int rec_first;
	unsigned int nr_recs;
	unsigned int arg_start;
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

void xenpv_batch_init(struct xenpv_batch *b, unsigned int cpu);

struct xenpv_mc_space xenpv_batch_entry(size_t arg_bytes, unsigned long caller);
struct xenpv_mc_space xenpv_batch_extend(unsigned long op, size_t arg_bytes,
					 unsigned long caller);
void xenpv_batch_callback(void (*fn)(void *data), void *data);
void xenpv_batch_flush(enum xenpv_flush_reason reason);
void xenpv_batch_issue(unsigned int lazy_modes);

void xenpv_batch_mmu_update(u64 ptr, u64 val, domid_t domid,
			    unsigned long caller);
void xenpv_batch_mmuext(const struct mmuext_op *op, unsigned long caller);
void xenpv_batch_update_va(unsigned long va, u64 val, unsigned long flags,
			   unsigned long caller);

unsigned int xenpv_batch_pending(void);
void xenpv_batch_get_stats(const struct xenpv_batch *b,
			   struct xenpv_batch_stats *stats);

#endif /* _XEN_XENPV_BATCH_H */
