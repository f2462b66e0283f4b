/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/smp.h>: one CPU, so there is never another
 * CPU to call (the harness BUGs if asked to).
 */
#ifndef _SHIM_LINUX_SMP_H
#define _SHIM_LINUX_SMP_H

#include <linux/preempt.h>
#include <linux/cpumask.h>

#define smp_processor_id()	0U
#define get_cpu()		({ preempt_disable(); smp_processor_id(); })
#define put_cpu()		preempt_enable()

int smp_call_function_single(int cpu, void (*fn)(void *info), void *info,
			     int wait);
void smp_call_function_many(const struct cpumask *mask,
			    void (*fn)(void *info), void *info, bool wait);

#endif
