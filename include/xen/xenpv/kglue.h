/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenpv kernel glue: what the backend's kernel side offers its debugfs
 * view beyond the core API (batch.h, p2m.h).
 *
 * Only the kernel includes this header; the userspace harness never does.
 * It lets drivers/xen/xenpv-debugfs.c read the per-CPU counters of the
 * batch (arch/x86/xenpv/multicall.c) and of the hypercalls issued outside
 * it (arch/x86/xenpv/direct.c) without knowing where they live, and arm
 * the p2m's allocation failures (arch/x86/xenpv/p2m-glue.c).
 */
#ifndef _XEN_XENPV_KGLUE_H
#define _XEN_XENPV_KGLUE_H

#include <linux/types.h>
#include <xen/xenpv/batch.h>

/*
 * Code addresses remembered per CPU for hypercalls issued outside a batch:
 * a hash table (power of two), so slots in use need not be contiguous.
 */
#define XENPV_DIRECT_CALLERS	128

/**
 * struct xenpv_direct_stats - hypercalls issued outside the batch
 * @op: by hypercall number (see XENPV_NR_OPS)
 * @ip: code address that asked for the hypercall (0: slot unused), hashed
 * @ip_op: its hypercall number
 * @n: how many times
 * @other: calls from addresses that found every slot taken
 */
struct xenpv_direct_stats {
	u64 op[XENPV_NR_OPS];
	unsigned long ip[XENPV_DIRECT_CALLERS];
	unsigned int ip_op[XENPV_DIRECT_CALLERS];
	u64 n[XENPV_DIRECT_CALLERS];
	u64 other;
};

void xenpv_mc_read_stats(unsigned int cpu, struct xenpv_batch_stats *stats);
void xenpv_direct_read_stats(unsigned int cpu, struct xenpv_direct_stats *ds);
unsigned long xenpv_direct_failures(void);
void xenpv_p2m_fail_allocs_set(unsigned int n);
unsigned int xenpv_p2m_fail_allocs_left(void);

#endif /* _XEN_XENPV_KGLUE_H */
