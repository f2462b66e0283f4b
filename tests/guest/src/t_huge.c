// SPDX-License-Identifier: GPL-2.0
/*
 * t_huge.c - huge pages must be refused or fall back cleanly, never hang.
 *
 * Why this file exists: Xen does not accept PSE (2 MiB) entries in a PV
 * guest's L2 tables.  If a backend lets hugetlbfs or THP install one, Xen
 * rejects the update, set_pmd cannot report it, and the faulting process
 * loops on the same fault forever (the bug that made Linux disable hugetlbfs
 * under PV in 2016).  How these tests provoke it: map and touch a
 * MAP_HUGETLB region and a 2 MiB-aligned region advised MADV_HUGEPAGE (and
 * try MADV_COLLAPSE), fork and write (COW of a huge page), mprotect and
 * munmap part of it (splits).  Each is bounded by alarm() in a child:
 * refusal (mmap/madvise error, SIGBUS at fault time) is fine, a hang or
 * wrong data is a failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xt.h"

#ifndef MAP_HUGETLB
#define MAP_HUGETLB 0x40000
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif
#ifndef MFD_HUGETLB
#define MFD_HUGETLB 4U
#endif

#define HUGE_SZ (2UL << 20)
#define HUGE_ALARM 30

/* Run @fn in a child with an alarm; a SIGALRM death means a hang. */
static void bounded(void (*fn)(void), const char *what)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		xt_fail("fork: %s", strerror(errno));
	if (pid == 0) {
		alarm(HUGE_ALARM);
		fn();
		_exit(0);
	}
	if (waitpid(pid, &st, 0) != pid)
		xt_fail("waitpid: %s", strerror(errno));
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM)
		xt_fail("%s: no progress within %d s (fault loop / hang)",
			what, HUGE_ALARM);
	if (WIFSIGNALED(st))
		xt_fail("%s: killed by signal %d", what, WTERMSIG(st));
	if (WEXITSTATUS(st))
		xt_fail("%s: exit status %d", what, WEXITSTATUS(st));
}

/*
 * Touch, check, fork+COW and check a region that may be huge.  Returns the
 * seed of the stamps left in the region, or 0 if touching it was refused.
 */
static uint64_t exercise(uint8_t *a, size_t len, const char *what)
{
	size_t n = len / XT_PAGE;
	uint64_t seed = xt_seed() | 1;
	pid_t pid;
	int sig;

	sig = xt_probe_write(a, 1);
	if (sig == SIGBUS) {
		xt_note("%s: refused at fault time (SIGBUS)", what);
		return 0;
	}
	if (sig)
		xt_fail("%s: first touch raised signal %d", what, sig);
	xt_stamp(a, n, seed, 0);
	xt_verify(a, n, seed, 0, what);
	pid = fork();
	if (pid < 0)
		xt_fail("fork: %s", strerror(errno));
	if (pid == 0) {
		xt_stamp(a, n / 2, seed, 1);
		xt_verify(a, n / 2, seed, 1, "child COW of huge region");
		xt_verify_range(a, n / 2, n - n / 2, seed, 0,
				"child: untouched half");
		_exit(0);
	}
	xt_wait_ok(pid, "huge COW child");
	xt_verify(a, n, seed, 0, "parent after child's COW writes");
	return seed;
}

static void hugetlb_body(void)
{
	uint8_t *a;
	int fd;

	a = mmap(NULL, HUGE_SZ, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (a == MAP_FAILED) {
		xt_note("MAP_HUGETLB refused: %s", strerror(errno));
	} else {
		(void)exercise(a, HUGE_SZ, "MAP_HUGETLB region");
		if (munmap(a, HUGE_SZ))
			xt_fail("munmap hugetlb: %s", strerror(errno));
		xt_must_fault_read(a, "hugetlb region after munmap");
	}
	fd = memfd_create("xt-huge", MFD_HUGETLB);
	if (fd < 0) {
		xt_note("memfd MFD_HUGETLB refused: %s", strerror(errno));
		return;
	}
	if (ftruncate(fd, HUGE_SZ)) {
		xt_note("hugetlb memfd ftruncate refused: %s", strerror(errno));
		return;
	}
	a = mmap(NULL, HUGE_SZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (a == MAP_FAILED) {
		xt_note("hugetlb memfd mmap refused: %s", strerror(errno));
		return;
	}
	if (xt_probe_write(a, 7) == SIGBUS)
		xt_note("hugetlb memfd: refused at fault time (SIGBUS)");
	munmap(a, HUGE_SZ);
	close(fd);
}

void t_huge_hugetlb(void)
{
	bounded(hugetlb_body, "MAP_HUGETLB");
}

static long smaps_anon_huge_kb(void)
{
	char line[160];
	long kb = -1;
	FILE *f = fopen("/proc/self/smaps_rollup", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "AnonHugePages:", 14))
			kb = atol(line + 14);
	fclose(f);
	return kb;
}

static void thp_body(void)
{
	size_t len = 2 * HUGE_SZ, n = len / XT_PAGE;
	uint64_t seed = xt_seed();
	uint8_t *raw, *a;
	long huge;

	raw = mmap(NULL, len + HUGE_SZ, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		xt_fail("mmap: %s", strerror(errno));
	a = (uint8_t *)(((uintptr_t)raw + HUGE_SZ - 1) & ~(HUGE_SZ - 1));
	if (madvise(a, len, MADV_HUGEPAGE))
		xt_note("MADV_HUGEPAGE refused: %s", strerror(errno));
	seed = exercise(a, len, "THP-advised region");
	if (!seed)
		return;
	huge = smaps_anon_huge_kb();
	if (madvise(a, len, MADV_COLLAPSE))
		xt_note("MADV_COLLAPSE refused: %s", strerror(errno));
	xt_verify(a, n, seed, 0, "after MADV_COLLAPSE");
	/* Split by mprotect of a part, then by partial munmap. */
	if (mprotect(a + XT_PAGE * 3, HUGE_SZ / 2, PROT_READ))
		xt_fail("mprotect part: %s", strerror(errno));
	xt_must_fault_write(a + XT_PAGE * 4, "read-only part of THP region");
	xt_verify(a, n, seed, 0, "after partial mprotect");
	if (munmap(a + HUGE_SZ / 2, HUGE_SZ))
		xt_fail("partial munmap: %s", strerror(errno));
	xt_must_fault_read(a + HUGE_SZ, "unmapped middle of THP region");
	xt_verify(a, HUGE_SZ / 2 / XT_PAGE, seed, 0, "head after partial munmap");
	xt_verify_range(a, (HUGE_SZ + HUGE_SZ / 2) / XT_PAGE,
			(HUGE_SZ / 2) / XT_PAGE, seed, 0, "tail after partial munmap");
	xt_note("AnonHugePages while mapped: %ld kB", huge);
	munmap(raw, len + HUGE_SZ);
}

void t_huge_thp(void)
{
	bounded(thp_body, "THP");
}
