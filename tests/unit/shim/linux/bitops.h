/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/bitops.h>: what mm/ uses of it. */
#ifndef _SHIM_LINUX_BITOPS_H
#define _SHIM_LINUX_BITOPS_H
#define BITS_PER_TYPE(t)	(sizeof(t) * 8)
#define BITS_TO_LONGS(n)	(((n) + BITS_PER_TYPE(long) - 1) / BITS_PER_TYPE(long))
#endif
