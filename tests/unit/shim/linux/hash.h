/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/hash.h>: the multiplicative hash. */
#ifndef _SHIM_LINUX_HASH_H
#define _SHIM_LINUX_HASH_H

#include <stdint.h>

static inline unsigned int hash_long(unsigned long val, unsigned int bits)
{
	return (unsigned int)((val * 0x61C8864680B583EBull) >> (64 - bits));
}

#endif
