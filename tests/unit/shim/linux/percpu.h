/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/percpu.h>: the hooks harness is one CPU, so
 * a per-CPU variable is a plain global.
 */
#ifndef _SHIM_LINUX_PERCPU_H
#define _SHIM_LINUX_PERCPU_H

#include <linux/bug.h>
#include <linux/smp.h>

#define DECLARE_PER_CPU(type, name)	extern __typeof__(type) name
#define DEFINE_PER_CPU(type, name)	__typeof__(type) name
#define this_cpu_read(var)		(var)
#define this_cpu_write(var, val)	((var) = (val))
#define this_cpu_inc_return(var)	(++(var))
#define this_cpu_ptr(ptr)		(ptr)
#define per_cpu_ptr(ptr, cpu)		((void)(cpu), (ptr))
#define per_cpu(var, cpu)		(*((void)(cpu), &(var)))

#endif
