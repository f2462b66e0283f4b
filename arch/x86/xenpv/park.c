// SPDX-License-Identifier: GPL-2.0
/*
 * Parking of freed upper-level page-table pages.
 *
 * Why this file exists: during the live phase of a migration the save
 * side of the toolstack (libxenguest's write_batch) asks Xen for the type
 * of a batch of pages, then maps them and rewrites the machine frames in
 * every page that was an L2, L3 or L4 table.  The guest keeps running in
 * between.  If a top-level or middle table is unpinned, freed and reused
 * for ordinary data inside that window, the toolstack rewrites data as if
 * it were a table.  For most bad entries it notices and resends the page
 * later, but an entry with PSE set in an L2-L4 page ("Cannot migrate
 * superpage") aborts the whole migration.  A busy guest meets this: the
 * pgd of an exiting process can come back a moment later as, say, an
 * mmu_gather batch page full of tagged struct page pointers.
 *
 * The guest cannot close the toolstack's window, but it can make sure a
 * page that was recently an upper-level table holds table-shaped content
 * for a while: every released L2/L3 page and every freed kernel or user
 * pgd is held with an extra reference for one to two XENPV_PARK_PERIODs
 * before the page allocator can hand it out again.  Nothing writes a
 * parked page, so it keeps the (valid, mostly empty) entries it had.
 *
 * Parked pages sit in chunks of pointers, one list per generation; a
 * delayed work item releases the older generation every period and only
 * runs while something is parked.  If a chunk cannot be allocated the
 * page is freed at once, as stock Linux does; xenpv_park_stats counts it.
 * The counters are /sys/kernel/debug/xenpv/park_{parked,released,unparked}.
 */
#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/jump_label.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "xenpv.h"

#define XENPV_PARK_PERIOD		HZ
#define XENPV_PARK_SLOTS		((PAGE_SIZE - 2 * sizeof(void *)) / \
				 sizeof(struct page *))

struct xenpv_park_chunk {
	struct xenpv_park_chunk *next;
	unsigned long nr;
	struct page *pages[XENPV_PARK_SLOTS];
};

struct xenpv_park_stats xenpv_park_stats;

static DEFINE_STATIC_KEY_FALSE(xenpv_park_ready);
static DEFINE_SPINLOCK(xenpv_park_lock);
/* [0] fills now, [1] filled during the previous period */
static struct xenpv_park_chunk *xenpv_park_gen[2];

static void xenpv_park_release(struct work_struct *work);
static DECLARE_DELAYED_WORK(xenpv_park_work, xenpv_park_release);

static void xenpv_park_put(struct xenpv_park_chunk *chunk)
{
	while (chunk) {
		struct xenpv_park_chunk *next = chunk->next;
		unsigned long i;

		for (i = 0; i < chunk->nr; i++)
			put_page(chunk->pages[i]);
		xenpv_park_stats.released += chunk->nr;
		kfree(chunk);
		chunk = next;
	}
}

/* Age the generations: free the older one, the current one becomes old. */
static void xenpv_park_release(struct work_struct *work)
{
	struct xenpv_park_chunk *old;
	unsigned long flags;
	bool more;

	spin_lock_irqsave(&xenpv_park_lock, flags);
	old = xenpv_park_gen[1];
	xenpv_park_gen[1] = xenpv_park_gen[0];
	xenpv_park_gen[0] = NULL;
	more = xenpv_park_gen[1];
	spin_unlock_irqrestore(&xenpv_park_lock, flags);

	xenpv_park_put(old);
	if (more)
		schedule_delayed_work(&xenpv_park_work, XENPV_PARK_PERIOD);
}

/**
 * xenpv_park_table() - keep a freed upper-level table page out of reuse
 * @page: an L2, L3 or L4 table page whose owner is about to free it
 *
 * Takes a reference that is dropped one to two periods later; the caller
 * frees the page as usual.  Safe in any context.
 */
void xenpv_park_table(struct page *page)
{
	struct xenpv_park_chunk *chunk;
	unsigned long flags;

	if (!static_branch_likely(&xenpv_park_ready))
		return;

	spin_lock_irqsave(&xenpv_park_lock, flags);
	chunk = xenpv_park_gen[0];
	if (!chunk || chunk->nr == XENPV_PARK_SLOTS) {
		chunk = kmalloc(sizeof(*chunk), GFP_ATOMIC | __GFP_NOWARN);
		if (!chunk) {
			xenpv_park_stats.unparked++;
			spin_unlock_irqrestore(&xenpv_park_lock, flags);
			return;
		}
		chunk->nr = 0;
		chunk->next = xenpv_park_gen[0];
		xenpv_park_gen[0] = chunk;
	}
	get_page(page);
	chunk->pages[chunk->nr++] = page;
	xenpv_park_stats.parked++;
	spin_unlock_irqrestore(&xenpv_park_lock, flags);

	/* A no-op while the work is pending, which is the common case. */
	schedule_delayed_work(&xenpv_park_work, XENPV_PARK_PERIOD);
}

/* User processes (the only source of freed tables) start after this. */
static int __init xenpv_park_init(void)
{
	static_branch_enable(&xenpv_park_ready);
	return 0;
}
core_initcall(xenpv_park_init);

/* After drivers/xen's late_initcall has made the xenpv directory. */
static int __init xenpv_park_debugfs(void)
{
	struct dentry *dir = debugfs_lookup("xenpv", NULL);

	if (!dir)	/* debugfs is off or failed */
		return 0;
	debugfs_create_ulong("park_parked", 0400, dir, &xenpv_park_stats.parked);
	debugfs_create_ulong("park_released", 0400, dir,
			     &xenpv_park_stats.released);
	debugfs_create_ulong("park_unparked", 0400, dir,
			     &xenpv_park_stats.unparked);
	dput(dir);
	return 0;
}
late_initcall_sync(xenpv_park_debugfs);
