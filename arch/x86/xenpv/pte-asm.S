/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The common case of the entry translation hooks, without a thunk.
 *
 * Why this file exists: generic mm reads entries through pte_val(),
 * pmd_val() and the like many times per fault (pmd_none(), pmd_bad(),
 * pmd_trans_huge() ... each translates the value again), and every read is
 * a pv-op call whose call site expects only %rax to change.  A hook written
 * in C needs a thunk that saves and restores nine registers around a
 * translation of a few loads.  These two functions do the common case, a
 * present entry naming one of our own frames, with one or two scratch
 * registers, and hand every other case to the C hooks in pte.c, which give
 * the same answer: a frame the machine-to-phys table does not map back to
 * us (foreign, identity, I/O), a pfn past the linear p2m list or without a
 * frame (ballooned), a hole in the M2P (the read faults; the exception
 * table sends it to the C hook).
 *
 * A PV guest's entries keep the frame number in bits 12-51 whatever the
 * kernel's physical mask (Xen's ABI); hooks.c installs these only when the
 * kernel's PTE_PFN_MASK is the same.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/page_types.h>

/* Bits 12-51 as a number: (val << 12) >> 24. */
#define FRAME_LSHIFT	12
#define FRAME_RSHIFT	24
/* Everything but bits 12-51: the flags and the NX bit. */
#define FLAGS_MASK	0xfff0000000000fff
/* The p2m's marks on a frame: identity (bit 62), foreign (63), both: none. */
#define P2M_MARK_SHIFT	62

/*
 * xenpv_val_to_pseudo_fast - machine-format entry in %rdi to pseudo-physical
 * in %rax (the pte_val, pmd_val, pud_val, p4d_val, pgd_val hooks)
 */
SYM_FUNC_START(xenpv_val_to_pseudo_fast)
	mov	%rdi, %rax
	test	$1, %al				/* _PAGE_PRESENT */
	jz	.Lpseudo_done
	push	%rdx
	push	%rcx
	mov	%rdi, %rdx
	shl	$FRAME_LSHIFT, %rdx
	shr	$FRAME_RSHIFT, %rdx		/* mfn */
	cmp	machine_to_phys_nr(%rip), %rdx
	jae	.Lpseudo_slow
	mov	machine_to_phys_mapping(%rip), %rcx
.Lpseudo_m2p:
	mov	(%rcx, %rdx, 8), %rax		/* pfn, if the M2P has it */
	_ASM_EXTABLE(.Lpseudo_m2p, .Lpseudo_slow)
	cmp	xen_p2m_size(%rip), %rax
	jae	.Lpseudo_slow
	mov	xen_p2m_addr(%rip), %rcx
	cmp	(%rcx, %rax, 8), %rdx		/* ours only if the p2m maps it back */
	jne	.Lpseudo_slow
	shl	$PAGE_SHIFT, %rax
	movabs	$FLAGS_MASK, %rcx
	and	%rdi, %rcx
	or	%rcx, %rax
	pop	%rcx
	pop	%rdx
.Lpseudo_done:
	RET
.Lpseudo_slow:
	pop	%rcx
	pop	%rdx
	jmp	__raw_callee_save_xenpv_pte_val
SYM_FUNC_END(xenpv_val_to_pseudo_fast)

/*
 * xenpv_val_to_machine_fast - pseudo-physical entry in %rdi to machine
 * format in %rax (the make_pte, make_pmd, make_pud, make_p4d, make_pgd
 * hooks)
 */
SYM_FUNC_START(xenpv_val_to_machine_fast)
	mov	%rdi, %rax
	test	$1, %al				/* _PAGE_PRESENT */
	jz	.Lmachine_done
	push	%rdx
	mov	%rdi, %rdx
	shl	$FRAME_LSHIFT, %rdx
	shr	$FRAME_RSHIFT, %rdx		/* pfn */
	cmp	xen_p2m_size(%rip), %rdx
	jae	.Lmachine_slow
	mov	xen_p2m_addr(%rip), %rax
	mov	(%rax, %rdx, 8), %rax		/* mfn and the p2m's marks */
	mov	%rax, %rdx
	shr	$P2M_MARK_SHIFT, %rdx
	jnz	.Lmachine_slow
	shl	$PAGE_SHIFT, %rax
	movabs	$FLAGS_MASK, %rdx
	and	%rdi, %rdx
	or	%rdx, %rax
	pop	%rdx
.Lmachine_done:
	RET
.Lmachine_slow:
	pop	%rdx
	jmp	__raw_callee_save_xenpv_make_pte
SYM_FUNC_END(xenpv_val_to_machine_fast)
