/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/preempt.h>: a counter tests can check. */
#ifndef _SHIM_LINUX_PREEMPT_H
#define _SHIM_LINUX_PREEMPT_H

#include <linux/irqflags.h>

extern int shim_preempt_count;

#define preempt_disable()	(shim_preempt_count++)
#define preempt_enable()	(shim_preempt_count--)
#define preemptible()		(!shim_preempt_count && !shim_irqs_off)

#endif
