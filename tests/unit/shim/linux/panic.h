/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/panic.h>: the message, then abort(). */
#ifndef _SHIM_LINUX_PANIC_H
#define _SHIM_LINUX_PANIC_H

#include <stdio.h>
#include <stdlib.h>

#define panic(fmt, ...) do {						\
	fprintf(stderr, "panic: " fmt, ##__VA_ARGS__);			\
	abort();							\
} while (0)

#endif
