// SPDX-License-Identifier: GPL-2.0
/*
 * Single kernel mappings changed through Xen: fixmaps, read-only pages.
 *
 * Why this file exists: a few kernel mappings are changed one page at a
 * time, outside any page-table walk, by code that knows only a virtual
 * address: fixmap slots (early_ioremap, shared_info, vsyscall, APIC),
 * descriptor tables that Xen requires read-only (GDT, LDT) and boot-time
 * peeks at arbitrary machine frames (setup.c's E820 remapping).  All of
 * them use update_va_mapping, which edits the mapping of a linear address
 * in the current address space and flushes it, in one hypercall.
 */
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/panic.h>
#include <linux/pgtable.h>

#include <asm/fixmap.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>
#include <asm/xen/page.h>
#include <xen/interface/xen.h>

#include "xenpv.h"

/* Local APIC and IO-APIC slots map this page of 0xff: access is via Xen. */
static unsigned char xenpv_dummy_page[PAGE_SIZE] __page_aligned_bss;

/**
 * xenpv_init_dummy_page() - fill the page mapped in place of APIC registers
 */
void __init xenpv_init_dummy_page(void)
{
	memset(xenpv_dummy_page, 0xff, PAGE_SIZE);
}

/*
 * Change the write permission of the kernel mapping of @vaddr, if mapped.
 * If Xen refuses, the failure is reported and the mapping stays as it was.
 */
static void xenpv_lowmem_set_rw(void *vaddr, bool writable, unsigned long caller)
{
	unsigned long va = (unsigned long)vaddr;
	unsigned int level;
	pte_t *ptep = lookup_address(va, &level);
	pte_t pte;

	if (!ptep)
		return;
	pte = writable ? pte_mkwrite_novma(*ptep) : pte_wrprotect(*ptep);
	xenpv_direct_update_va(va, pte, UVMF_NONE, caller);
}

/**
 * make_lowmem_page_readonly() - map a kernel page read-only
 * @vaddr: its address; nothing happens if it is not mapped
 *
 * If Xen refuses, the failure is reported and the page stays writable;
 * Xen will then refuse to use it as a descriptor or page table as well.
 */
void make_lowmem_page_readonly(void *vaddr)
{
	xenpv_lowmem_set_rw(vaddr, false, _RET_IP_);
}

/**
 * make_lowmem_page_readwrite() - map a kernel page writable again
 * @vaddr: its address; nothing happens if it is not mapped
 *
 * If Xen refuses, the failure is reported and the page stays read-only:
 * a later write to it faults rather than reaching memory.
 */
void make_lowmem_page_readwrite(void *vaddr)
{
	xenpv_lowmem_set_rw(vaddr, true, _RET_IP_);
}

/**
 * set_pte_mfn() - map a kernel address to an explicit machine frame
 * @vaddr: the address (its page table must exist)
 * @mfn: the machine frame
 * @flags: protection
 *
 * Boot only.  A refusal is reported and then panics: the caller would
 * otherwise write through the frame mapped there before.
 */
void __init set_pte_mfn(unsigned long vaddr, unsigned long mfn, pgprot_t flags)
{
	if (xenpv_direct_update_va(vaddr, mfn_pte(mfn, flags), UVMF_INVLPG,
				   _RET_IP_))
		panic("xenpv: Xen refused to map mfn %#lx at %#lx\n", mfn, vaddr);
}

/**
 * xenpv_set_fixmap() - the set_fixmap hook
 * @idx: fixmap slot
 * @phys: a pseudo-physical address for early_ioremap and vsyscall slots,
 *        a machine address for every other slot
 * @prot: protection
 *
 * If Xen refuses, the failure is reported and the slot is left unmapped,
 * so that a use of it faults instead of reaching the frame mapped there
 * before.
 */
void xenpv_set_fixmap(unsigned int idx, phys_addr_t phys, pgprot_t prot)
{
	unsigned long va = __fix_to_virt(idx);
	unsigned long frame = phys >> PAGE_SHIFT;
	pte_t pte;

	switch (idx) {
	case FIX_BTMAP_END ... FIX_BTMAP_BEGIN:
#ifdef CONFIG_X86_VSYSCALL_EMULATION
	case VSYSCALL_PAGE:
#endif
		pte = pfn_pte(frame, prot);
		break;
#ifdef CONFIG_X86_LOCAL_APIC
	case FIX_APIC_BASE:
		pte = pfn_pte(PFN_DOWN(__pa(xenpv_dummy_page)), PAGE_KERNEL);
		break;
#endif
#ifdef CONFIG_X86_IO_APIC
	case FIX_IO_APIC_BASE_0 ... FIX_IO_APIC_BASE_END:
		pte = pfn_pte(PFN_DOWN(__pa(xenpv_dummy_page)), PAGE_KERNEL);
		break;
#endif
	default:
		/* shared_info (FIX_PARAVIRT_BOOTMAP) and hardware mappings */
		pte = mfn_pte(frame, prot);
		break;
	}

	if (xenpv_direct_update_va(va, pte, UVMF_INVLPG, _RET_IP_)) {
		xenpv_direct_update_va(va, __pte(0), UVMF_INVLPG, _RET_IP_);
		return;
	}

#ifdef CONFIG_X86_VSYSCALL_EMULATION
	/* User code sees the vsyscall page through the user-only L3. */
	if (idx == VSYSCALL_PAGE)
		set_pte_vaddr_pud(xenpv_vsyscall_l3, va, pte);
#endif
}
