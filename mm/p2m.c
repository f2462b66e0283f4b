// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv p2m: the guest's pfn -> mfn list.
 *
 * Why this file exists: a PV guest owns the translation from its
 * pseudo-physical frames to machine frames.  Linux reads it from inline code
 * (asm/xen/page.h) as a plain pfn-indexed array, so the list must be one
 * virtually contiguous array that can be read without faulting for every
 * pfn below xen_p2m_size, even when most of a 512 GiB hotplug-sized range
 * holds nothing.
 *
 * Design (details in mm/README):
 *
 * - Flat phase.  From xen_start_kernel() until the page allocator works the
 *   list is the domain builder's array (start_info->mfn_list), read and
 *   written in place.
 *
 * - Final phase.  xenpv_p2m_build() reserves a virtual area sized for the
 *   balloon/hotplug maximum and maps it leaf by leaf (one leaf = one page =
 *   512 entries).  Leaves that are entirely INVALID map one shared
 *   read-only "missing" page, leaves that are entirely 1:1 map one shared
 *   read-only "identity" page; both pages read ~0 everywhere, and
 *   get_phys_to_machine() tells them apart.  A mid (512 leaves, one PMD)
 *   whose leaves are all shared is mapped whole; it is split into per-leaf
 *   mappings the first time one of its leaves needs a private page.
 *
 * - Whether a leaf is shared is decided from our own per-leaf metadata
 *   (struct p2m_mid), never by catching a write fault.  A private leaf
 *   never becomes shared again, so the lock-free readers and
 *   __set_phys_to_machine() only ever see a leaf turn private.
 *
 * - The toolstack's 3-level frame-list-list (top page -> mid pages -> leaf
 *   mfns) is kept up to date when leaves are installed, and can be
 *   rewritten in place after resume without allocating.
 *
 * - Every change of the *mapping* of the list is bracketed by two
 *   increments of the p2m generation (odd while changing), published
 *   through xenpv_p2m_plat_generation() for tools that walk the list
 *   through the guest's page tables during live migration.
 */

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/compiler.h>
#include <linux/spinlock.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/cache.h>
#include <asm/xen/page.h>

#include <xen/xenpv/p2m.h>
#include <xen/xenpv/platform.h>

unsigned long *xen_p2m_addr __read_mostly;
EXPORT_SYMBOL_GPL(xen_p2m_addr);
unsigned long xen_p2m_size __read_mostly;
EXPORT_SYMBOL_GPL(xen_p2m_size);
unsigned long xen_max_p2m_pfn __read_mostly;
EXPORT_SYMBOL_GPL(xen_max_p2m_pfn);

/*
 * One mid: 512 leaf slots, one PMD of the area, one frame-list mid page.
 * @leaf is NULL while every slot maps @whole (the mid is mapped whole);
 * once split, @leaf[i] is the page mapped at slot i (a private page or one
 * of the two shared pages) and @whole stays as the page the split started
 * from.  @mfns is the toolstack's mid page (split mids below 512 GiB only).
 */
struct p2m_mid {
	void **leaf;
	void *whole;
	unsigned long *mfns;
	void *ptpage;
	bool mapped;
};

static DEFINE_SPINLOCK(p2m_lock);

static struct {
	enum xenpv_p2m_phase phase;
	unsigned long *area;
	unsigned long area_pfns;
	unsigned long nr_mids;
	struct p2m_mid *mids;
	size_t mids_bytes;
	unsigned long *missing;
	unsigned long *identity;
	unsigned long *top;
	unsigned long *mid_missing;
	unsigned long last_pfn;
	unsigned long generation;
	struct xenpv_p2m_stats stats;
} p2m;

static inline unsigned long leaf_of(unsigned long pfn)
{
	return pfn / XENPV_P2M_PER_LEAF;
}

static inline unsigned long mid_of(unsigned long pfn)
{
	return pfn / XENPV_P2M_PER_MID;
}

static inline unsigned long slot_of(unsigned long pfn)
{
	return leaf_of(pfn) % XENPV_P2M_LEAVES_PER_MID;
}

static inline bool page_is_shared(const void *page)
{
	return page == p2m.missing || page == p2m.identity;
}

/* What the entry of @pfn means while its leaf maps the shared @page. */
static unsigned long shared_entry(const void *page, unsigned long pfn)
{
	return page == p2m.identity ? IDENTITY_FRAME(pfn) : INVALID_P2M_ENTRY;
}

/* The page currently mapped at @pfn's leaf slot (final phase only). */
static void *leaf_page(unsigned long pfn)
{
	struct p2m_mid *mid = &p2m.mids[mid_of(pfn)];
	void **leaf = READ_ONCE(mid->leaf);

	if (!leaf)
		return mid->whole;
	return READ_ONCE(leaf[slot_of(pfn)]);
}

static void fill_ulong(unsigned long *p, unsigned long val, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		p[i] = val;
}

static void *p2m_alloc_page(gfp_t gfp)
{
	void *p = xenpv_p2m_plat_alloc(PAGE_SIZE, gfp);

	if (!p)
		p2m.stats.alloc_failures++;
	return p;
}

static void p2m_free_page(void *p)
{
	if (p)
		xenpv_p2m_plat_free(p, PAGE_SIZE);
}

/* Generation protocol: odd while the mapping of the list changes. */
static void generation_begin(void)
{
	p2m.generation++;
	xenpv_p2m_plat_generation(p2m.generation);
	smp_wmb(); /* tools see the odd count before any mapping change */
}

static void generation_end(void)
{
	smp_wmb(); /* the mapping change is visible before the even count */
	p2m.generation++;
	xenpv_p2m_plat_generation(p2m.generation);
}

/**
 * xenpv_p2m_init_flat() - adopt the domain builder's flat list (phase 1)
 * @list: start_info->mfn_list, writable, at least ALIGN(@nr_pages, 512) long
 * @nr_pages: start_info->nr_pages
 *
 * Pads the list with INVALID_P2M_ENTRY up to a whole leaf and makes the
 * Linux functions work on it in place.  This is xen_build_dynamic_phys_to_
 * machine() without the start_info access.
 */
void __init xenpv_p2m_init_flat(unsigned long *list, unsigned long nr_pages)
{
	unsigned long size = ALIGN(nr_pages, XENPV_P2M_PER_LEAF);

	fill_ulong(list + nr_pages, INVALID_P2M_ENTRY, size - nr_pages);
	xen_p2m_addr = list;
	xen_p2m_size = size;
	xen_max_p2m_pfn = size;
	p2m.phase = XENPV_P2M_FLAT;
}

/**
 * xenpv_p2m_phase() - which representation is in use
 *
 * Return: the current enum xenpv_p2m_phase.
 */
enum xenpv_p2m_phase xenpv_p2m_phase(void)
{
	return p2m.phase;
}

/**
 * get_phys_to_machine() - slow path of __pfn_to_mfn()
 * @pfn: any pfn
 *
 * Called by inline code when @pfn is beyond xen_p2m_size or its entry
 * reads INVALID_P2M_ENTRY.  Beyond the list: planned extra memory is
 * missing, everything else is 1:1.  Inside the list an entry reading ~0
 * belongs either to a missing leaf or to the shared identity leaf; the
 * per-leaf metadata tells which.
 *
 * Return: the entry: an mfn, FOREIGN_FRAME(mfn), IDENTITY_FRAME(@pfn) or
 * INVALID_P2M_ENTRY.
 */
unsigned long get_phys_to_machine(unsigned long pfn)
{
	if (unlikely(pfn >= xen_p2m_size)) {
		if (pfn < xen_max_p2m_pfn)
			return xenpv_p2m_plat_extra_mem(pfn);
		return IDENTITY_FRAME(pfn);
	}

	if (p2m.phase == XENPV_P2M_FINAL && leaf_page(pfn) == p2m.identity)
		return IDENTITY_FRAME(pfn);

	return READ_ONCE(xen_p2m_addr[pfn]);
}
EXPORT_SYMBOL_GPL(get_phys_to_machine);

/**
 * __set_phys_to_machine() - set one entry without allocating
 * @pfn: the pfn
 * @mfn: the new entry (mfn, FOREIGN_FRAME(), IDENTITY_FRAME() or ~0)
 *
 * A single atomic store when the entry is writable (flat phase, or a
 * private leaf).  A store into a shared leaf is accepted only when it would
 * not change what get_phys_to_machine() returns (INVALID into a missing
 * leaf, IDENTITY_FRAME(@pfn) into an identity leaf); the same rule applies
 * beyond the list.  Safe in any context.
 *
 * Return: true if stored or redundant, false if a private leaf is needed.
 */
bool __set_phys_to_machine(unsigned long pfn, unsigned long mfn)
{
	if (unlikely(pfn >= xen_p2m_size))
		return mfn == get_phys_to_machine(pfn);

	if (p2m.phase == XENPV_P2M_FINAL) {
		void *page = leaf_page(pfn);

		if (page_is_shared(page))
			return mfn == shared_entry(page, pfn);
	}

	WRITE_ONCE(xen_p2m_addr[pfn], mfn);
	return true;
}

/*
 * Called with p2m_lock held.  Consumes the pages it uses (sets them NULL).
 * Does nothing if another CPU gave @pfn's leaf a private page first.
 */
static int install_leaf(unsigned long pfn, void **page, void **arr,
			void **pt, unsigned long **mfns)
{
	unsigned long m = mid_of(pfn), s = slot_of(pfn), i;
	unsigned long first = leaf_of(pfn) * XENPV_P2M_PER_LEAF;
	struct p2m_mid *mid = &p2m.mids[m];
	unsigned long *new = *page;
	void *old = leaf_page(pfn);
	int rc;

	if (!page_is_shared(old)) {
		p2m.stats.lost_races++;
		return 0;
	}

	generation_begin();
	if (!mid->leaf) {
		void **leaves = *arr;

		rc = xenpv_p2m_plat_split(m, *pt);
		if (rc)
			goto out;
		mid->ptpage = *pt;
		*pt = NULL;
		for (i = 0; i < XENPV_P2M_LEAVES_PER_MID; i++)
			leaves[i] = mid->whole;
		if (*mfns) {
			fill_ulong(*mfns, xenpv_p2m_plat_virt_to_mfn(mid->whole),
				   XENPV_P2M_LEAVES_PER_MID);
			mid->mfns = *mfns;
			*mfns = NULL;
			p2m.top[m] = xenpv_p2m_plat_virt_to_mfn(mid->mfns);
		}
		smp_wmb(); /* slots initialised before readers can see them */
		WRITE_ONCE(mid->leaf, leaves);
		*arr = NULL;
		p2m.stats.split_mids++;
	}

	for (i = 0; i < XENPV_P2M_PER_LEAF; i++)
		new[i] = shared_entry(old, first + i);
	smp_wmb(); /* leaf contents written before it is mapped */
	rc = xenpv_p2m_plat_map_leaf(leaf_of(pfn), new, true);
	if (!rc) {
		WRITE_ONCE(mid->leaf[s], new);
		if (mid->mfns)
			mid->mfns[s] = xenpv_p2m_plat_virt_to_mfn(new);
		*page = NULL;
		p2m.stats.private_leaves++;
	}
out:
	if (rc)
		p2m.stats.map_failures++;
	generation_end();
	return rc;
}

static void raise_max_pfn(unsigned long pfn)
{
	unsigned long flags;

	if (likely(pfn < READ_ONCE(p2m.last_pfn)))
		return;
	spin_lock_irqsave(&p2m_lock, flags);
	if (pfn >= p2m.last_pfn) {
		p2m.last_pfn = ALIGN(pfn + 1, XENPV_P2M_PER_LEAF);
		xenpv_p2m_plat_max_pfn(p2m.last_pfn);
	}
	spin_unlock_irqrestore(&p2m_lock, flags);
}

/**
 * xenpv_p2m_alloc_entry() - make the entry of @pfn writable
 * @pfn: the pfn
 * @gfp: GFP_KERNEL (may sleep) or GFP_ATOMIC
 *
 * Gives @pfn's leaf a private page (initialised from the shared page it
 * replaces) and, for the toolstack, a frame-list mid page.  Allocation
 * happens before the lock is taken; a CPU that loses the race frees its
 * pages.  Raises max_pfn when @pfn is above it.
 *
 * Return: 0 on success; -ENOMEM when an allocation failed; -ENOSPC in the
 * flat phase for a pfn beyond the builder's list; -EINVAL beyond the
 * area or before any list exists; or the error of a platform map hook.
 * On failure the p2m is unchanged.
 */
static int xenpv_p2m_alloc_entry(unsigned long pfn, gfp_t gfp)
{
	void *page = NULL, *arr = NULL, *pt = NULL;
	unsigned long *mfns = NULL;
	unsigned long flags;
	int rc = -ENOMEM;

	if (p2m.phase == XENPV_P2M_FLAT)
		return pfn < xen_p2m_size ? 0 : -ENOSPC;
	if (p2m.phase != XENPV_P2M_FINAL || pfn >= xen_p2m_size)
		return -EINVAL;

	if (!page_is_shared(leaf_page(pfn)))
		goto done;

	page = p2m_alloc_page(gfp);
	if (!page)
		return -ENOMEM;
	if (!READ_ONCE(p2m.mids[mid_of(pfn)].leaf)) {
		arr = p2m_alloc_page(gfp);
		pt = p2m_alloc_page(gfp);
		if (mid_of(pfn) < XENPV_P2M_TOP_MIDS)
			mfns = p2m_alloc_page(gfp);
		if (!arr || !pt ||
		    (!mfns && mid_of(pfn) < XENPV_P2M_TOP_MIDS))
			goto free;
	}

	spin_lock_irqsave(&p2m_lock, flags);
	rc = install_leaf(pfn, &page, &arr, &pt, &mfns);
	spin_unlock_irqrestore(&p2m_lock, flags);
free:
	p2m_free_page(page);
	p2m_free_page(arr);
	p2m_free_page(pt);
	p2m_free_page(mfns);
	if (rc)
		return rc;
done:
	raise_max_pfn(pfn);
	return 0;
}

/**
 * xen_alloc_p2m_entry() - Linux name of xenpv_p2m_alloc_entry(GFP_KERNEL)
 * @pfn: the pfn
 *
 * May sleep.
 *
 * Return: 0 or a negative errno, see xenpv_p2m_alloc_entry().
 */
int xen_alloc_p2m_entry(unsigned long pfn)
{
	return xenpv_p2m_alloc_entry(pfn, GFP_KERNEL);
}
EXPORT_SYMBOL(xen_alloc_p2m_entry);

/**
 * xenpv_p2m_set() - set one entry, allocating a private leaf if needed
 * @pfn: the pfn
 * @mfn: the new entry
 * @gfp: GFP_KERNEL or GFP_ATOMIC for the allocation
 *
 * Return: true if the entry now reads @mfn, false if a needed allocation
 * or mapping failed (the entry is then unchanged).
 */
static bool xenpv_p2m_set(unsigned long pfn, unsigned long mfn, gfp_t gfp)
{
	if (likely(__set_phys_to_machine(pfn, mfn)))
		return true;
	return !xenpv_p2m_alloc_entry(pfn, gfp) &&
	       __set_phys_to_machine(pfn, mfn);
}

/**
 * set_phys_to_machine() - set one entry, allocating if needed (may sleep)
 * @pfn: the pfn
 * @mfn: the new entry
 *
 * Return: true on success, false if the allocation failed.
 */
bool set_phys_to_machine(unsigned long pfn, unsigned long mfn)
{
	return xenpv_p2m_set(pfn, mfn, GFP_KERNEL);
}

/**
 * set_phys_range_identity() - mark [@pfn_s, @pfn_e) as 1:1
 * @pfn_s: first pfn
 * @pfn_e: end pfn (exclusive), clamped to xen_p2m_size
 *
 * Boot only.  In the flat phase this writes the builder's list; in the
 * final phase it allocates private leaves as needed and stops at the first
 * allocation failure.
 *
 * Return: the number of entries marked.
 */
unsigned long __init set_phys_range_identity(unsigned long pfn_s,
					     unsigned long pfn_e)
{
	unsigned long pfn;

	if (pfn_s >= xen_p2m_size || pfn_s > pfn_e)
		return 0;
	pfn_e = min(pfn_e, xen_p2m_size);

	for (pfn = pfn_s; pfn < pfn_e; pfn++)
		if (!xenpv_p2m_set(pfn, IDENTITY_FRAME(pfn), GFP_KERNEL))
			break;

	return pfn - pfn_s;
}

/*
 * Kind of a leaf of the flat list: shared page to use, or NULL (private).
 *
 * A leaf of planned extra memory (beyond the builder's list, below
 * xen_max_p2m_pfn, reading missing) is private although it reads all ~0:
 * the balloon fills that memory through set_phys_to_machine() and hands
 * the page to the allocator whether or not the store succeeded, so the
 * store must not need an allocation.  That costs one page per 2 MiB of
 * planned extra memory; memory hot-added beyond it checks the result.
 */
static void *flat_leaf_kind(unsigned long first)
{
	void *kind = p2m.identity;
	unsigned long i;

	if (get_phys_to_machine(first) == INVALID_P2M_ENTRY) {
		if (first >= xen_p2m_size && first < xen_max_p2m_pfn)
			return NULL;
		kind = p2m.missing;
	}
	for (i = 0; i < XENPV_P2M_PER_LEAF; i++)
		if (get_phys_to_machine(first + i) !=
		    shared_entry(kind, first + i))
			return NULL;
	return kind;
}

/*
 * Map mid @m whole to the shared page most of its leaves use.  A mid with
 * other leaves is then split, and those leaves are mapped one by one.
 */
static int build_mid(unsigned long m, unsigned long old_max)
{
	struct p2m_mid *mid = &p2m.mids[m];
	unsigned long first_leaf = m * XENPV_P2M_LEAVES_PER_MID, s, i;
	unsigned long nr_identity = XENPV_P2M_LEAVES_PER_MID, nr_missing = 0;
	void *pt = NULL, *kind;
	int rc;

	if (first_leaf * XENPV_P2M_PER_LEAF < old_max) {
		nr_identity = 0;
		for (s = 0; s < XENPV_P2M_LEAVES_PER_MID; s++) {
			kind = flat_leaf_kind((first_leaf + s) *
					      XENPV_P2M_PER_LEAF);
			nr_identity += kind == p2m.identity;
			nr_missing += kind == p2m.missing;
		}
	}
	mid->whole = nr_identity > nr_missing ? p2m.identity : p2m.missing;

	if (max(nr_identity, nr_missing) < XENPV_P2M_LEAVES_PER_MID) {
		/* Mixed leaves: everything the split needs, before mapping. */
		mid->leaf = p2m_alloc_page(GFP_KERNEL);
		if (!mid->leaf)
			return -ENOMEM;
		for (s = 0; s < XENPV_P2M_LEAVES_PER_MID; s++)
			mid->leaf[s] = mid->whole;
		if (m < XENPV_P2M_TOP_MIDS) {
			mid->mfns = p2m_alloc_page(GFP_KERNEL);
			if (!mid->mfns)
				return -ENOMEM;
		}
		pt = p2m_alloc_page(GFP_KERNEL);
		if (!pt)
			return -ENOMEM;
	}

	rc = xenpv_p2m_plat_map_whole(m, mid->whole);
	if (!rc) {
		mid->mapped = true;
		if (pt)
			rc = xenpv_p2m_plat_split(m, pt);
	}
	if (rc) {
		p2m.stats.map_failures++;
		p2m_free_page(pt);
		return rc;
	}
	if (!pt)
		return 0;
	mid->ptpage = pt;
	p2m.stats.split_mids++;

	for (s = 0; s < XENPV_P2M_LEAVES_PER_MID; s++) {
		unsigned long leaf = first_leaf + s;
		unsigned long first = leaf * XENPV_P2M_PER_LEAF;
		unsigned long *page = flat_leaf_kind(first);

		if (page == mid->whole)
			continue;
		if (!page) {
			page = p2m_alloc_page(GFP_KERNEL);
			if (!page)
				return -ENOMEM;
			for (i = 0; i < XENPV_P2M_PER_LEAF; i++)
				page[i] = get_phys_to_machine(first + i);
		}
		/* On failure free_final() frees it with the other leaves. */
		mid->leaf[s] = page;
		rc = xenpv_p2m_plat_map_leaf(leaf, page, !page_is_shared(page));
		if (rc) {
			p2m.stats.map_failures++;
			return rc;
		}
		if (!page_is_shared(page))
			p2m.stats.private_leaves++;
	}
	return 0;
}

/* Undo everything of the final phase except the published globals. */
static void free_final(void)
{
	unsigned long m, s;

	for (m = 0; p2m.mids && m < p2m.nr_mids; m++) {
		struct p2m_mid *mid = &p2m.mids[m];

		if (mid->mapped)
			xenpv_p2m_plat_unmap(m, mid->ptpage);
		p2m_free_page(mid->ptpage);
		if (mid->leaf) {
			for (s = 0; s < XENPV_P2M_LEAVES_PER_MID; s++)
				if (!page_is_shared(mid->leaf[s]))
					p2m_free_page(mid->leaf[s]);
			p2m_free_page(mid->leaf);
		}
		p2m_free_page(mid->mfns);
	}
	if (p2m.mids)
		xenpv_p2m_plat_free(p2m.mids, p2m.mids_bytes);
	if (p2m.area)
		xenpv_p2m_plat_release_area(p2m.area,
					    p2m.area_pfns * sizeof(unsigned long));
	p2m_free_page(p2m.missing);
	p2m_free_page(p2m.identity);
	p2m_free_page(p2m.top);
	p2m_free_page(p2m.mid_missing);
	p2m.mids = NULL;
	p2m.area = NULL;
	p2m.missing = NULL;
	p2m.identity = NULL;
	p2m.top = NULL;
	p2m.mid_missing = NULL;
	p2m.nr_mids = 0;
	p2m.area_pfns = 0;
}

/**
 * xenpv_p2m_build() - build the final sparse list from the flat one
 * @limit_pfns: pfns the area must cover at least (balloon/hotplug limit)
 *
 * Reserves an area of max(xen_max_p2m_pfn, @limit_pfns) entries rounded up
 * to a mid, maps it (shared pages where possible), copies the flat list's
 * contents, and preallocates the frame-list-list so that
 * xenpv_p2m_frame_list_refresh() never allocates.  Entries between the flat
 * list and xen_max_p2m_pfn take their xenpv_p2m_plat_extra_mem() value,
 * entries above are 1:1.  On success xen_p2m_addr, xen_p2m_size and
 * xen_max_p2m_pfn describe the new list, max_pfn stays the old
 * xen_max_p2m_pfn, and the flat list is no longer used (the caller frees
 * it).  This is xen_vmalloc_p2m_tree() without the start_info handling.
 *
 * Return: 0, -EINVAL if not in the flat phase, -ENOMEM, or the error of a
 * platform hook.  On failure the flat list stays in use, unchanged.
 */
int __init xenpv_p2m_build(unsigned long limit_pfns)
{
	unsigned long old_max = xen_max_p2m_pfn, m;
	int rc = -ENOMEM;

	if (p2m.phase != XENPV_P2M_FLAT)
		return -EINVAL;

	p2m.area_pfns = ALIGN(max(old_max, limit_pfns), XENPV_P2M_PER_MID);
	p2m.nr_mids = p2m.area_pfns / XENPV_P2M_PER_MID;
	p2m.area = xenpv_p2m_plat_reserve_area(p2m.area_pfns *
					       sizeof(unsigned long));
	if (!p2m.area)
		goto fail;

	p2m.missing = p2m_alloc_page(GFP_KERNEL);
	p2m.identity = p2m_alloc_page(GFP_KERNEL);
	p2m.top = p2m_alloc_page(GFP_KERNEL);
	p2m.mid_missing = p2m_alloc_page(GFP_KERNEL);
	p2m.mids_bytes = ALIGN(p2m.nr_mids * sizeof(*p2m.mids), PAGE_SIZE);
	p2m.mids = xenpv_p2m_plat_alloc(p2m.mids_bytes, GFP_KERNEL);
	if (!p2m.mids)
		p2m.stats.alloc_failures++;
	if (!p2m.missing || !p2m.identity || !p2m.top || !p2m.mid_missing ||
	    !p2m.mids)
		goto fail;
	/* p2m.mids is zeroed; the frame list is filled in by the refresh. */
	fill_ulong(p2m.missing, INVALID_P2M_ENTRY, XENPV_P2M_PER_LEAF);
	fill_ulong(p2m.identity, INVALID_P2M_ENTRY, XENPV_P2M_PER_LEAF);

	for (m = 0; m < p2m.nr_mids; m++) {
		rc = build_mid(m, old_max);
		if (rc)
			goto fail;
	}
	p2m.last_pfn = old_max;

	/* Publish: readers must never see the new size with the old list. */
	WRITE_ONCE(xen_p2m_addr, p2m.area);
	smp_wmb(); /* pairs with the reader's size check before indexing */
	WRITE_ONCE(xen_max_p2m_pfn, p2m.area_pfns);
	WRITE_ONCE(xen_p2m_size, p2m.area_pfns);
	p2m.phase = XENPV_P2M_FINAL;
	xenpv_p2m_frame_list_refresh();
	return 0;

fail:
	free_final();
	return rc;
}

/**
 * xenpv_p2m_leaf_is_private() - does @pfn's leaf have its own page?
 * @pfn: the pfn
 *
 * Return: true in the flat phase for pfns inside the list, and in the final
 * phase for private leaves; false otherwise.
 */
bool xenpv_p2m_leaf_is_private(unsigned long pfn)
{
	if (pfn >= xen_p2m_size)
		return false;
	if (p2m.phase == XENPV_P2M_FLAT)
		return true;
	return !page_is_shared(leaf_page(pfn));
}

/**
 * xenpv_p2m_max_pfn() - highest pfn described by the p2m, plus one
 *
 * This is the honest value for shared_info.arch.max_pfn: the builder's
 * size plus planned extra memory, raised as leaves are allocated above it,
 * never the size of the virtual area.
 *
 * Return: the value.
 */
unsigned long xenpv_p2m_max_pfn(void)
{
	if (p2m.phase == XENPV_P2M_FINAL)
		return READ_ONCE(p2m.last_pfn);
	return xen_max_p2m_pfn;
}

/**
 * xenpv_p2m_generation() - current p2m mapping generation
 *
 * Return: the count last given to xenpv_p2m_plat_generation().
 */
unsigned long xenpv_p2m_generation(void)
{
	return READ_ONCE(p2m.generation);
}

/**
 * xenpv_p2m_frame_list_refresh() - rewrite the frame-list-list in place
 *
 * Recomputes every mfn in the top page and the mid pages from the pages
 * currently backing the list.  Needed after resume, when all mfns changed.
 * Never allocates (all pages were allocated at build time or when a mid was
 * split), so it is safe inside stop_machine with interrupts off.  This is
 * xen_build_mfn_list_list() without the SIF_VIRT_P2M_4TOOLS test.
 *
 * Return: the mfn of the top page, or INVALID_P2M_ENTRY outside the final
 * phase.
 */
unsigned long xenpv_p2m_frame_list_refresh(void)
{
	unsigned long flags, m, s, missing_mid_mfn;

	if (p2m.phase != XENPV_P2M_FINAL)
		return INVALID_P2M_ENTRY;

	spin_lock_irqsave(&p2m_lock, flags);
	fill_ulong(p2m.mid_missing, xenpv_p2m_plat_virt_to_mfn(p2m.missing),
		   XENPV_P2M_LEAVES_PER_MID);
	missing_mid_mfn = xenpv_p2m_plat_virt_to_mfn(p2m.mid_missing);
	for (m = 0; m < XENPV_P2M_TOP_MIDS; m++) {
		struct p2m_mid *mid = m < p2m.nr_mids ? &p2m.mids[m] : NULL;

		if (!mid || !mid->mfns) {
			p2m.top[m] = missing_mid_mfn;
			continue;
		}
		for (s = 0; s < XENPV_P2M_LEAVES_PER_MID; s++)
			mid->mfns[s] = xenpv_p2m_plat_virt_to_mfn(mid->leaf[s]);
		p2m.top[m] = xenpv_p2m_plat_virt_to_mfn(mid->mfns);
	}
	spin_unlock_irqrestore(&p2m_lock, flags);
	return xenpv_p2m_plat_virt_to_mfn(p2m.top);
}

/**
 * xenpv_p2m_tools_info() - values for shared_info.arch, restart generation
 * @info: filled in
 *
 * Restarts the generation count at 0 (published through the hook), as
 * xen_setup_mfn_list_list() does at boot and after resume.
 */
void xenpv_p2m_tools_info(struct xenpv_p2m_tools *info)
{
	unsigned long flags;

	info->frame_list_list = p2m.phase == XENPV_P2M_FINAL ?
		xenpv_p2m_plat_virt_to_mfn(p2m.top) : INVALID_P2M_ENTRY;
	info->max_pfn = xenpv_p2m_max_pfn();
	info->p2m_vaddr = (unsigned long)xen_p2m_addr;

	spin_lock_irqsave(&p2m_lock, flags);
	p2m.generation = 0;
	xenpv_p2m_plat_generation(0);
	spin_unlock_irqrestore(&p2m_lock, flags);
}

/**
 * xenpv_p2m_get_stats() - copy the counters
 * @stats: filled in
 */
void xenpv_p2m_get_stats(struct xenpv_p2m_stats *stats)
{
	*stats = p2m.stats;
}
