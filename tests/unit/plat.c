// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace implementation of the xenpv platform hooks.
 *
 * Why: mm/p2m.c and mm/batch.c call these instead of page tables and
 * hypercalls.  Here pages come from a memfd-backed pool (so a page can be
 * mapped at a second address, like a kernel page in the direct map and in
 * the p2m area), the p2m area is a real mmap reservation whose shared
 * slots are mapped PROT_READ so a wrong write really faults, and
 * hypercalls go to the model of Xen (model.c).  Every hook also checks the
 * contract documented in platform.h and counts violations.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/types.h>
#include <linux/spinlock.h>
#include <asm/xen/page.h>
#include <xen/xenpv/platform.h>

#include "harness.h"
#include "model.h"

#define MID_BYTES	(XENPV_P2M_LEAVES_PER_MID * PAGE_SIZE)

__thread int shim_atomic_depth;
unsigned long shim_warnings;

static int pool_fd = -1, ones_fd = -1;
static uint8_t *pool;
static uint8_t used[PLAT_POOL_PAGES];
static unsigned long pool_in_use;

unsigned long plat_fail_alloc_nth;
void (*plat_alloc_hook)(void);
unsigned int plat_fail_alloc_permille;
unsigned long plat_fail_map_nth;
int plat_fail_map_errno = -ENOMEM;
unsigned long plat_mfn_shift;
unsigned long plat_last_generation, plat_generation_calls;
unsigned long plat_last_max_pfn;
unsigned long plat_violations;

static unsigned long extra_start, extra_end;
static unsigned long *area;
static unsigned long area_bytes;
static void **slots;		/* page mapped at each leaf slot */
static void **split_pt;		/* ptpage of each split mid */
static unsigned long rnd = 1;

unsigned int plat_cpu;
unsigned int plat_lazy[PLAT_CPUS];
struct xenpv_batch plat_batches[PLAT_CPUS];
struct plat_report plat_reports[PLAT_REPORTS];
unsigned int plat_nr_reports;
bool plat_quiet = true;
void (*plat_model_hook)(bool before);

static void violation(const char *what)
{
	plat_violations++;
	fprintf(stderr, "platform contract violation: %s\n", what);
}

void plat_srand(unsigned long seed)
{
	rnd = seed * 2654435761UL + 1;
}

unsigned long plat_rand(void)
{
	rnd ^= rnd << 13;
	rnd ^= rnd >> 7;
	rnd ^= rnd << 17;
	return rnd;
}

static void pool_init(void)
{
	uint8_t *ones;

	if (pool)
		return;
	pool_fd = memfd_create("xenpv-pool", 0);
	ones_fd = memfd_create("xenpv-ones", 0);
	if (pool_fd < 0 || ones_fd < 0 ||
	    ftruncate(pool_fd, PLAT_POOL_PAGES * PAGE_SIZE) ||
	    ftruncate(ones_fd, MID_BYTES))
		abort();
	pool = mmap(NULL, PLAT_POOL_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_SHARED, pool_fd, 0);
	ones = mmap(NULL, MID_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED,
		    ones_fd, 0);
	if (pool == MAP_FAILED || ones == MAP_FAILED)
		abort();
	memset(ones, 0xff, MID_BYTES);
	munmap(ones, MID_BYTES);
}

void plat_reset(void)
{
	unsigned int i;

	pool_init();
	plat_fail_alloc_nth = 0;
	plat_alloc_hook = NULL;
	plat_fail_alloc_permille = 0;
	plat_fail_map_nth = 0;
	plat_fail_map_errno = -ENOMEM;
	plat_mfn_shift = 0;
	plat_last_generation = 0;
	plat_generation_calls = 0;
	plat_last_max_pfn = 0;
	plat_violations = 0;
	extra_start = extra_end = 0;
	plat_cpu = 0;
	for (i = 0; i < PLAT_CPUS; i++) {
		plat_lazy[i] = 0;
		xenpv_batch_init(&plat_batches[i], i);
	}
	plat_nr_reports = 0;
	plat_model_hook = NULL;
	shim_warnings = 0;
}

unsigned long plat_pages_in_use(void)
{
	return pool_in_use;
}

static long pool_index(const void *p)
{
	const uint8_t *b = p;

	if (b < pool || b >= pool + PLAT_POOL_PAGES * PAGE_SIZE ||
	    (b - pool) % PAGE_SIZE)
		return -1;
	return (b - pool) / PAGE_SIZE;
}

unsigned long plat_page_mfn(const void *p)
{
	long i = pool_index(p);

	if (i < 0) {
		violation("mfn of a page not from the pool");
		return INVALID_P2M_ENTRY;
	}
	return PLAT_MFN_BASE + i + plat_mfn_shift;
}

void plat_set_extra(unsigned long start, unsigned long end)
{
	extra_start = start;
	extra_end = end;
}

void *plat_slot_page(unsigned long leaf)
{
	if (!slots || leaf >= area_bytes / PAGE_SIZE)
		return NULL;
	return slots[leaf];
}

static bool fail_now(unsigned long *nth)
{
	if (*nth && --*nth == 0)
		return true;
	return false;
}

void *xenpv_p2m_plat_alloc(size_t size, gfp_t gfp)
{
	unsigned long n = (size + PAGE_SIZE - 1) / PAGE_SIZE, i, run = 0;

	if (gfp != GFP_KERNEL && gfp != GFP_ATOMIC)
		violation("bad gfp");
	if (gfp == GFP_KERNEL && shim_atomic_depth)
		violation("sleeping allocation under a spinlock");
	if (plat_alloc_hook) {
		void (*hook)(void) = plat_alloc_hook;

		plat_alloc_hook = NULL;
		hook();
	}
	if (fail_now(&plat_fail_alloc_nth))
		return NULL;
	if (plat_fail_alloc_permille &&
	    plat_rand() % 1000 < plat_fail_alloc_permille)
		return NULL;
	for (i = 0; i < PLAT_POOL_PAGES; i++) {
		run = used[i] ? 0 : run + 1;
		if (run == n) {
			unsigned long first = i + 1 - n, j;

			for (j = first; j <= i; j++)
				used[j] = 1;
			pool_in_use += n;
			memset(pool + first * PAGE_SIZE, 0, n * PAGE_SIZE);
			return pool + first * PAGE_SIZE;
		}
	}
	return NULL;
}

void xenpv_p2m_plat_free(void *p, size_t size)
{
	unsigned long n = (size + PAGE_SIZE - 1) / PAGE_SIZE, j;
	long i = pool_index(p);

	if (i < 0) {
		violation("free of a page not from the pool");
		return;
	}
	for (j = i; j < i + n; j++) {
		if (!used[j])
			violation("double free");
		used[j] = 0;
	}
	pool_in_use -= n;
}

unsigned long *xenpv_p2m_plat_reserve_area(unsigned long bytes)
{
	uint8_t *p;
	uintptr_t a;

	if (area)
		violation("second p2m area");
	if (bytes % MID_BYTES)
		violation("area not a multiple of a mid");
	if (fail_now(&plat_fail_map_nth))
		return NULL;
	p = mmap(NULL, bytes + MID_BYTES, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	a = ((uintptr_t)p + MID_BYTES - 1) & ~(uintptr_t)(MID_BYTES - 1);
	if (a > (uintptr_t)p)
		munmap(p, a - (uintptr_t)p);
	munmap((uint8_t *)a + bytes, (uintptr_t)p + MID_BYTES - a);
	area = (unsigned long *)a;
	area_bytes = bytes;
	slots = calloc(bytes / PAGE_SIZE, sizeof(*slots));
	split_pt = calloc(bytes / MID_BYTES, sizeof(*split_pt));
	return area;
}

void xenpv_p2m_plat_release_area(unsigned long *a, unsigned long bytes)
{
	if (a != area || bytes != area_bytes)
		violation("release of an unknown area");
	for (unsigned long m = 0; m < bytes / MID_BYTES; m++)
		if (split_pt[m])
			violation("area released with a split mid mapped");
	munmap(a, bytes);
	free(slots);
	free(split_pt);
	slots = NULL;
	split_pt = NULL;
	area = NULL;
	area_bytes = 0;
}

static bool all_ones(const void *page)
{
	const unsigned long *p = page;

	for (unsigned int i = 0; i < XENPV_P2M_PER_LEAF; i++)
		if (p[i] != ~0UL)
			return false;
	return true;
}

static void check_changing(void)
{
	if (!shim_atomic_depth)
		violation("map hook called without the p2m lock");
	if (xenpv_p2m_phase() == XENPV_P2M_FINAL &&
	    !(plat_last_generation & 1))
		violation("p2m mapping changed with an even generation");
}

int xenpv_p2m_plat_map_whole(unsigned long mid, void *page)
{
	unsigned long i;

	if (mid >= area_bytes / MID_BYTES || split_pt[mid]) {
		violation("map_whole of a bad or split mid");
		return -EINVAL;
	}
	if (pool_index(page) < 0 || !all_ones(page))
		violation("map_whole with a page that does not read ~0");
	if (fail_now(&plat_fail_map_nth))
		return plat_fail_map_errno;
	if (mmap((uint8_t *)area + mid * MID_BYTES, MID_BYTES, PROT_READ,
		 MAP_SHARED | MAP_FIXED, ones_fd, 0) == MAP_FAILED)
		abort();
	for (i = 0; i < XENPV_P2M_LEAVES_PER_MID; i++)
		slots[mid * XENPV_P2M_LEAVES_PER_MID + i] = page;
	return 0;
}

int xenpv_p2m_plat_split(unsigned long mid, void *ptpage)
{
	if (xenpv_p2m_phase() == XENPV_P2M_FINAL)
		check_changing();
	if (mid >= area_bytes / MID_BYTES || split_pt[mid] ||
	    pool_index(ptpage) < 0 || !slots[mid * XENPV_P2M_LEAVES_PER_MID]) {
		violation("bad split");
		return -EINVAL;
	}
	if (fail_now(&plat_fail_map_nth))
		return plat_fail_map_errno;
	split_pt[mid] = ptpage;
	return 0;
}

int xenpv_p2m_plat_map_leaf(unsigned long leaf, void *page, bool writable)
{
	long i = pool_index(page);
	unsigned long mid = leaf / XENPV_P2M_LEAVES_PER_MID;

	if (xenpv_p2m_phase() == XENPV_P2M_FINAL)
		check_changing();
	if (leaf >= area_bytes / PAGE_SIZE || !split_pt[mid] || i < 0) {
		violation("bad map_leaf");
		return -EINVAL;
	}
	if (!writable && !all_ones(page))
		violation("shared leaf that does not read ~0");
	if (fail_now(&plat_fail_map_nth))
		return plat_fail_map_errno;
	if (mmap((uint8_t *)area + leaf * PAGE_SIZE, PAGE_SIZE,
		 writable ? PROT_READ | PROT_WRITE : PROT_READ,
		 MAP_SHARED | MAP_FIXED, pool_fd, i * PAGE_SIZE) == MAP_FAILED)
		abort();
	slots[leaf] = page;
	return 0;
}

void xenpv_p2m_plat_unmap(unsigned long mid, void *ptpage)
{
	unsigned long i;

	if (mid >= area_bytes / MID_BYTES || split_pt[mid] != ptpage) {
		violation("bad unmap");
		return;
	}
	if (mmap((uint8_t *)area + mid * MID_BYTES, MID_BYTES, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
		 -1, 0) == MAP_FAILED)
		abort();
	split_pt[mid] = NULL;
	for (i = 0; i < XENPV_P2M_LEAVES_PER_MID; i++)
		slots[mid * XENPV_P2M_LEAVES_PER_MID + i] = NULL;
}

unsigned long xenpv_p2m_plat_virt_to_mfn(const void *p)
{
	return plat_page_mfn(p);
}

unsigned long xenpv_p2m_plat_extra_mem(unsigned long pfn)
{
	if (pfn >= extra_start && pfn < extra_end)
		return INVALID_P2M_ENTRY;
	return IDENTITY_FRAME(pfn);
}

void xenpv_p2m_plat_generation(unsigned long gen)
{
	if (gen != 0 && gen != plat_last_generation + 1)
		violation("generation not incremented by one");
	plat_last_generation = gen;
	plat_generation_calls++;
}

void xenpv_p2m_plat_max_pfn(unsigned long max_pfn)
{
	if (max_pfn < plat_last_max_pfn)
		violation("max_pfn lowered");
	plat_last_max_pfn = max_pfn;
}

/* ---- batch ---- */

struct xenpv_batch *xenpv_batch_plat_this_cpu(void)
{
	return &plat_batches[plat_cpu];
}

unsigned int xenpv_batch_plat_lazy_mode(void)
{
	return plat_lazy[plat_cpu];
}

long xenpv_batch_plat_multicall(struct multicall_entry *mc, unsigned int nr)
{
	long rc;

	if (nr < 2)
		violation("multicall with fewer than two entries");
	if (plat_model_hook)
		plat_model_hook(true);
	M.vcpu = plat_cpu;
	rc = model_multicall(mc, nr);
	if (plat_model_hook)
		plat_model_hook(false);
	return rc;
}

void xenpv_batch_plat_single(struct multicall_entry *mc)
{
	if (plat_model_hook)
		plat_model_hook(true);
	M.vcpu = plat_cpu;
	model_single(mc);
	if (plat_model_hook)
		plat_model_hook(false);
}

void xenpv_batch_plat_report(const struct xenpv_batch_error *err)
{
	struct plat_report *r;

	if (!plat_quiet)
		fprintf(stderr, "report: kind %d op %lu result %ld rec %u/%u caller %#lx\n",
			err->kind, err->op, err->result, err->index,
			err->count, err->caller);
	if (plat_nr_reports == PLAT_REPORTS)
		return;
	r = &plat_reports[plat_nr_reports++];
	memset(r, 0, sizeof(*r));
	r->err = *err;
	if (err->record && err->op == __HYPERVISOR_mmu_update)
		memcpy(&r->rec.u, err->record, sizeof(r->rec.u));
	else if (err->record)
		memcpy(&r->rec.x, err->record, sizeof(r->rec.x));
}
