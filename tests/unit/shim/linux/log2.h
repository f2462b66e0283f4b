/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/log2.h>: ilog2 of a constant. */
#ifndef _SHIM_LINUX_LOG2_H
#define _SHIM_LINUX_LOG2_H

#define ilog2(n)	(63 - __builtin_clzll((unsigned long long)(n)))

#endif
