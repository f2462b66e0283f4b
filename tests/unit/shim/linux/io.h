/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/io.h>: what Linux's includes. */
#ifndef _SHIM_LINUX_IO_H
#define _SHIM_LINUX_IO_H

#include <asm/io.h>

#endif
