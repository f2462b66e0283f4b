/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/cpumask.h>.  The hooks harness is one CPU
 * (CPU 0): only it is online.
 */
#ifndef _SHIM_LINUX_CPUMASK_H
#define _SHIM_LINUX_CPUMASK_H

#include <linux/types.h>

struct cpumask {
	unsigned long bits[1];
};
typedef struct cpumask cpumask_var_t[1];

#define SHIM_NR_CPUS		1
#define for_each_possible_cpu(cpu) \
	for ((cpu) = 0; (cpu) < SHIM_NR_CPUS; (cpu)++)
#define for_each_online_cpu(cpu)	for_each_possible_cpu(cpu)

extern const struct cpumask shim_cpu_masks[SHIM_NR_CPUS];
#define cpumask_of(cpu)		(&shim_cpu_masks[(cpu)])

static inline bool cpumask_equal(const struct cpumask *a,
				 const struct cpumask *b)
{
	return a->bits[0] == b->bits[0];
}

static inline bool cpumask_empty(const struct cpumask *m)
{
	return !m->bits[0];
}

static inline void cpumask_clear(struct cpumask *m)
{
	m->bits[0] = 0;
}

static inline void cpumask_set_cpu(unsigned int cpu, struct cpumask *m)
{
	m->bits[0] |= 1UL << cpu;
}

static inline bool alloc_cpumask_var(cpumask_var_t *m, unsigned int gfp)
{
	return true;
}

static inline void free_cpumask_var(cpumask_var_t m)
{
}

#endif
