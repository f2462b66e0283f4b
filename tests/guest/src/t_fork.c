// SPDX-License-Identifier: GPL-2.0
/*
 * t_fork.c - fork, copy-on-write, vfork and clone(CLONE_VM) integrity.
 *
 * Why this file exists: fork is the PV backend's hottest and most
 * optimised path (the parent's write-protect of every private PTE, direct
 * stores into the child's still unpinned tables, pinning the child, one TLB
 * flush for the lot).  The bugs these tests catch:
 *
 *  - a parent PTE left writable, or a write-protect that was batched but
 *    never issued: the parent's post-fork writes leak into the child
 *    (fork_cow_*: parent writes first, child must still see the old data);
 *  - a child PTE pointing at the wrong frame or copied before the parent's
 *    last write reached the page: child sees other data than the parent had;
 *  - a missing remote TLB flush after the parent's write-protect: a sibling
 *    thread on another CPU keeps writing through its stale writable TLB entry
 *    into the now shared frame (fork_cow_thread: the child watches the
 *    frames and any change is a leak);
 *  - COW of pages shared by three or more processes, unpin/teardown of many
 *    short-lived children (fork_nested, fork_many);
 *  - vfork borrowing the parent's mm and clone(CLONE_VM) changing a shared
 *    mm from another task: the parent must see the child's mappings, and a
 *    range the child unmapped must fault in the parent (clone_vm).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xt.h"

static void pipe_or_fail(int fd[2])
{
	if (pipe(fd))
		xt_fail("pipe: %s", strerror(errno));
}

static void sig_send(int fd)
{
	char c = 'x';

	if (write(fd, &c, 1) != 1)
		xt_fail("pipe write: %s", strerror(errno));
}

static void sig_wait(int fd)
{
	char c;
	ssize_t n;

	do {
		n = read(fd, &c, 1);
	} while (n < 0 && errno == EINTR);
	if (n != 1)
		xt_fail("pipe read: peer gone (%zd, %s)", n, strerror(errno));
}

/*
 * Parent and child each write their own generation after fork; each must
 * keep seeing only its own data.  The parent writes first, while the child
 * still holds the pre-fork view, so a parent PTE that stayed writable (or a
 * write-protect that never reached Xen) shows up in the child as "stale
 * contents from generation 2".
 */
static void fork_cow(size_t n)
{
	uint64_t seed = xt_seed();
	int p2c[2], c2p[2];
	char label[64];
	uint8_t *buf;
	pid_t pid;

	buf = xt_map(n);
	xt_stamp(buf, n, seed, 0);
	pipe_or_fail(p2c);
	pipe_or_fail(c2p);
	pid = fork();
	if (pid < 0)
		xt_fail("fork: %s", strerror(errno));
	if (pid == 0) {
		sig_wait(p2c[0]);
		xt_verify(buf, n, seed, 0, "child: pre-fork data after parent wrote");
		xt_stamp(buf, n, seed, 1);
		xt_verify(buf, n, seed, 1, "child: own writes");
		sig_send(c2p[1]);
		_exit(0);
	}
	xt_stamp(buf, n, seed, 2);
	sig_send(p2c[1]);
	sig_wait(c2p[0]);
	snprintf(label, sizeof(label), "parent: own writes after child wrote (%zu pages)", n);
	xt_verify(buf, n, seed, 2, label);
	xt_wait_ok(pid, "COW child");
	/* Now the parent owns every page alone: writes must stick. */
	xt_stamp(buf, n, seed, 3);
	xt_verify(buf, n, seed, 3, "parent: after child exit");
	munmap(buf, n * XT_PAGE);
}

void t_fork_cow_1(void)
{
	fork_cow(1);
}

void t_fork_cow_1000(void)
{
	fork_cow(1000);
}

void t_fork_cow_10000(void)
{
	fork_cow(10000);
}

#define FCT_PAGES 64

struct fct_state {
	uint64_t *pages;
	int stop;
	uint64_t count;
};

static void *fct_writer(void *arg)
{
	struct fct_state *s = arg;
	uint64_t v = 1;
	int i;

	xt_pin_cpu(1);
	while (!XT_LOAD(&s->stop)) {
		for (i = 0; i < FCT_PAGES; i++)
			XT_STORE(&s->pages[i * XT_WORDS], v);
		v++;
		XT_STORE(&s->count, v);
	}
	return NULL;
}

/*
 * A sibling thread on another CPU writes every page continuously while the
 * main thread forks.  After fork returns the frames are shared read-only;
 * the child snapshots them and watches: a value that changes can only come
 * from the parent's thread writing through a stale writable TLB entry,
 * i.e. the remote flush after the parent's write-protect was missed.
 */
void t_fork_cow_thread(void)
{
	struct fct_state s = { 0 };
	long rounds = xt_scaled(40), r;
	uint64_t last = 0;
	pthread_t th;
	int spin;

	s.pages = xt_map(FCT_PAGES);
	xt_stamp(s.pages, FCT_PAGES, 1, 0);
	xt_pin_cpu(0);
	if (pthread_create(&th, NULL, fct_writer, &s))
		xt_fail("pthread_create failed");
	while (XT_LOAD(&s.count) < 2)
		sched_yield();
	for (r = 0; r < rounds; r++) {
		pid_t pid = fork();

		if (pid < 0)
			xt_fail("fork: %s", strerror(errno));
		if (pid == 0) {
			uint64_t snap[FCT_PAGES];
			uint64_t now;
			long n;
			int i;

			for (i = 0; i < FCT_PAGES; i++)
				snap[i] = XT_LOAD(&s.pages[i * XT_WORDS]);
			/* Watch without entering the kernel. */
			for (n = 0; n < 200000; n++) {
				i = n % FCT_PAGES;
				now = XT_LOAD(&s.pages[i * XT_WORDS]);
				if (now != snap[i])
					xt_fail("round %ld: child saw page %d change %llu -> %llu after fork (parent thread wrote through a stale TLB entry)",
						r, i, (unsigned long long)snap[i],
						(unsigned long long)now);
			}
			_exit(0);
		}
		xt_wait_ok(pid, "fork_cow_thread child");
		/* The writer must still be running (on 1 CPU it needs a turn). */
		for (spin = 0; XT_LOAD(&s.count) == last && spin < 1000; spin++)
			usleep(1000);
		if (XT_LOAD(&s.count) == last)
			xt_fail("writer thread stopped making progress");
		last = XT_LOAD(&s.count);
	}
	XT_STORE(&s.stop, 1);
	pthread_join(th, NULL);
	if (xt_ncpus() < 2)
		xt_note("only 1 CPU: remote-flush part not exercised");
}

#define NEST_DEPTH 5
#define NEST_SEGS 6
#define NEST_SEG_PAGES 32

static uint8_t *nest_buf;
static uint64_t nest_seed;

static void nest_verify(const uint64_t *exp, int d, const char *when)
{
	char label[96];
	int s;

	for (s = 0; s < NEST_SEGS; s++) {
		snprintf(label, sizeof(label), "level %d %s, segment %d", d,
			 when, s);
		xt_verify(nest_buf + s * NEST_SEG_PAGES * XT_PAGE,
			  NEST_SEG_PAGES, nest_seed + s, exp[s], label);
	}
}

static void nest_write(uint64_t *exp, int seg, uint64_t gen)
{
	xt_stamp(nest_buf + seg * NEST_SEG_PAGES * XT_PAGE, NEST_SEG_PAGES,
		 nest_seed + seg, gen);
	exp[seg] = gen;
}

static void nest_level(uint64_t *exp, int d)
{
	pid_t pid;

	nest_write(exp, d % NEST_SEGS, 1000 * (d + 1));
	if (d == NEST_DEPTH)
		return;
	pid = fork();
	if (pid < 0)
		xt_fail("fork at level %d: %s", d, strerror(errno));
	if (pid == 0) {
		nest_verify(exp, d + 1, "right after fork");
		nest_level(exp, d + 1);
		nest_verify(exp, d + 1, "after own subtree");
		_exit(0);
	}
	/* Write while the child (and its descendants) still share the pages. */
	nest_write(exp, (d + 1) % NEST_SEGS, 5000 + d);
	xt_wait_ok(pid, "nested child");
	nest_verify(exp, d, "after child exit");
}

void t_fork_nested(void)
{
	uint64_t exp[NEST_SEGS];
	int s;

	nest_seed = xt_seed();
	nest_buf = xt_map(NEST_SEGS * NEST_SEG_PAGES);
	for (s = 0; s < NEST_SEGS; s++)
		nest_write(exp, s, 0);
	nest_level(exp, 0);
	nest_verify(exp, 0, "at end");
}

/* Many short-lived children: setup, pin, unpin and teardown of their mm. */
void t_fork_many(void)
{
	long n = xt_scaled(200), i;
	uint64_t seed = xt_seed();
	size_t npages = 100;
	uint8_t *buf = xt_map(npages);

	xt_stamp(buf, npages, seed, 0);
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			xt_fail("fork %ld: %s", i, strerror(errno));
		if (pid == 0) {
			xt_verify(buf, npages, seed, 0, "child view");
			xt_stamp(buf + (i % npages) * XT_PAGE, 1, seed, 7);
			_exit(0);
		}
		xt_wait_ok(pid, "fork_many child");
	}
	xt_verify(buf, npages, seed, 0, "parent after children wrote");
}

/*
 * vfork: the child runs on the parent's mm until it exits; its stores land
 * in the parent's memory, and the parent's own data must be intact after.
 */
void t_vfork(void)
{
	long n = xt_scaled(50), i;
	static long shared;
	uint64_t seed = xt_seed();
	uint8_t *buf = xt_map(16);

	xt_stamp(buf, 16, seed, 0);
	for (i = 0; i < n; i++) {
		pid_t pid = vfork();

		if (pid < 0)
			xt_fail("vfork: %s", strerror(errno));
		if (pid == 0) {
			XT_STORE(&shared, i + 1);
			XT_STORE((uint64_t *)buf + i % 16 * XT_WORDS + 5, i);
			_exit(0);
		}
		xt_wait_ok(pid, "vfork child");
		if (XT_LOAD(&shared) != i + 1)
			xt_fail("vfork child's store not visible: %ld != %ld",
				XT_LOAD(&shared), i + 1);
		if (XT_LOAD((uint64_t *)buf + i % 16 * XT_WORDS + 5) !=
		    (uint64_t)i)
			xt_fail("vfork child's store to page %ld lost", i % 16);
	}
	/* Word 5 is no stamp position for pages 0..15: the stamps must be intact. */
	xt_verify(buf, 16, seed, 0, "parent after vfork children");
}

struct cvm_arg {
	uint8_t *shared_buf;
	uint8_t *unmap_me;
	uint64_t seed;
	void *child_map;
	int done;
};

static int cvm_child(void *p)
{
	struct cvm_arg *a = p;
	void *m;

	xt_pin_cpu(1);
	xt_verify(a->shared_buf, 64, a->seed, 0, "clone child: parent's data");
	xt_stamp(a->shared_buf, 64, a->seed, 1);
	m = mmap(NULL, 16 * XT_PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return 3;
	xt_stamp(m, 16, a->seed + 1, 0);
	XT_STORE(&a->child_map, m);
	if (munmap(a->unmap_me, 8 * XT_PAGE))
		return 4;
	XT_STORE(&a->done, 1);
	return 0;
}

/*
 * clone(CLONE_VM) child on another CPU writes shared memory, maps a new
 * range and unmaps a range the parent touched just before (so the parent's
 * CPU holds TLB entries for it).  The parent must see the writes and the new
 * range, and must fault on the unmapped one.
 */
void t_clone_vm(void)
{
	long rounds = xt_scaled(20), r;
	struct cvm_arg a;
	size_t stk = 256 * 1024;
	uint8_t *stack;
	pid_t pid;

	stack = xt_map(stk / XT_PAGE);
	xt_pin_cpu(0);
	for (r = 0; r < rounds; r++) {
		memset(&a, 0, sizeof(a));
		a.seed = xt_seed();
		a.shared_buf = xt_map(64);
		a.unmap_me = xt_map(8);
		xt_stamp(a.shared_buf, 64, a.seed, 0);
		xt_stamp(a.unmap_me, 8, a.seed + 2, 0);
		xt_verify(a.unmap_me, 8, a.seed + 2, 0, "before clone");
		pid = clone(cvm_child, stack + stk, CLONE_VM | SIGCHLD, &a);
		if (pid < 0)
			xt_fail("clone: %s", strerror(errno));
		xt_wait_ok(pid, "clone(CLONE_VM) child");
		if (!a.done || !a.child_map)
			xt_fail("clone child did not finish its work");
		xt_verify(a.shared_buf, 64, a.seed, 1, "parent: child's writes");
		xt_verify(a.child_map, 16, a.seed + 1, 0, "parent: child's new mapping");
		xt_must_fault_read(a.unmap_me, "parent: range unmapped by clone child");
		xt_must_fault_read(a.unmap_me + 7 * XT_PAGE,
				   "parent: last page unmapped by clone child");
		munmap(a.child_map, 16 * XT_PAGE);
		munmap(a.shared_buf, 64 * XT_PAGE);
	}
}
