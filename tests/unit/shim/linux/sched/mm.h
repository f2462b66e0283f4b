/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/sched/mm.h>: nothing used from it. */
#ifndef _SHIM_LINUX_SCHED_MM_H
#define _SHIM_LINUX_SCHED_MM_H
#include <linux/mm_types.h>
#endif
