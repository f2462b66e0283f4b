/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/irqflags.h>: no interrupts, but the state
 * is tracked so tests can check that every save has its restore.
 */
#ifndef _SHIM_LINUX_IRQFLAGS_H
#define _SHIM_LINUX_IRQFLAGS_H

extern unsigned long shim_irqs_off;

#define local_irq_save(flags) do {					\
	(flags) = shim_irqs_off;					\
	shim_irqs_off = 1;						\
} while (0)
#define local_irq_restore(flags)	(shim_irqs_off = (flags))

#endif
