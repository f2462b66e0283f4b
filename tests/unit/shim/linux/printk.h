/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/printk.h>: errors go to stderr, counted. */
#ifndef _SHIM_LINUX_PRINTK_H
#define _SHIM_LINUX_PRINTK_H

#include <stdio.h>

extern unsigned long shim_pr_errs;

#define pr_err(fmt, ...) do {						\
	shim_pr_errs++;							\
	fprintf(stderr, fmt, ##__VA_ARGS__);				\
} while (0)

#endif
