// SPDX-License-Identifier: GPL-2.0
/*
 * true.c - xenpv-true, the smallest static program for exec loops.
 *
 * Why this file exists: exec loops should measure the MMU work of building
 * and tearing down an address space, not a C library's start-up.  Built
 * with -nostdlib: one text page, one data page, one system call.  The exit
 * status is read from .data, so a data page mapped at the wrong frame shows
 * up as a non-zero status instead of a silent pass.
 */

static volatile int xt_true_magic = 0x5a17c0de;

/**
 * _start() - program entry: exit(magic ^ 0x5a17c0de), i.e. 0 when intact.
 */
void __attribute__((noreturn)) _start(void)
{
	long code = xt_true_magic ^ 0x5a17c0de;

	for (;;)
		__asm__ volatile("syscall" : : "a"(231L), "D"(code)
				 : "rcx", "r11", "memory");
}
