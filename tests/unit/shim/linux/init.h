/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/init.h>: no init sections here. */
#ifndef _SHIM_LINUX_INIT_H
#define _SHIM_LINUX_INIT_H
#define __init
#define __initdata
#endif
