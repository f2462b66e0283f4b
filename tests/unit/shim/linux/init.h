/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/init.h>: no init sections here. */
#ifndef _SHIM_LINUX_INIT_H
#define _SHIM_LINUX_INIT_H
#define __init
#define __initdata
/* Initcalls are called by hand, if at all. */
#define early_initcall(fn) \
	static int (*__initcall_##fn)(void) __attribute__((unused)) = fn
#endif
