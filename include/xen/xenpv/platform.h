/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Platform hooks of the xenpv core data structures.
 *
 * mm/p2m.c and mm/batch.c are compiled unchanged into two worlds: the Linux
 * kernel (arch/x86/xenpv glue) and the userspace unit-test harness
 * (tests/unit).  Everything that differs between the two - how a page is
 * allocated, how a page is mapped into the p2m virtual area, how a hypercall
 * is issued, which batch belongs to the current CPU - goes through the small
 * set of functions declared here.  Each world provides exactly one
 * definition of every hook; the core never tests which world it runs in.
 *
 * Context rules that every implementation must honour are given per hook.
 */
#ifndef _XEN_XENPV_PLATFORM_H
#define _XEN_XENPV_PLATFORM_H

#include <linux/types.h>
#include <linux/gfp.h>

struct multicall_entry;
struct xenpv_batch;
struct xenpv_batch_error;

/* ---- p2m hooks ---------------------------------------------------------- */

/**
 * xenpv_p2m_plat_alloc() - allocate zeroed, page-aligned memory for the p2m
 * @size: bytes; PAGE_SIZE except for the one metadata array built at boot
 * @gfp: GFP_KERNEL (may sleep) or GFP_ATOMIC (must not sleep)
 *
 * The memory must be an ordinary, directly mapped RAM page (never a page
 * table) because its mfn may be handed to the toolstack.
 *
 * Return: the memory, or NULL on failure (never crash).
 */
void *xenpv_p2m_plat_alloc(size_t size, gfp_t gfp);

/**
 * xenpv_p2m_plat_free() - give back memory from xenpv_p2m_plat_alloc()
 * @p: the memory (never NULL)
 * @size: the size it was allocated with
 */
void xenpv_p2m_plat_free(void *p, size_t size);

/**
 * xenpv_p2m_plat_reserve_area() - reserve the virtual area of the final p2m
 * @bytes: size, a multiple of the span of one mid (2 MiB on x86-64)
 *
 * Called once, at boot.  The area must be aligned to the mid span and must
 * stay reserved for the life of the kernel.  Nothing is mapped yet.
 *
 * Return: the start of the area or NULL.
 */
unsigned long *xenpv_p2m_plat_reserve_area(unsigned long bytes);

/**
 * xenpv_p2m_plat_release_area() - undo xenpv_p2m_plat_reserve_area()
 * @area: the start of the area
 * @bytes: its size
 *
 * Only used when building the final list failed (and by the harness).
 */
void xenpv_p2m_plat_release_area(unsigned long *area, unsigned long bytes);

/**
 * xenpv_p2m_plat_map_whole() - map all 512 leaf slots of a mid to one page
 * @mid: index of the mid (span of 512 leaves) in the p2m area
 * @page: the shared, read-only "missing" or "identity" leaf page
 *
 * Read-only.  Used at build time for mids that have no private leaf.
 * Kernel: point the PMD at a shared read-only PTE page.  Called with the
 * p2m lock held: must not sleep.
 *
 * Return: 0 or a negative errno.
 */
int xenpv_p2m_plat_map_whole(unsigned long mid, void *page);

/**
 * xenpv_p2m_plat_split() - make the leaf slots of a mid individually mappable
 * @mid: index of the mid
 * @ptpage: a zeroed page from xenpv_p2m_plat_alloc() that the platform may
 *          use as the page-table page of this mid; it belongs to the
 *          platform from now on until xenpv_p2m_plat_unmap() is called
 *
 * Every slot keeps mapping what it mapped before (readers must never see a
 * hole).  Called with the p2m lock held: must not sleep.
 *
 * Return: 0 or a negative errno (the mid is then left as it was).
 */
int xenpv_p2m_plat_split(unsigned long mid, void *ptpage);

/**
 * xenpv_p2m_plat_map_leaf() - map one leaf slot of a split mid
 * @leaf: index of the leaf slot in the p2m area (pfn / 512)
 * @page: the page to show there
 * @writable: true for a private leaf, false for a shared one
 *
 * Must replace the old mapping atomically and make sure no CPU keeps using
 * a stale translation for writes (kernel: update_va_mapping with
 * UVMF_INVLPG|UVMF_ALL).  Called with the p2m lock held: must not sleep.
 *
 * Return: 0 or a negative errno (the slot is then unchanged).
 */
int xenpv_p2m_plat_map_leaf(unsigned long leaf, void *page, bool writable);

/**
 * xenpv_p2m_plat_unmap() - unmap a whole mid (failure unwinding only)
 * @mid: index of the mid
 * @ptpage: the page given to xenpv_p2m_plat_split(), or NULL if the mid was
 *          never split; after the call the core frees it
 */
void xenpv_p2m_plat_unmap(unsigned long mid, void *ptpage);

/**
 * xenpv_p2m_plat_virt_to_mfn() - machine frame of a page from the alloc hook
 * @p: the page
 *
 * Kernel: virt_to_mfn().  Used for the toolstack's frame-list-list, also
 * inside stop_machine after resume: must not sleep or allocate.
 *
 * Return: the mfn.
 */
unsigned long xenpv_p2m_plat_virt_to_mfn(const void *p);

/**
 * xenpv_p2m_plat_extra_mem() - p2m value of a pfn beyond the flat list
 * @pfn: pfn with xen_p2m_size <= pfn < xen_max_p2m_pfn (flat phase only)
 *
 * Kernel: xen_chk_extra_mem() from setup.c.
 *
 * Return: INVALID_P2M_ENTRY for planned extra memory, else IDENTITY_FRAME(pfn).
 */
unsigned long xenpv_p2m_plat_extra_mem(unsigned long pfn);

/**
 * xenpv_p2m_plat_generation() - publish the p2m mapping generation
 * @gen: the new value; odd while the mapping of the p2m is being changed
 *
 * Kernel: store into HYPERVISOR_shared_info->arch.p2m_generation.  The core
 * orders the stores with smp_wmb() around the mapping change.  Called with
 * the p2m lock held.
 */
void xenpv_p2m_plat_generation(unsigned long gen);

/**
 * xenpv_p2m_plat_max_pfn() - publish a raised highest-pfn-plus-one
 * @max_pfn: the new value
 *
 * Kernel: store into HYPERVISOR_shared_info->arch.max_pfn.
 */
void xenpv_p2m_plat_max_pfn(unsigned long max_pfn);

/* ---- batch hooks -------------------------------------------------------- */

/**
 * xenpv_batch_plat_this_cpu() - the batch of the calling CPU
 *
 * Kernel: this_cpu_ptr() of a per-CPU struct xenpv_batch.  Callers of the
 * batch API run with preemption disabled, so the pointer stays valid.
 *
 * Return: the batch.
 */
struct xenpv_batch *xenpv_batch_plat_this_cpu(void);

/**
 * xenpv_batch_plat_lazy_mode() - lazy modes the calling CPU is in
 *
 * Kernel: xen_get_lazy_mode() (XEN_LAZY_NONE outside lazy mode and in
 * interrupt context).
 *
 * Return: a mask of the kernel's enum xen_lazy_mode values.
 */
unsigned int xenpv_batch_plat_lazy_mode(void);

/**
 * xenpv_batch_plat_multicall() - HYPERVISOR_multicall(@mc, @nr)
 * @mc: the entries; Xen writes each entry's result
 * @nr: number of entries (at least 2)
 *
 * Return: the hypercall's own return value.
 */
long xenpv_batch_plat_multicall(struct multicall_entry *mc, unsigned int nr);

/**
 * xenpv_batch_plat_single() - issue one entry as a direct hypercall
 * @mc: the entry; the hook stores the hypercall's return value in
 *      @mc->result (kernel: xen_single_call(mc->op, mc->args[0..4]))
 *
 * Covers mmu_update, mmuext_op, update_va_mapping and anything else that
 * Linux queues with __xen_mc_entry().
 */
void xenpv_batch_plat_single(struct multicall_entry *mc);

/**
 * xenpv_batch_plat_report() - report one failed or unapplied operation
 * @err: what failed, with Xen's result and who queued it; only valid during
 *       the call
 *
 * Kernel: pr_err with %pS of err->caller plus a rate-limited WARN.  Called
 * while the batch is being completed: must not queue new batch work.
 */
void xenpv_batch_plat_report(const struct xenpv_batch_error *err);

#endif /* _XEN_XENPV_PLATFORM_H */
