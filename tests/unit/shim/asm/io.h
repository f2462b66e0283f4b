/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <asm/io.h>: nothing used from it. */
#ifndef _SHIM_ASM_IO_H
#define _SHIM_ASM_IO_H
#endif
