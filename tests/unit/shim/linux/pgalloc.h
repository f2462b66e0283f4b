/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/pgalloc.h>: what Linux's includes. */
#ifndef _SHIM_LINUX_PGALLOC_H
#define _SHIM_LINUX_PGALLOC_H

#include <linux/pgtable.h>
#include <asm/pgalloc.h>

#endif
