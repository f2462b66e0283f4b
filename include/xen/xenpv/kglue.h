/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenpv kernel glue: what the Linux-side glue (arch/x86/xenpv/) offers to
 * the rest of the backend beyond the core API (batch.h, p2m.h).
 *
 * Only the kernel includes this header; the userspace harness never does.
 * It exists so the debugfs statistics (drivers/xen/xenpv-debugfs.c) can read
 * the per-CPU batch counters kept by the multicall glue without knowing
 * where the per-CPU batches live.
 */
#ifndef _XEN_XENPV_KGLUE_H
#define _XEN_XENPV_KGLUE_H

#include <linux/types.h>
#include <xen/xenpv/batch.h>

/* Hypercall numbers counted individually; larger ones share the last slot. */
#define XENPV_MC_NR_OPS		64

/* Kinds of failure reports (enum xenpv_batch_error_kind). */
#define XENPV_MC_NR_ERR_KINDS	(XENPV_ERR_MULTICALL + 1)

/**
 * struct xenpv_mc_counts - per-CPU counters kept by the multicall glue
 * @entries: multicall entries issued, by hypercall number (direct calls
 *           included)
 * @direct: hypercalls issued directly (not inside a multicall), by number
 * @reports: failure reports, by enum xenpv_batch_error_kind
 */
struct xenpv_mc_counts {
	u64 entries[XENPV_MC_NR_OPS];
	u64 direct[XENPV_MC_NR_OPS];
	u64 reports[XENPV_MC_NR_ERR_KINDS];
};

/* Code addresses remembered per CPU for hypercalls issued outside a batch. */
#define XENPV_DIRECT_CALLERS	24

/**
 * struct xenpv_direct_callers - where the backend's direct hypercalls come from
 * @ip: code address that asked for the hypercall (0: slot unused)
 * @op: its hypercall number
 * @n: how many times
 * @other: calls from addresses that found every slot taken
 */
struct xenpv_direct_callers {
	unsigned long ip[XENPV_DIRECT_CALLERS];
	unsigned int op[XENPV_DIRECT_CALLERS];
	u64 n[XENPV_DIRECT_CALLERS];
	u64 other;
};

void xenpv_mc_read_counters(unsigned int cpu, struct xenpv_batch_stats *stats,
			    struct xenpv_mc_counts *counts);
void xenpv_mc_read_callers(unsigned int cpu, struct xenpv_direct_callers *dc);
void xenpv_count_direct(unsigned int op, unsigned long caller);
const char *xenpv_mc_op_name(unsigned long op);

#endif /* _XEN_XENPV_KGLUE_H */
