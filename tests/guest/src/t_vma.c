// SPDX-License-Identifier: GPL-2.0
/*
 * t_vma.c - address-space system calls: mmap, munmap, mprotect, mremap,
 * madvise, mlock, msync, mincore, brk, private file mappings, leaks.
 *
 * Why this file exists: each of these calls ends in a different PV backend
 * path (ptep_get_and_clear in zap, the batched mprotect walk, move_ptes for
 * mremap, PROT_NONE entries that are non-present but still name a frame).
 * The bugs they catch, and how:
 *
 *  - a PTE not cleared or not flushed on munmap/shrink (mmap_basic,
 *    munmap_partial, mremap, brk): the old address must fault afterwards,
 *    and a new mapping at the same place must read zero, never old stamps;
 *  - a frame handed out again while an old PTE still names it (mmap_basic
 *    loop): every fresh anonymous mapping must read all zero;
 *  - mprotect batches dropped or applied to the wrong PTE (mprotect): writes
 *    must fault on read-only pages and content must survive;
 *  - PROT_NONE entries whose frame number is mistranslated (the entry is not
 *    present, so a backend that only translates present entries, or that
 *    mangles the L1TF-inverted frame bits, loses the page): the content must
 *    come back when the range is made accessible again, also in a child;
 *  - mremap moving PTEs to the wrong place or leaving the old ones behind,
 *    including ranges that are not PMD aligned (mremap);
 *  - MADV_DONTNEED/MADV_FREE leaving a PTE behind, or a zapped page-cache
 *    PTE not refaulting to the same data (madv_dontneed, madv_free);
 *  - page-cache pages mapped through stale or foreign frames: MAP_SHARED
 *    writes must reach read()/pread() and the other way round, and
 *    MAP_PRIVATE copies must never reach the file (msync, file_private);
 *  - leaked frames or page tables: memory must come back after many
 *    map/touch/unmap and fork/exit cycles (mm_leak).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xt.h"

#ifndef MADV_FREE
#define MADV_FREE 8
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define PG(base, i) ((uint8_t *)(base) + (size_t)(i) * XT_PAGE)

void t_mmap_basic(void)
{
	long loops = xt_scaled(100), i;
	uint64_t seed = xt_seed();
	uint8_t *a, *b;

	a = xt_map(64);
	xt_check_zero(a, 64, "fresh mapping");
	xt_stamp(a, 64, seed, 0);
	xt_verify(a, 64, seed, 0, "after stamp");
	if (munmap(a, 64 * XT_PAGE))
		xt_fail("munmap: %s", strerror(errno));
	xt_must_fault_read(PG(a, 0), "first page after munmap");
	xt_must_fault_read(PG(a, 31), "middle page after munmap");
	xt_must_fault_write(PG(a, 63), "last page after munmap");

	b = mmap(NULL, 4 * XT_PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (b == MAP_FAILED)
		xt_fail("mmap PROT_NONE: %s", strerror(errno));
	xt_must_fault_read(b, "PROT_NONE read");
	xt_must_fault_write(PG(b, 3), "PROT_NONE write");
	munmap(b, 4 * XT_PAGE);

	b = mmap(NULL, 4 * XT_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (b == MAP_FAILED)
		xt_fail("mmap PROT_READ: %s", strerror(errno));
	xt_check_zero(b, 4, "PROT_READ zero page");
	xt_must_fault_write(PG(b, 1), "PROT_READ write");
	munmap(b, 4 * XT_PAGE);

	/* Recycled frames must come back zeroed, never with old stamps. */
	for (i = 0; i < loops; i++) {
		a = xt_map(32);
		xt_check_zero(a, 32, "recycled anonymous mapping");
		xt_stamp(a, 32, seed + i, 0);
		xt_verify(a, 32, seed + i, 0, "recycled mapping");
		munmap(a, 32 * XT_PAGE);
	}
}

void t_mmap_fixed(void)
{
	uint64_t seed = xt_seed();
	uint8_t *a, *p;
	int fd;

	a = xt_map(32);
	xt_stamp(a, 32, seed, 0);
	p = mmap(PG(a, 8), 8 * XT_PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p != PG(a, 8))
		xt_fail("MAP_FIXED anon: %s", strerror(errno));
	xt_check_zero(PG(a, 8), 8, "MAP_FIXED replaced range");
	xt_verify(a, 8, seed, 0, "pages before the replaced range");
	xt_verify_range(a, 16, 16, seed, 0, "pages after the replaced range");

	fd = memfd_create("xt-fixed", 0);
	if (fd < 0)
		xt_fail("memfd_create: %s", strerror(errno));
	if (ftruncate(fd, 4 * XT_PAGE))
		xt_fail("ftruncate: %s", strerror(errno));
	p = mmap(NULL, 4 * XT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		xt_fail("mmap memfd: %s", strerror(errno));
	xt_stamp(p, 4, seed + 1, 0);
	munmap(p, 4 * XT_PAGE);
	p = mmap(PG(a, 20), 4 * XT_PAGE, PROT_READ, MAP_SHARED | MAP_FIXED, fd,
		 0);
	if (p != PG(a, 20))
		xt_fail("MAP_FIXED memfd: %s", strerror(errno));
	xt_verify(p, 4, seed + 1, 0, "memfd mapped over anonymous range");
	xt_must_fault_write(p, "read-only MAP_FIXED memfd");
	close(fd);

	p = mmap(PG(a, 0), XT_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
		 MAP_FIXED_NOREPLACE, -1, 0);
	if (p != MAP_FAILED) {
		if (p == PG(a, 0))
			xt_fail("MAP_FIXED_NOREPLACE replaced a live mapping");
		munmap(p, XT_PAGE);	/* old kernel: treated as a hint */
	}
	xt_verify(a, 8, seed, 0, "after MAP_FIXED_NOREPLACE attempt");
	munmap(a, 32 * XT_PAGE);
}

void t_munmap_partial(void)
{
	uint64_t seed = xt_seed();
	uint8_t *a, *p;
	int i;

	a = xt_map(16);
	xt_stamp(a, 16, seed, 0);
	if (munmap(PG(a, 4), 4 * XT_PAGE) || munmap(PG(a, 15), XT_PAGE) ||
	    munmap(a, XT_PAGE))
		xt_fail("munmap: %s", strerror(errno));
	for (i = 0; i < 16; i++) {
		char what[48];

		snprintf(what, sizeof(what), "page %d", i);
		if (i == 0 || (i >= 4 && i < 8) || i == 15) {
			xt_must_fault_read(PG(a, i), what);
			continue;
		}
	}
	/* The survivors keep their contents. */
	xt_verify_range(a, 1, 3, seed, 0, "pages 1-3 after partial munmap");
	xt_verify_range(a, 8, 7, seed, 0, "pages 8-14 after partial munmap");
	p = mmap(PG(a, 4), 4 * XT_PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p != PG(a, 4))
		xt_fail("remap hole: %s", strerror(errno));
	xt_check_zero(p, 4, "re-mapped hole");
	munmap(a, 16 * XT_PAGE);
}

static void protnone_roundtrip(uint8_t *a, size_t n, uint64_t seed,
			       uint64_t gen, const char *who)
{
	char what[80];

	snprintf(what, sizeof(what), "%s: PROT_NONE page", who);
	xt_must_fault_read(PG(a, n / 2), what);
	if (mprotect(a, n * XT_PAGE, PROT_READ | PROT_WRITE))
		xt_fail("%s: mprotect RW: %s", who, strerror(errno));
	snprintf(what, sizeof(what), "%s: content after PROT_NONE round trip",
		 who);
	xt_verify(a, n, seed, gen, what);
}

void t_mprotect(void)
{
	uint64_t seed = xt_seed();
	size_t big = 1000;
	uint8_t *a;
	pid_t pid;
	int i;

	a = xt_map(32);
	xt_stamp(a, 32, seed, 0);
	if (mprotect(a, 32 * XT_PAGE, PROT_READ))
		xt_fail("mprotect RO: %s", strerror(errno));
	xt_verify(a, 32, seed, 0, "read-only pages");
	for (i = 0; i < 32; i += 7)
		xt_must_fault_write(PG(a, i), "write to read-only page");
	xt_verify(a, 32, seed, 0, "read-only pages after write attempts");
	if (mprotect(a, 32 * XT_PAGE, PROT_READ | PROT_WRITE))
		xt_fail("mprotect RW: %s", strerror(errno));
	xt_stamp(a, 32, seed, 1);
	xt_verify(a, 32, seed, 1, "rewritten after RW");

	/* Split: middle PROT_NONE, edges stay usable. */
	if (mprotect(PG(a, 8), 8 * XT_PAGE, PROT_NONE))
		xt_fail("mprotect NONE: %s", strerror(errno));
	xt_verify(a, 8, seed, 1, "pages before PROT_NONE range");
	xt_must_fault_read(PG(a, 8), "PROT_NONE first");
	xt_must_fault_write(PG(a, 15), "PROT_NONE last");
	if (mprotect(PG(a, 8), 8 * XT_PAGE, PROT_READ | PROT_WRITE))
		xt_fail("mprotect back: %s", strerror(errno));
	xt_verify(a, 32, seed, 1, "content after PROT_NONE split round trip");

	/* PROT_NONE inherited by a child, then restored there and here. */
	if (mprotect(a, 32 * XT_PAGE, PROT_NONE))
		xt_fail("mprotect NONE all: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		xt_fail("fork: %s", strerror(errno));
	if (pid == 0) {
		protnone_roundtrip(a, 32, seed, 1, "child");
		xt_stamp(a, 32, seed, 2);
		_exit(0);
	}
	xt_wait_ok(pid, "PROT_NONE child");
	protnone_roundtrip(a, 32, seed, 1, "parent");
	munmap(a, 32 * XT_PAGE);

	/* The batched path: 1000 touched pages, RO and back. */
	a = xt_map(big);
	xt_stamp(a, big, seed, 3);
	if (mprotect(a, big * XT_PAGE, PROT_READ))
		xt_fail("mprotect big RO: %s", strerror(errno));
	for (i = 0; i < (int)big; i += 97)
		xt_must_fault_write(PG(a, i), "big read-only range");
	xt_must_fault_write(PG(a, big - 1), "big read-only range, last page");
	if (mprotect(a, big * XT_PAGE, PROT_NONE) ||
	    mprotect(a, big * XT_PAGE, PROT_READ | PROT_WRITE))
		xt_fail("mprotect big: %s", strerror(errno));
	xt_verify(a, big, seed, 3, "big range after RO/NONE/RW");
	munmap(a, big * XT_PAGE);
}

static void check_moved(uint8_t *old, uint8_t *new, size_t n, uint64_t seed,
			const char *what)
{
	char label[96];

	snprintf(label, sizeof(label), "%s: content at new address", what);
	xt_verify(new, n, seed, 0, label);
	if (old != new) {
		snprintf(label, sizeof(label), "%s: old address", what);
		xt_must_fault_read(old, label);
		xt_must_fault_read(PG(old, n - 1), label);
	}
}

void t_mremap(void)
{
	uint64_t seed = xt_seed();
	size_t n = 1000;
	uint8_t *a, *b, *blk, *dst;

	/* Grow in place into a hole we made. */
	a = xt_map(32);
	munmap(PG(a, 16), 16 * XT_PAGE);
	xt_stamp(a, 16, seed, 0);
	b = mremap(a, 16 * XT_PAGE, 32 * XT_PAGE, 0);
	if (b == MAP_FAILED)
		xt_fail("mremap grow in place: %s", strerror(errno));
	xt_verify(b, 16, seed, 0, "grown in place");
	xt_check_zero(PG(b, 16), 16, "new tail of grown mapping");

	/* Shrink: the tail must go away. */
	b = mremap(b, 32 * XT_PAGE, 8 * XT_PAGE, 0);
	if (b != a)
		xt_fail("mremap shrink: %s", strerror(errno));
	xt_must_fault_read(PG(a, 8), "tail after shrink");
	xt_must_fault_read(PG(a, 15), "old stamped page after shrink");
	munmap(a, 8 * XT_PAGE);

	/* Move 1000 touched pages, not PMD aligned, forced to move. */
	a = mmap(NULL, (n + 2) * XT_PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED)
		xt_fail("mmap: %s", strerror(errno));
	munmap(a, XT_PAGE);
	a += XT_PAGE;
	blk = PG(a, n);		/* page right after: blocks growing in place */
	if (mprotect(blk, XT_PAGE, PROT_READ))
		xt_fail("mprotect blocker: %s", strerror(errno));
	xt_stamp(a, n, seed, 0);
	b = mremap(a, n * XT_PAGE, (n + 24) * XT_PAGE, MREMAP_MAYMOVE);
	if (b == MAP_FAILED)
		xt_fail("mremap move: %s", strerror(errno));
	if (b == a)
		xt_fail("mremap did not move although the next page is taken");
	check_moved(a, b, n, seed, "mremap MAYMOVE 1000 pages");
	xt_check_zero(PG(b, n), 24, "grown tail after move");

	/* MREMAP_FIXED onto a range we own: replaces it. */
	dst = xt_map(n + 24);
	xt_stamp(dst, 8, seed + 9, 0);
	a = mremap(b, (n + 24) * XT_PAGE, (n + 24) * XT_PAGE,
		   MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	if (a != dst)
		xt_fail("mremap FIXED: %s", strerror(errno));
	check_moved(b, a, n, seed, "mremap FIXED");

	/* DONTUNMAP: old range stays, reads zero. */
	b = mremap(a, 16 * XT_PAGE, 16 * XT_PAGE,
		   MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL);
	if (b == MAP_FAILED) {
		xt_note("MREMAP_DONTUNMAP unsupported: %s", strerror(errno));
	} else {
		xt_verify(b, 16, seed, 0, "DONTUNMAP destination");
		xt_check_zero(a, 16, "DONTUNMAP source");
		munmap(b, 16 * XT_PAGE);
	}
	munmap(a, (n + 24) * XT_PAGE);
	munmap(blk, XT_PAGE);
}

void t_madv_dontneed(void)
{
	uint64_t seed = xt_seed();
	uint8_t *a, *s;
	pid_t pid;
	int fd;

	a = xt_map(64);
	xt_stamp(a, 64, seed, 0);
	if (madvise(PG(a, 16), 16 * XT_PAGE, MADV_DONTNEED))
		xt_fail("MADV_DONTNEED: %s", strerror(errno));
	xt_check_zero(PG(a, 16), 16, "private pages after MADV_DONTNEED");
	xt_verify(a, 16, seed, 0, "pages before the zapped range");

	/* In a child the zap hits COW-shared pages: only the child loses them. */
	xt_stamp(a, 64, seed, 1);
	pid = fork();
	if (pid < 0)
		xt_fail("fork: %s", strerror(errno));
	if (pid == 0) {
		if (madvise(a, 64 * XT_PAGE, MADV_DONTNEED))
			xt_fail("child MADV_DONTNEED: %s", strerror(errno));
		xt_check_zero(a, 64, "child after MADV_DONTNEED");
		_exit(0);
	}
	xt_wait_ok(pid, "DONTNEED child");
	xt_verify(a, 64, seed, 1, "parent after child's MADV_DONTNEED");
	munmap(a, 64 * XT_PAGE);

	/* Shared file pages refault to the same data. */
	fd = memfd_create("xt-dontneed", 0);
	if (fd < 0 || ftruncate(fd, 32 * XT_PAGE))
		xt_fail("memfd: %s", strerror(errno));
	s = mmap(NULL, 32 * XT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (s == MAP_FAILED)
		xt_fail("mmap memfd: %s", strerror(errno));
	xt_stamp(s, 32, seed, 2);
	if (madvise(s, 32 * XT_PAGE, MADV_DONTNEED))
		xt_fail("MADV_DONTNEED shared: %s", strerror(errno));
	xt_verify(s, 32, seed, 2, "shared pages refaulted after MADV_DONTNEED");
	munmap(s, 32 * XT_PAGE);
	close(fd);
}

void t_madv_free(void)
{
	uint64_t seed = xt_seed();
	int kept = 0, zero = 0;
	size_t n = 256, p;
	uint8_t *a;

	a = xt_map(n);
	xt_stamp(a, n, seed, 0);
	if (madvise(a, n * XT_PAGE, MADV_FREE)) {
		if (errno == EINVAL) {
			xt_note("MADV_FREE not supported");
			return;
		}
		xt_fail("MADV_FREE: %s", strerror(errno));
	}
	/* Each page is either intact or freed (zero); nothing else. */
	for (p = 0; p < n; p++) {
		if (xt_check_range(a, p, 1, seed, 0) == -1)
			kept++;
		else if (xt_page_is_zero(a, p))
			zero++;
		else
			xt_fail("page %zu after MADV_FREE is neither old data nor zero (%016llx)",
				p, (unsigned long long)
				XT_LOAD((uint64_t *)PG(a, p)));
	}
	/* A write cancels the lazy free: it must stick. */
	xt_stamp(a, n, seed, 1);
	xt_verify(a, n, seed, 1, "rewritten after MADV_FREE");
	if (zero)
		xt_note("%d pages kept, %d freed", kept, zero);
	munmap(a, n * XT_PAGE);
}

void t_mlock(void)
{
	uint64_t seed = xt_seed();
	unsigned char vec[64];
	uint8_t *a;
	pid_t pid;
	int i;

	a = xt_map(64);
	if (mlock(a, 64 * XT_PAGE)) {
		xt_note("mlock refused (%s): checking content only",
			strerror(errno));
	} else {
		if (mincore(a, 64 * XT_PAGE, vec))
			xt_fail("mincore: %s", strerror(errno));
		for (i = 0; i < 64; i++)
			if (!(vec[i] & 1))
				xt_fail("mlocked page %d not resident", i);
	}
	xt_stamp(a, 64, seed, 0);
	pid = fork();
	if (pid < 0)
		xt_fail("fork: %s", strerror(errno));
	if (pid == 0) {
		/* mlock is not inherited; the data is. */
		xt_verify(a, 64, seed, 0, "child view of mlocked pages");
		xt_stamp(a, 64, seed, 1);
		_exit(0);
	}
	xt_wait_ok(pid, "mlock child");
	xt_verify(a, 64, seed, 0, "mlocked pages after child wrote");
	if (munlock(a, 64 * XT_PAGE))
		xt_fail("munlock: %s", strerror(errno));
	xt_verify(a, 64, seed, 0, "after munlock");
	munmap(a, 64 * XT_PAGE);
}

static int shm_file(const char *tag, size_t npages)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/xenpv-%s-%d", xt_shm_dir(), tag,
		 (int)getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		xt_fail("open %s: %s", path, strerror(errno));
	unlink(path);
	if (ftruncate(fd, npages * XT_PAGE))
		xt_fail("ftruncate: %s", strerror(errno));
	return fd;
}

void t_msync(void)
{
	uint64_t seed = xt_seed(), v, w;
	uint8_t *a, *b;
	size_t p;
	int fd;

	fd = shm_file("msync", 16);
	a = mmap(NULL, 16 * XT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	b = mmap(NULL, 16 * XT_PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (a == MAP_FAILED || b == MAP_FAILED)
		xt_fail("mmap shared file: %s", strerror(errno));
	xt_stamp(a, 16, seed, 0);
	if (msync(a, 16 * XT_PAGE, MS_SYNC))
		xt_fail("msync: %s", strerror(errno));
	xt_verify(b, 16, seed, 0, "second mapping of the same file");
	for (p = 0; p < 16; p++) {
		if (pread(fd, &v, 8, p * XT_PAGE) != 8)
			xt_fail("pread: %s", strerror(errno));
		if (v != xt_key(seed, p, 0))
			xt_fail("file page %zu does not hold the mapped write", p);
	}
	/* write() must show up in both mappings at once. */
	w = 0x1234567890abcdefULL;
	if (pwrite(fd, &w, 8, 5 * XT_PAGE + 16) != 8)
		xt_fail("pwrite: %s", strerror(errno));
	if (XT_LOAD((uint64_t *)(PG(a, 5) + 16)) != w ||
	    XT_LOAD((uint64_t *)(PG(b, 5) + 16)) != w)
		xt_fail("pwrite not visible through the shared mappings");
	if (msync(a, 16 * XT_PAGE, MS_INVALIDATE | MS_SYNC))
		xt_fail("msync invalidate: %s", strerror(errno));
	xt_verify(a, 16, seed, 0, "after MS_INVALIDATE");
	munmap(a, 16 * XT_PAGE);
	munmap(b, 16 * XT_PAGE);
	a = mmap(NULL, 16 * XT_PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (a == MAP_FAILED)
		xt_fail("remap: %s", strerror(errno));
	xt_verify(a, 16, seed, 0, "file re-mapped");
	munmap(a, 16 * XT_PAGE);
	close(fd);
}

void t_mincore(void)
{
	unsigned char vec[32];
	uint8_t *a;
	int i;

	a = xt_map(32);
	if (mincore(a, 32 * XT_PAGE, vec))
		xt_fail("mincore: %s", strerror(errno));
	for (i = 0; i < 32; i++)
		if (vec[i] & 1)
			xt_fail("untouched anonymous page %d reported resident", i);
	for (i = 0; i < 32; i += 2)
		XT_STORE(PG(a, i), 1);
	if (mincore(a, 32 * XT_PAGE, vec))
		xt_fail("mincore: %s", strerror(errno));
	for (i = 0; i < 32; i++)
		if ((vec[i] & 1) != !(i & 1))
			xt_fail("page %d residency %d, expected %d", i,
				vec[i] & 1, !(i & 1));
	if (madvise(a, 32 * XT_PAGE, MADV_DONTNEED))
		xt_fail("MADV_DONTNEED: %s", strerror(errno));
	if (mincore(a, 32 * XT_PAGE, vec))
		xt_fail("mincore: %s", strerror(errno));
	for (i = 0; i < 32; i++)
		if (vec[i] & 1)
			xt_fail("page %d resident after MADV_DONTNEED", i);
	munmap(a, 32 * XT_PAGE);
	if (mincore(a, XT_PAGE, vec) == 0 || errno != ENOMEM)
		xt_fail("mincore on unmapped range did not fail with ENOMEM");
}

void t_brk(void)
{
	uint64_t seed = xt_seed();
	uintptr_t start, top;
	uint8_t *base;

	start = (uintptr_t)sbrk(0);
	if (sbrk(64 * XT_PAGE) == (void *)-1)
		xt_fail("sbrk grow: %s", strerror(errno));
	/* Work on whole pages above the (possibly unaligned) old break. */
	base = (uint8_t *)((start + XT_PAGE - 1) & ~(XT_PAGE - 1));
	xt_stamp(base, 63, seed, 0);
	xt_verify(base, 63, seed, 0, "brk area");
	if (sbrk(-32 * (long)XT_PAGE) == (void *)-1)
		xt_fail("sbrk shrink: %s", strerror(errno));
	top = ((uintptr_t)sbrk(0) + XT_PAGE - 1) & ~(XT_PAGE - 1);
	xt_must_fault_read((void *)top, "page above the shrunk break");
	xt_must_fault_write((void *)(top + 16 * XT_PAGE), "page well above the shrunk break");
	xt_verify(base, (top - (uintptr_t)base) / XT_PAGE, seed, 0,
		  "brk area below the break after shrink");
	if (sbrk(32 * XT_PAGE) == (void *)-1)
		xt_fail("sbrk regrow: %s", strerror(errno));
	xt_check_zero((void *)top, 16, "brk pages regrown after shrink");
	if (brk((void *)start))
		xt_fail("brk back: %s", strerror(errno));
}

void t_file_private(void)
{
	uint64_t seed = xt_seed(), v, w = 0xfeedfacecafebeefULL;
	uint8_t *sh, *pv;
	pid_t pid;
	int fd;

	fd = shm_file("private", 16);
	sh = mmap(NULL, 16 * XT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	pv = mmap(NULL, 16 * XT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (sh == MAP_FAILED || pv == MAP_FAILED)
		xt_fail("mmap: %s", strerror(errno));
	xt_stamp(sh, 16, seed, 0);
	xt_verify(pv, 16, seed, 0, "MAP_PRIVATE view of the file");
	/* Private copies of pages 0..7 only. */
	xt_stamp(pv, 8, seed, 1);
	xt_verify(sh, 16, seed, 0, "shared view after private writes");
	if (pread(fd, &v, 8, 0) != 8 || v != xt_key(seed, 0, 0))
		xt_fail("private write reached the file");
	/* File changes show in unmodified private pages, not in copied ones. */
	if (pwrite(fd, &w, 8, 12 * XT_PAGE + 8) != 8 ||
	    pwrite(fd, &w, 8, 2 * XT_PAGE + 8) != 8)
		xt_fail("pwrite: %s", strerror(errno));
	if (XT_LOAD((uint64_t *)(PG(pv, 12) + 8)) != w)
		xt_fail("file update invisible in an unmodified private page");
	if (XT_LOAD((uint64_t *)(PG(pv, 2) + 8)) == w)
		xt_fail("file update leaked into a private copy");
	pid = fork();
	if (pid < 0)
		xt_fail("fork: %s", strerror(errno));
	if (pid == 0) {
		xt_verify(pv, 8, seed, 1, "child: private copies");
		xt_stamp(pv, 16, seed, 2);
		xt_verify(pv, 16, seed, 2, "child: own writes");
		_exit(0);
	}
	xt_wait_ok(pid, "file_private child");
	xt_verify(pv, 8, seed, 1, "parent private copies after child wrote");
	if (XT_LOAD((uint64_t *)(PG(sh, 12) + 8)) != w)
		xt_fail("shared view lost the pwrite");
	munmap(sh, 16 * XT_PAGE);
	munmap(pv, 16 * XT_PAGE);
	close(fd);
}

static long meminfo_kb(const char *key)
{
	char line[128];
	size_t kl = strlen(key);
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, kl) && line[kl] == ':') {
			v = atol(line + kl + 1);
			break;
		}
	fclose(f);
	return v;
}

/* MemFree, read a few times a little apart; the highest value wins. */
static long settled_memfree(void)
{
	long best = -1, v;
	int i;

	for (i = 0; i < 3; i++) {
		v = meminfo_kb("MemFree");
		if (v > best)
			best = v;
		usleep(10000);
	}
	return best;
}

/* Map, touch, (fork, COW) and unmap 8 MiB @cycles times; returns KiB moved. */
static long leak_batch(long cycles)
{
	size_t n = 2048;	/* 8 MiB */
	long i, moved = 0;
	uint8_t *a;

	for (i = 0; i < cycles; i++) {
		pid_t pid;

		a = xt_map(n);
		xt_stamp(a, n, i, 0);
		if (i % 2) {
			pid = fork();
			if (pid < 0)
				xt_fail("fork: %s", strerror(errno));
			if (pid == 0) {
				xt_stamp(a, n / 2, i, 1);
				_exit(0);
			}
			xt_wait_ok(pid, "mm_leak child");
			moved += n / 2 * 4;
		}
		xt_verify(a, n, i, 0, "mm_leak cycle");
		/* Self-test of the checker: XENPV_LEAK_FAKE_BUG keeps the memory. */
		if (!getenv("XENPV_LEAK_FAKE_BUG"))
			munmap(a, n * XT_PAGE);
		moved += n * 4;
	}
	return moved;
}

/*
 * Cycle far more memory than the slack we allow through map/touch/unmap and
 * fork/touch/exit, in two batches.  A backend that leaks the frames of
 * cleared PTEs, or page tables it failed to unpin, loses memory in both
 * batches in proportion to what was cycled; unrelated activity elsewhere in
 * the system rarely shrinks MemFree twice in a row by that much.
 */
void t_mm_leak(void)
{
	long cycles = xt_scaled(10), before, mid, after, moved, limit;
	uint8_t *a;

	/* Warm up allocator caches so they do not count as a leak. */
	a = xt_map(2048);
	xt_stamp(a, 2048, 1, 0);
	munmap(a, 2048 * XT_PAGE);
	before = settled_memfree();
	moved = leak_batch(cycles);
	mid = settled_memfree();
	leak_batch(cycles);
	after = settled_memfree();
	if (before < 0 || mid < 0 || after < 0) {
		xt_note("no /proc/meminfo: leak check skipped");
		return;
	}
	/* A quarter of what one batch cycled, and never less than 24 MiB. */
	limit = moved / 4 > 24 * 1024 ? moved / 4 : 24 * 1024;
	if (before - mid > limit && mid - after > limit)
		xt_fail("MemFree dropped by %ld and %ld KiB in two batches cycling %ld KiB each (leak)",
			before - mid, mid - after, moved);
	if (before - mid > limit || mid - after > limit)
		xt_note("MemFree drops %ld / %ld KiB (one batch only: noise)",
			before - mid, mid - after);
}
