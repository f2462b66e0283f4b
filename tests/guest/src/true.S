/* SPDX-License-Identifier: GPL-2.0 */
/*
 * true.S - xenpv-true, the smallest static program for exec loops.
 *
 * Why this file exists: exec loops should measure the MMU work of building
 * and tearing down an address space, not a C library's start-up.  No libc:
 * one text page, one data page, one system call.  The exit status is read
 * from .data, so a data page mapped at the wrong frame shows up as a
 * non-zero status (or a crash) instead of a silent pass.
 */

	.data
	.balign 4
magic:
	.long	0x5a17c0de

	.text
	.globl	_start
_start:
	movl	magic(%rip), %edi
	xorl	$0x5a17c0de, %edi	/* 0 when .data arrived intact */
	movl	$231, %eax		/* exit_group */
	syscall
	hlt

	.section .note.GNU-stack, "", @progbits
