// SPDX-License-Identifier: GPL-2.0
/*
 * Machine-frame level services for drivers: contiguous DMA regions and
 * foreign mappings.
 *
 * Why this file exists: some callers care about *machine* frames, which
 * only this layer can produce:
 *
 *  - swiotlb-xen needs buffers that are contiguous (and below an address
 *    limit) in machine memory.  xen_create_contiguous_region() trades the
 *    frames behind a pseudo-physically contiguous range for one machine
 *    contiguous extent (XENMEM_exchange) and rewires the direct map and
 *    the p2m; xen_destroy_contiguous_region() trades it back;
 *  - privcmd (the toolstack's window into other domains, dom0 only) maps
 *    frames of another domain into a user VMA: xen_remap_pfn();
 *  - kdump needs the machine address of the vmcoreinfo note.
 */
#include <linux/mm.h>
#include <linux/export.h>
#include <linux/spinlock.h>
#include <linux/gfp.h>
#include <linux/panic.h>
#include <linux/sched.h>
#include <linux/vmcore_info.h>

#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>
#include <asm/xen/page.h>
#include <asm/xen/swiotlb-xen.h>
#include <xen/xen.h>
#include <xen/xen-ops.h>
#include <xen/interface/xen.h>
#include <xen/interface/memory.h>

#include "xenpv.h"

/*
 * Frame list for exchanges.  A static page covers regions up to 2 MiB;
 * larger ones get a bigger array once the page allocator works.
 * Serialised, with the exchange itself, by xenpv_contig_lock.
 */
#define XENPV_CONTIG_STATIC_ORDER	9
static DEFINE_SPINLOCK(xenpv_contig_lock);
static unsigned long xenpv_contig_static[1UL << XENPV_CONTIG_STATIC_ORDER];
static unsigned long *xenpv_contig_frames = xenpv_contig_static;
static unsigned int xenpv_contig_order = XENPV_CONTIG_STATIC_ORDER;
static bool xenpv_contig_can_grow;

/**
 * xenpv_contig_init() - allow the exchange frame list to grow (after boot)
 */
void __init xenpv_contig_init(void)
{
	xenpv_contig_can_grow = true;
}

/* Make room for 2^@order frames.  May sleep. */
static int xenpv_contig_grow(unsigned int order)
{
	unsigned int alloc_order = order - XENPV_CONTIG_STATIC_ORDER;
	unsigned long *mem, *old = NULL, flags;
	unsigned int old_order = 0;

	if (!xenpv_contig_can_grow)
		return -ENOMEM;
	mem = (unsigned long *)__get_free_pages(GFP_KERNEL, alloc_order);
	if (!mem)
		return -ENOMEM;

	spin_lock_irqsave(&xenpv_contig_lock, flags);
	if (order > xenpv_contig_order) {
		if (xenpv_contig_frames != xenpv_contig_static) {
			old = xenpv_contig_frames;
			old_order = xenpv_contig_order - XENPV_CONTIG_STATIC_ORDER;
		}
		xenpv_contig_frames = mem;
		xenpv_contig_order = order;
	} else {
		old = mem;		/* somebody else grew it meanwhile */
		old_order = alloc_order;
	}
	spin_unlock_irqrestore(&xenpv_contig_lock, flags);

	if (old)
		free_pages((unsigned long)old, old_order);
	return 0;
}

/*
 * Unmap 2^@order pages at @va and drop them from the p2m.  Records their
 * mfns in @mfns and/or their pfns in @pfns when non-NULL.
 */
static void xenpv_unmap_range(unsigned long va, unsigned int order,
			      unsigned long *mfns, unsigned long *pfns)
{
	unsigned long i, flags;

	flags = xenpv_batch_begin();
	for (i = 0; i < (1UL << order); i++, va += PAGE_SIZE) {
		unsigned long pfn = virt_to_pfn((void *)va);

		if (mfns)
			mfns[i] = pfn_to_mfn(pfn);
		if (pfns)
			pfns[i] = pfn;
		xenpv_batch_update_va(va, 0, UVMF_NONE, _RET_IP_);
		__set_phys_to_machine(pfn, INVALID_P2M_ENTRY);
	}
	xenpv_batch_end(flags, 0);
}

/*
 * Map 2^@order pages at @va onto machine frames: @mfns[i], or @first + i
 * when @mfns is NULL.  Flushes every vCPU's TLB with the last update.
 */
static void xenpv_map_range(unsigned long va, unsigned int order,
			    const unsigned long *mfns, unsigned long first)
{
	unsigned long i, n = 1UL << order, flags;

	flags = xenpv_batch_begin();
	for (i = 0; i < n; i++, va += PAGE_SIZE) {
		unsigned long mfn = mfns ? mfns[i] : first + i;
		unsigned long uvmf = UVMF_NONE;

		if (i == n - 1)
			uvmf = (order ? UVMF_TLB_FLUSH : UVMF_INVLPG) | UVMF_ALL;
		xenpv_batch_update_va(va, mfn_pte(mfn, PAGE_KERNEL).pte, uvmf,
				      _RET_IP_);
		set_phys_to_machine(virt_to_pfn((void *)va), mfn);
	}
	xenpv_batch_end(flags, 0);
}

/*
 * XENMEM_exchange; true when everything was exchanged, false when nothing
 * was (a request whose sizes differ is warned about and not made).  Any
 * other answer leaves it unknown which frames the domain owns: that panics.
 */
static bool xenpv_exchange(unsigned long n_in, unsigned int order_in,
			   unsigned long *in, unsigned long n_out,
			   unsigned int order_out, unsigned long *out,
			   unsigned int address_bits)
{
	struct xen_memory_exchange xchg = {
		.in = {
			.nr_extents = n_in,
			.extent_order = order_in,
			.domid = DOMID_SELF,
		},
		.out = {
			.nr_extents = n_out,
			.extent_order = order_out,
			.address_bits = address_bits,
			.domid = DOMID_SELF,
		},
	};
	long rc;

	set_xen_guest_handle(xchg.in.extent_start, in);
	set_xen_guest_handle(xchg.out.extent_start, out);
	if (WARN_ON_ONCE(n_in << order_in != n_out << order_out))
		return false;

	rc = HYPERVISOR_memory_op(XENMEM_exchange, &xchg);
	/* Xen exchanges all or nothing for these single-extent requests. */
	if (xchg.nr_exchanged != (rc ? 0 : n_in))
		panic("xenpv: XENMEM_exchange returned %ld after exchanging %lu of %lu extents\n",
		      rc, xchg.nr_exchanged, n_in);
	return rc == 0;
}

/**
 * xen_create_contiguous_region() - make a range machine-contiguous
 * @pstart: pseudo-physical start (direct-mapped, 2^@order pages, aligned)
 * @order: size as a page order
 * @address_bits: highest machine address bit allowed (0: no limit)
 * @dma_handle: set to the machine (bus) address of the range
 *
 * The contents are lost (the range is zeroed).
 *
 * Return: 0, or -ENOMEM when Xen had no suitable memory; then the range
 * is backed by its original frames again.
 */
int xen_create_contiguous_region(phys_addr_t pstart, unsigned int order,
				 unsigned int address_bits,
				 dma_addr_t *dma_handle)
{
	unsigned long va = (unsigned long)phys_to_virt(pstart);
	unsigned long flags, extent;
	bool ok;

	if (unlikely(order > xenpv_contig_order) && xenpv_contig_grow(order))
		return -ENOMEM;

	memset((void *)va, 0, PAGE_SIZE << order);
	spin_lock_irqsave(&xenpv_contig_lock, flags);
	xenpv_unmap_range(va, order, xenpv_contig_frames, NULL);
	extent = virt_to_pfn((void *)va);	/* Xen reads the gpfn here */
	ok = xenpv_exchange(1UL << order, 0, xenpv_contig_frames, 1, order,
			    &extent, address_bits);
	if (ok)
		xenpv_map_range(va, order, NULL, extent);
	else
		xenpv_map_range(va, order, xenpv_contig_frames, 0);
	spin_unlock_irqrestore(&xenpv_contig_lock, flags);

	*dma_handle = virt_to_machine((void *)va).maddr;
	return ok ? 0 : -ENOMEM;
}

/**
 * xen_destroy_contiguous_region() - give a contiguous extent back
 * @pstart: pseudo-physical start, as passed to the create call
 * @order: size as a page order
 *
 * The range is backed by ordinary frames again; contents are lost.
 */
void xen_destroy_contiguous_region(phys_addr_t pstart, unsigned int order)
{
	unsigned long va = (unsigned long)phys_to_virt(pstart);
	unsigned long flags, extent;
	bool ok;

	if (unlikely(order > xenpv_contig_order))
		return;

	memset((void *)va, 0, PAGE_SIZE << order);
	spin_lock_irqsave(&xenpv_contig_lock, flags);
	extent = virt_to_mfn((void *)va);
	xenpv_unmap_range(va, order, NULL, xenpv_contig_frames);
	ok = xenpv_exchange(1, order, &extent, 1UL << order, 0,
			    xenpv_contig_frames, 0);
	if (ok)
		xenpv_map_range(va, order, xenpv_contig_frames, 0);
	else
		xenpv_map_range(va, order, NULL, extent);
	spin_unlock_irqrestore(&xenpv_contig_lock, flags);
}

#define XENPV_REMAP_BATCH	16

struct xenpv_remap {
	xen_pfn_t *frame;		/* next frame to map */
	bool same_frame_list;		/* contiguous: increment *frame */
	bool no_translate;
	pgprot_t prot;
	struct mmu_update *u;		/* next update to fill */
};

static int xenpv_remap_one(pte_t *ptep, unsigned long addr, void *data)
{
	struct xenpv_remap *r = data;
	pte_t pte = pte_mkspecial(mfn_pte(*r->frame, r->prot));

	if (r->same_frame_list)
		(*r->frame)++;
	else
		r->frame++;
	r->u->ptr = virt_to_machine(ptep).maddr |
		    (r->no_translate ? MMU_PT_UPDATE_NO_TRANSLATE :
				       MMU_NORMAL_PT_UPDATE);
	r->u->val = pte_val_ma(pte);
	r->u++;
	return 0;
}

/**
 * xen_remap_pfn() - map frames of another domain into a user VMA
 * @vma: a VM_IO | VM_PFNMAP mapping
 * @addr: first user address
 * @frame: the frames (gfns of @domid, or mfns with @no_translate)
 * @nr: number of frames
 * @err_ptr: per-frame result (0 or -errno), may alias @frame; NULL means
 *           @frame points to the first of @nr contiguous frames and the
 *           first error stops the mapping
 * @prot: protection
 * @domid: owner of the frames
 * @no_translate: @frame holds machine frames
 *
 * Return: the number of frames mapped, or -errno (with @err_ptr: -ENOENT
 * if any frame was paged out, so the caller retries).  A @vma that is not
 * VM_IO | VM_PFNMAP is warned about and gets -EINVAL.
 */
int xen_remap_pfn(struct vm_area_struct *vma, unsigned long addr,
		  xen_pfn_t *frame, int nr, int *err_ptr, pgprot_t prot,
		  unsigned int domid, bool no_translate)
{
	struct mmu_update upd[XENPV_REMAP_BATCH];
	struct xenpv_remap r = {
		.frame = frame,
		.same_frame_list = !err_ptr,
		.no_translate = no_translate,
		.prot = prot,
	};
	int mapped = 0, rc = 0;
	bool paged_out = false;

	if (WARN_ON_ONCE((vma->vm_flags & (VM_PFNMAP | VM_IO)) !=
			 (VM_PFNMAP | VM_IO)))
		return -EINVAL;

	while (nr > 0) {
		int batch = min(nr, XENPV_REMAP_BATCH);
		unsigned long len = (unsigned long)batch << PAGE_SHIFT;
		int pos = 0;

		r.u = upd;
		rc = apply_to_page_range(vma->vm_mm, addr, len, xenpv_remap_one,
					 &r);
		if (rc)
			goto out;

		/* The batch's frames are consumed: err_ptr may be written. */
		while (pos < batch) {
			int done = 0, i;

			xenpv_direct_count(__HYPERVISOR_mmu_update, _RET_IP_);
			rc = HYPERVISOR_mmu_update(&upd[pos], batch - pos,
						   &done, domid);
			if (err_ptr)
				for (i = pos; i < pos + done; i++)
					err_ptr[i] = 0;
			mapped += done;
			pos += done;
			if (rc >= 0)
				break;
			if (!err_ptr)
				goto out;
			err_ptr[pos] = rc;	/* record and skip this frame */
			paged_out |= rc == -ENOENT;
			pos++;
		}
		rc = 0;
		nr -= batch;
		addr += len;
		if (err_ptr)
			err_ptr += batch;
		cond_resched();
	}
out:
	xenpv_flush_tlb_all();
	if (rc < 0)
		return rc;
	return paged_out ? -ENOENT : mapped;
}
EXPORT_SYMBOL_GPL(xen_remap_pfn);

#ifdef CONFIG_VMCORE_INFO
/**
 * paddr_vmcoreinfo_note() - address of the vmcoreinfo note for kdump
 *
 * Return: a machine address on PV, a physical one otherwise.
 */
phys_addr_t paddr_vmcoreinfo_note(void)
{
	if (xen_pv_domain())
		return virt_to_machine(vmcoreinfo_note).maddr;
	return __pa(vmcoreinfo_note);
}
#endif
