/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/cache.h>. */
#ifndef _SHIM_LINUX_CACHE_H
#define _SHIM_LINUX_CACHE_H
#define __read_mostly
#endif
