/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/bug.h>: warnings are counted for tests. */
#ifndef _SHIM_LINUX_BUG_H
#define _SHIM_LINUX_BUG_H

#include <stdio.h>
#include <stdlib.h>

extern unsigned long shim_warnings;

#define WARN_ON_ONCE(cond) ({						\
	int __c = !!(cond);						\
	if (__c) {							\
		shim_warnings++;					\
		fprintf(stderr, "WARNING at %s:%d: %s\n", __FILE__,	\
			__LINE__, #cond);				\
	}								\
	__c; })
#define WARN_ON(cond)	WARN_ON_ONCE(cond)
#define BUG_ON(cond)	do { if (cond) abort(); } while (0)
#define BUG()		abort()

#endif
