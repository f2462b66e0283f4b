/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/errno.h> (same values on x86-64 Linux). */
#ifndef _SHIM_LINUX_ERRNO_H
#define _SHIM_LINUX_ERRNO_H
#include_next <linux/errno.h>
#endif
