// SPDX-License-Identifier: GPL-2.0
/*
 * t_tlb.c - cross-CPU TLB shootdown correctness.
 *
 * Why this file exists: under PV the guest asks Xen to flush other vCPUs'
 * TLBs (MMUEXT_TLB_FLUSH_MULTI / INVLPG_MULTI).  A backend that forgets the
 * remote flush, flushes the wrong vCPU mask, or flushes before the PTE update
 * reached Xen leaves other CPUs running on stale translations: they keep
 * reading a page that was unmapped (or replaced), or keep writing through a
 * mapping that is read-only or gone -- the classic use-after-free of a frame.
 *
 * How these tests provoke it: reader threads pinned to other CPUs spin on a
 * page with plain loads and locked read-modify-writes (no system calls in
 * the loop: under 64-bit PV every kernel entry switches page tables and
 * would hide a stale entry).  The writer thread changes the mapping and
 * only then publishes a new state word.  Each page holds the epoch number it
 * was mapped in, so a reader can tell a stale frame from the current one:
 *
 *  tlb_munmap:   munmap; after the state says "unmapped", any successful
 *                access that returns the old epoch is a stale TLB entry;
 *  tlb_remap:    mmap(MAP_FIXED) of another memfd page over the live
 *                mapping; after the state says "epoch e", any access that
 *                returns an older epoch is a stale TLB entry;
 *  tlb_mprotect: mprotect(PROT_READ); after it returns the region is
 *                snapshotted, readers keep trying to write, and the region
 *                must still equal the snapshot -- a write that lands is a
 *                stale writable TLB entry.
 *
 * In all tests a fault while the state says "mapped" (and did not change
 * around the access) is a lost mapping, also a failure.  With one CPU the
 * tests still check local flushing; a note says so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xt.h"

#define TLB_PAGES	4
#define TLB_READERS	2
#define ST_UNMAPPED	0	/* also "read-only" in tlb_mprotect */
#define ST_MAPPED	1	/* also "writable" in tlb_mprotect */
#define ST_CHANGING	2

#define ST(e, c)	(((uint64_t)(e) << 2) | (c))
#define ST_EPOCH(s)	((s) >> 2)
#define ST_CODE(s)	((s) & 3)

struct tlb_reader {
	uint64_t warm;			/* epoch of last good mapped access */
	uint64_t probed;		/* epoch of last access after change */
	uint64_t accesses;
	uint64_t faults;
	int idx;
	char pad[64];
};

struct tlb_ctx {
	uint8_t *area;
	uint64_t st;
	int stop;
	int mode;			/* 0 munmap, 1 remap, 2 mprotect */
	int nr;				/* readers actually running */
	int fake_bug;			/* skip the call under test */
	struct tlb_reader rd[TLB_READERS];
};

static struct tlb_ctx tc;

/* Word written by reader @r in page @pg (tlb_mprotect). */
static inline uint64_t *tlb_word(uint8_t *area, int pg, int r)
{
	return (uint64_t *)(area + pg * XT_PAGE + 8 * (1 + r));
}

static inline uint64_t st_load(void)
{
	return __atomic_load_n(&tc.st, __ATOMIC_ACQUIRE);
}

static inline void st_store(uint64_t v)
{
	__atomic_store_n(&tc.st, v, __ATOMIC_RELEASE);
}

/* Reader for tlb_munmap and tlb_remap: word 0 of each page holds the epoch. */
static void tlb_read_loop(struct tlb_reader *r)
{
	uint64_t n = 0, s0, s1, v, e0, e1;
	int sig, pg;

	while (!XT_LOAD(&tc.stop)) {
		pg = n % TLB_PAGES;
		s0 = st_load();
		if (n & 1)
			sig = xt_probe_rmw(tc.area + pg * XT_PAGE, &v);
		else
			sig = xt_probe_read(tc.area + pg * XT_PAGE, &v);
		s1 = st_load();
		e0 = ST_EPOCH(s0);
		e1 = ST_EPOCH(s1);
		n++;
		XT_STORE(&r->accesses, n);
		if (sig) {
			XT_STORE(&r->faults, r->faults + 1);
			if (ST_CODE(s0) == ST_MAPPED && s0 == s1)
				xt_fail("reader %d: fault on page %d of live epoch %llu (mapping lost)",
					r->idx, pg, (unsigned long long)e0);
			if (ST_CODE(s0) != ST_MAPPED)
				XT_STORE(&r->probed, e0);
			continue;
		}
		if (v < e0)
			xt_fail("reader %d (%s): page %d shows epoch %llu after the writer published epoch %llu: stale TLB entry",
				r->idx, n & 1 ? "write" : "read", pg,
				(unsigned long long)v, (unsigned long long)e0);
		if (v > e1 + 1)
			xt_fail("reader %d: page %d holds foreign value %016llx (epoch %llu)",
				r->idx, pg, (unsigned long long)v,
				(unsigned long long)e1);
		if (tc.mode == 0 && ST_CODE(s0) == ST_UNMAPPED && v == e0)
			xt_fail("reader %d (%s): page %d still accessible with epoch %llu contents after munmap returned: stale TLB entry",
				r->idx, n & 1 ? "write" : "read", pg,
				(unsigned long long)v);
		if (ST_CODE(s0) == ST_MAPPED && s0 == s1)
			XT_STORE(&r->warm, e0);
		else if (ST_CODE(s0) != ST_MAPPED)
			XT_STORE(&r->probed, e0);
	}
}

/* Reader for tlb_mprotect: writes word 1 + idx of each page. */
static void tlb_write_loop(struct tlb_reader *r)
{
	uint64_t n = 0, s0, s1;
	int sig, pg;

	while (!XT_LOAD(&tc.stop)) {
		pg = n % TLB_PAGES;
		s0 = st_load();
		sig = xt_probe_write(tlb_word(tc.area, pg, r->idx), ++n);
		s1 = st_load();
		XT_STORE(&r->accesses, n);
		if (sig) {
			XT_STORE(&r->faults, r->faults + 1);
			if (ST_CODE(s0) == ST_MAPPED && s0 == s1)
				xt_fail("writer %d: write fault on page %d while writable (epoch %llu)",
					r->idx, pg,
					(unsigned long long)ST_EPOCH(s0));
			if (ST_CODE(s0) == ST_UNMAPPED)
				XT_STORE(&r->probed, ST_EPOCH(s0));
			continue;
		}
		if (ST_CODE(s0) == ST_UNMAPPED && s0 == s1)
			xt_fail("writer %d: write to page %d succeeded after mprotect(PROT_READ) returned (epoch %llu): stale writable TLB entry",
				r->idx, pg, (unsigned long long)ST_EPOCH(s0));
		if (ST_CODE(s0) == ST_MAPPED && s0 == s1)
			XT_STORE(&r->warm, ST_EPOCH(s0));
	}
}

static void *tlb_reader_main(void *arg)
{
	struct tlb_reader *r = arg;

	/* Keep CPU 0 for the writer when there is more than one. */
	xt_pin_cpu(xt_ncpus() > 1 ? 1 + r->idx % (xt_ncpus() - 1) : 0);
	if (tc.mode == 2)
		tlb_write_loop(r);
	else
		tlb_read_loop(r);
	return NULL;
}

/* Wait (bounded) until every reader reports @field >= @e. */
static int wait_readers(int probed, uint64_t e, double ms)
{
	double end = xt_now_ms() + ms;
	int i, ok;

	do {
		ok = 1;
		for (i = 0; i < tc.nr; i++)
			if (XT_LOAD(probed ? &tc.rd[i].probed : &tc.rd[i].warm) < e)
				ok = 0;
		if (ok)
			return 1;
		sched_yield();
	} while (xt_now_ms() < end);
	return 0;
}

static void fill_epoch(uint8_t *p, uint64_t e)
{
	int i;

	for (i = 0; i < TLB_PAGES; i++)
		XT_STORE((uint64_t *)(p + i * XT_PAGE), e);
}

static double tlb_duration_ms(void)
{
	const char *env = getenv("XENPV_TLB_MS");

	if (env && atoi(env) > 0)
		return atoi(env);
	return xt_quick ? 150 : 500;
}

static void tlb_run(int mode)
{
	size_t len = TLB_PAGES * XT_PAGE;
	uint64_t e, warmed = 0, probed = 0;
	double end = xt_now_ms() + tlb_duration_ms();
	pthread_t th[TLB_READERS];
	uint8_t *area, *p, *w = NULL;
	int i, fd = -1, kpages = 16;

	memset(&tc, 0, sizeof(tc));
	tc.mode = mode;
	tc.nr = xt_ncpus() > 2 ? TLB_READERS : 1;
	/* Self-test of the checker: pretend the kernel skipped the update. */
	tc.fake_bug = getenv("XENPV_TLB_FAKE_BUG") != NULL;
	xt_pin_cpu(0);
	area = xt_map(TLB_PAGES);
	if (mode == 1) {
		fd = memfd_create("xt-tlb", 0);
		if (fd < 0 || ftruncate(fd, kpages * len))
			xt_fail("memfd: %s", strerror(errno));
		w = mmap(NULL, kpages * len, PROT_READ | PROT_WRITE,
			 MAP_SHARED, fd, 0);
		if (w == MAP_FAILED)
			xt_fail("mmap memfd: %s", strerror(errno));
		fill_epoch(w, 1);
		p = mmap(area, len, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, fd, 0);
		if (p != area)
			xt_fail("mmap fixed: %s", strerror(errno));
	} else {
		fill_epoch(area, 1);
	}
	tc.area = area;
	st_store(ST(1, ST_MAPPED));
	for (i = 0; i < tc.nr; i++) {
		tc.rd[i].idx = i;
		if (pthread_create(&th[i], NULL, tlb_reader_main, &tc.rd[i]))
			xt_fail("pthread_create failed");
	}
	/*
	 * On a starved host (QEMU TCG sharing its cores) the window may pass
	 * before the readers ran at all: then keep going, up to 20 s more,
	 * until a few epochs were really exercised.
	 */
	for (e = 1; xt_now_ms() < end ||
	     ((e < 8 || warmed < 4) && xt_now_ms() < end + 20000); e++) {
		/* Let every reader load a translation for this epoch. */
		warmed += wait_readers(0, e, 20);
		if (mode == 0) {
			/*
			 * Build the next epoch elsewhere first (while @area is
			 * still mapped, so it cannot land there), then move it
			 * in whole: readers never see a half-filled page.
			 */
			p = xt_map(TLB_PAGES);
			fill_epoch(p, e + 1);
			st_store(ST(e, ST_CHANGING));
			if (!tc.fake_bug && munmap(area, len))
				xt_fail("munmap: %s", strerror(errno));
			st_store(ST(e, ST_UNMAPPED));
			probed += wait_readers(1, e, 20);
			if (mremap(p, len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
				   area) != area)
				xt_fail("mremap into place: %s", strerror(errno));
		} else if (mode == 1) {
			uint64_t k = (e + 1) % kpages;

			fill_epoch(w + k * len, e + 1);
			st_store(ST(e, ST_CHANGING));
			p = tc.fake_bug ? area :
			    mmap(area, len, PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_FIXED, fd, k * len);
			if (p != area)
				xt_fail("mmap fixed: %s", strerror(errno));
		} else {
			uint64_t snap[TLB_PAGES][TLB_READERS];
			int pg, r;

			st_store(ST(e, ST_CHANGING));
			if (!tc.fake_bug && mprotect(area, len, PROT_READ))
				xt_fail("mprotect RO: %s", strerror(errno));
			for (pg = 0; pg < TLB_PAGES; pg++)
				for (r = 0; r < TLB_READERS; r++)
					snap[pg][r] = XT_LOAD(tlb_word(area, pg, r));
			st_store(ST(e, ST_UNMAPPED));
			probed += wait_readers(1, e, 20);
			for (pg = 0; pg < TLB_PAGES; pg++)
				for (r = 0; r < TLB_READERS; r++)
					if (snap[pg][r] != XT_LOAD(tlb_word(area, pg, r)))
						xt_fail("epoch %llu: page %d word %d changed after mprotect(PROT_READ) returned: stale writable TLB entry",
							(unsigned long long)e,
							pg, 1 + r);
			st_store(ST(e, ST_CHANGING));
			if (mprotect(area, len, PROT_READ | PROT_WRITE))
				xt_fail("mprotect RW: %s", strerror(errno));
		}
		st_store(ST(e + 1, ST_MAPPED));
	}
	XT_STORE(&tc.stop, 1);
	for (i = 0; i < tc.nr; i++)
		pthread_join(th[i], NULL);
	if (e < 3 || !warmed)
		xt_fail("too little progress: %llu epochs, %llu warmed",
			(unsigned long long)e, (unsigned long long)warmed);
	xt_note("%llu epochs, readers warmed %llu and probed %llu of them, %llu+%llu accesses, %d cpu(s)",
		(unsigned long long)e - 1, (unsigned long long)warmed,
		(unsigned long long)probed,
		(unsigned long long)tc.rd[0].accesses,
		(unsigned long long)tc.rd[1].accesses, xt_ncpus());
	if (fd >= 0)
		close(fd);
}

void t_tlb_munmap(void)
{
	tlb_run(0);
}

void t_tlb_remap(void)
{
	tlb_run(1);
}

void t_tlb_mprotect(void)
{
	tlb_run(2);
}
