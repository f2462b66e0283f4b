// SPDX-License-Identifier: GPL-2.0
/*
 * stress.c - "xenpv-tests stress SECONDS": mixed MMU load with content
 * checks, run by the rig while a live migration is in progress.
 *
 * Why this file exists: live migration copies memory while the guest keeps
 * changing it, and resumes it on another host with rebuilt page tables and
 * a new p2m.  Bugs that only show up then: a write that happened during the
 * last copy round and was never marked dirty, a page-table page restored
 * from an old copy (a PTE pointing at a frame freed before the switch),
 * a pinned table whose pin was lost, a TLB entry surviving the move, a
 * multicall batch in flight at suspend time.  How it provokes them: several
 * worker processes loop over random mmap, munmap, mprotect, mremap,
 * MADV_DONTNEED, fork with COW writes on both sides, and fork+exec, on
 * private and shared regions whose every page carries a keyed stamp; every
 * operation is followed by a content check, and every unmap or mprotect by
 * a fault check.  Any mismatch ends the run with "stress: FAIL ..." and a
 * non-zero exit status; otherwise it prints "stress: OK N ops".
 *
 * Memory stays bounded: at most 8 regions of at most 128 pages per worker,
 * 4 workers, plus one COW child each: about 32 MiB at worst.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xt.h"
#include "runner.h"

#define ST_REGIONS	8
#define ST_MAXPAGES	128
#define ST_WORKERS	4

enum { OP_MAP, OP_UNMAP, OP_PROTECT, OP_FORK, OP_REMAP, OP_DONTNEED,
	OP_VERIFY, OP_EXEC, OP_COUNT };

static const char * const op_names[OP_COUNT] = {
	"map", "unmap", "mprotect", "fork", "mremap", "dontneed", "verify",
	"exec",
};

struct region {
	uint8_t *addr;
	size_t n;
	uint64_t seed;
	uint64_t gen;
	int shared;
};

struct st_shared {
	unsigned long long ops[ST_WORKERS][OP_COUNT];
};

static struct st_shared *sh;
static struct region rg[ST_REGIONS];
static uint64_t rng_state;
static int worker;
static const char *true_path;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static struct region *pick(int used)
{
	int i, start = rnd() % ST_REGIONS;

	for (i = 0; i < ST_REGIONS; i++) {
		struct region *r = &rg[(start + i) % ST_REGIONS];

		if (!!r->addr == used)
			return r;
	}
	return NULL;
}

static void check(struct region *r, const char *what)
{
	char label[96];

	snprintf(label, sizeof(label), "worker %d: %s (%s region, %zu pages)",
		 worker, what, r->shared ? "shared" : "private", r->n);
	xt_verify(r->addr, r->n, r->seed, r->gen, label);
}

static void check_all(const char *what)
{
	int i;

	for (i = 0; i < ST_REGIONS; i++)
		if (rg[i].addr)
			check(&rg[i], what);
}

static void restamp(struct region *r, uint64_t gen)
{
	r->gen = gen;
	xt_stamp(r->addr, r->n, r->seed, r->gen);
}

static int op_map(void)
{
	struct region *r = pick(0);

	if (!r)
		return OP_VERIFY;
	r->n = 1 + rnd() % 64;
	r->shared = rnd() % 4 == 0;
	r->seed = rnd();
	r->addr = mmap(NULL, r->n * XT_PAGE, PROT_READ | PROT_WRITE,
		       (r->shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS,
		       -1, 0);
	if (r->addr == MAP_FAILED)
		xt_fail("worker %d: mmap %zu pages: %s", worker, r->n,
			strerror(errno));
	xt_check_zero(r->addr, r->n, "new mapping");
	restamp(r, 0);
	check(r, "after map");
	return OP_MAP;
}

static int op_unmap(void)
{
	struct region *r = pick(1);

	if (!r)
		return op_map();
	check(r, "before munmap");
	if (munmap(r->addr, r->n * XT_PAGE))
		xt_fail("worker %d: munmap: %s", worker, strerror(errno));
	xt_must_fault_read(r->addr + (rnd() % r->n) * XT_PAGE,
			   "stress: page after munmap");
	r->addr = NULL;
	return OP_UNMAP;
}

static int op_protect(void)
{
	struct region *r = pick(1);

	if (!r)
		return op_map();
	if (mprotect(r->addr, r->n * XT_PAGE, PROT_READ))
		xt_fail("worker %d: mprotect RO: %s", worker, strerror(errno));
	check(r, "read-only");
	xt_must_fault_write(r->addr + (rnd() % r->n) * XT_PAGE,
			    "stress: write to read-only region");
	if (rnd() % 2) {
		if (mprotect(r->addr, r->n * XT_PAGE, PROT_NONE))
			xt_fail("worker %d: mprotect NONE: %s", worker,
				strerror(errno));
		xt_must_fault_read(r->addr, "stress: PROT_NONE region");
	}
	if (mprotect(r->addr, r->n * XT_PAGE, PROT_READ | PROT_WRITE))
		xt_fail("worker %d: mprotect RW: %s", worker, strerror(errno));
	check(r, "after mprotect round trip");
	restamp(r, r->gen + 1);
	return OP_PROTECT;
}

static int op_fork(void)
{
	struct region *r;
	pid_t pid;
	int i;

	pid = fork();
	if (pid < 0)
		xt_fail("worker %d: fork: %s", worker, strerror(errno));
	if (pid == 0) {
		check_all("child right after fork");
		for (i = 0; i < ST_REGIONS; i++)
			if (rg[i].addr)
				restamp(&rg[i], rg[i].gen + 2);
		check_all("child after own writes");
		_exit(0);
	}
	/* Parent writes private regions while the child runs. */
	r = pick(1);
	if (r && !r->shared)
		restamp(r, r->gen + 1);
	xt_wait_ok(pid, "stress fork child");
	for (i = 0; i < ST_REGIONS; i++)
		if (rg[i].addr && rg[i].shared)
			rg[i].gen += 2;	/* the child's writes are ours too */
	check_all("parent after fork child exit");
	return OP_FORK;
}

static int op_remap(void)
{
	struct region *r = pick(1);
	size_t nn;
	uint8_t *old, *p;

	if (!r)
		return op_map();
	/* Shared anonymous memory has a fixed size: only shrink it. */
	nn = r->n + 1 + rnd() % 16;
	if (nn > ST_MAXPAGES || r->shared || rnd() % 3 == 0)
		nn = 1 + rnd() % r->n;		/* shrink (or same size) */
	old = r->addr;
	p = mremap(old, r->n * XT_PAGE, nn * XT_PAGE, MREMAP_MAYMOVE);
	if (p == MAP_FAILED)
		xt_fail("worker %d: mremap %zu -> %zu: %s", worker, r->n, nn,
			strerror(errno));
	r->addr = p;
	if (nn < r->n) {
		xt_must_fault_read(p + nn * XT_PAGE, "stress: tail after shrink");
		r->n = nn;
		check(r, "after mremap shrink");
	} else {
		check(r, "after mremap grow");
		if (p != old)
			xt_must_fault_read(old, "stress: old address after move");
		r->n = nn;
		restamp(r, r->gen + 1);
	}
	return OP_REMAP;
}

static int op_dontneed(void)
{
	struct region *r = pick(1);
	size_t half;

	if (!r)
		return op_map();
	half = r->n / 2 ? r->n / 2 : 1;
	if (madvise(r->addr, half * XT_PAGE, MADV_DONTNEED))
		xt_fail("worker %d: MADV_DONTNEED: %s", worker, strerror(errno));
	if (r->shared) {
		check(r, "shared region after MADV_DONTNEED");
	} else {
		xt_check_zero(r->addr, half, "stress: private pages after MADV_DONTNEED");
		xt_verify_range(r->addr, half, r->n - half, r->seed, r->gen,
				"stress: pages after the zapped half");
	}
	restamp(r, r->gen + 1);
	return OP_DONTNEED;
}

static int op_exec(void)
{
	char *const argv[] = { "xenpv-true", NULL };
	char *const envp[] = { NULL };
	pid_t pid;

	if (!true_path || rnd() % 4)
		return OP_VERIFY;
	pid = fork();
	if (pid < 0)
		xt_fail("worker %d: fork: %s", worker, strerror(errno));
	if (pid == 0) {
		execve(true_path, argv, envp);
		_exit(127);
	}
	xt_wait_ok(pid, "stress fork+exec");
	return OP_EXEC;
}

static void worker_main(int w, double deadline)
{
	int op;

	worker = w;
	rng_state = xt_seed() | 1;
	xt_install_fault_handler();
	while (xt_now_ms() < deadline) {
		switch (rnd() % OP_COUNT) {
		case OP_MAP:
			op = op_map();
			break;
		case OP_UNMAP:
			op = op_unmap();
			break;
		case OP_PROTECT:
			op = op_protect();
			break;
		case OP_FORK:
			op = op_fork();
			break;
		case OP_REMAP:
			op = op_remap();
			break;
		case OP_DONTNEED:
			op = op_dontneed();
			break;
		case OP_EXEC:
			op = op_exec();
			break;
		default:
			op = OP_VERIFY;
			break;
		}
		if (op == OP_VERIFY)
			check_all("periodic check");
		__atomic_fetch_add(&sh->ops[w][op], 1, __ATOMIC_RELAXED);
	}
	check_all("final check");
	_exit(0);
}

/**
 * xt_stress_main() - "stress SECONDS" entry point.
 * @argc: argument count (argv[0] is "stress").
 * @argv: arguments.
 *
 * Return: 0 if every check passed, 1 on a mismatch or hang, 2 on usage error.
 */
int xt_stress_main(int argc, char **argv)
{
	int secs = argc > 1 ? atoi(argv[1]) : 0, nw, i, st, live, failed = 0;
	unsigned long long total = 0, per[OP_COUNT] = { 0 };
	double start, deadline;
	pid_t pids[ST_WORKERS];
	char path[4200];

	if (secs <= 0) {
		fprintf(stderr, "usage: xenpv-tests stress SECONDS\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/xenpv-true", xt_bindir);
	true_path = access(path, X_OK) ? NULL : path;
	nw = 2 * xt_ncpus();
	nw = nw < 2 ? 2 : nw > ST_WORKERS ? ST_WORKERS : nw;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	xt_result = mmap(NULL, sizeof(*xt_result), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED || xt_result == MAP_FAILED) {
		printf("stress: FAIL mmap: %s\n", strerror(errno));
		return 1;
	}
	snprintf(xt_result->name, sizeof(xt_result->name), "stress");
	start = xt_now_ms();
	deadline = start + secs * 1000.0;
	fflush(stdout);
	for (i = 0; i < nw; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			printf("stress: FAIL fork: %s\n", strerror(errno));
			nw = i;
			failed = 1;
			break;
		}
		if (pids[i] == 0)
			worker_main(i, deadline);
	}
	/* Workers stop themselves at the deadline; a hung one is a failure. */
	for (live = nw; live > 0;) {
		pid_t p = waitpid(-1, &st, WNOHANG);

		if (p > 0) {
			for (i = 0; i < nw; i++)
				if (pids[i] == p) {
					pids[i] = 0;
					live--;
					if (!WIFEXITED(st) || WEXITSTATUS(st))
						failed = 1;
				}
			continue;
		}
		if (xt_now_ms() > deadline + 120000.0) {
			printf("stress: FAIL %d worker(s) still running 120 s after the deadline (hang)\n",
			       live);
			for (i = 0; i < nw; i++)
				if (pids[i])
					kill(pids[i], SIGKILL);
			failed = 1;
			break;
		}
		usleep(50000);
	}
	for (i = 0; i < nw; i++) {
		int op;

		for (op = 0; op < OP_COUNT; op++) {
			per[op] += XT_LOAD(&sh->ops[i][op]);
			total += XT_LOAD(&sh->ops[i][op]);
		}
	}
	printf("stress: %d workers, %.1f s:", nw, (xt_now_ms() - start) / 1e3);
	for (i = 0; i < OP_COUNT; i++)
		printf(" %s=%llu", op_names[i], per[i]);
	printf("\n");
	if (failed || xt_result->claimed) {
		printf("stress: FAIL %s\n", xt_result->ready ? xt_result->reason :
		       "a worker died without a reason");
		return 1;
	}
	printf("stress: OK %llu ops\n", total);
	return 0;
}
