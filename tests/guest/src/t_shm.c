// SPDX-License-Identifier: GPL-2.0
/*
 * t_shm.c - memory shared between processes: SysV shm, memfd, tmpfs files,
 * shared anonymous mappings.
 *
 * Why this file exists: shared pages are mapped by several page tables at
 * once, and every one of them must name the same machine frame.  Bugs
 * caught:
 *
 *  - a p2m lookup that gives two processes (or two mappings in one process)
 *    different frames for the same page: writes on one side never show on
 *    the other (all tests check both directions and an alias mapping);
 *  - shared pages wrongly write-protected or copied at fork, as if private:
 *    the child's writes do not reach the parent (shm_anon, shm_sysv);
 *  - unmap_mapping_range (truncate) clearing PTEs in other processes
 *    without flushing their TLBs: after a child shrinks a memfd the parent
 *    must get SIGBUS past the new end, and must see zeros after regrowth
 *    (shm_memfd);
 *  - shmdt leaving the attachment reachable (shm_sysv);
 *  - userfaultfd write protection of shared memory lost when its pages are
 *    zapped: the zap must leave a uffd-wp marker where each protected
 *    entry was, and its clear and the marker are queued in one lazy MMU
 *    section, where the cleared entry may not be read back (shm_uffd_wp).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xt.h"

#define SHM_PAGES 256

struct chan {
	int p2c[2], c2p[2];
};

static void chan_open(struct chan *c)
{
	if (pipe(c->p2c) || pipe(c->c2p))
		xt_fail("pipe: %s", strerror(errno));
}

static void chan_put(int fd)
{
	if (write(fd, "x", 1) != 1)
		xt_fail("pipe write: %s", strerror(errno));
}

static void chan_get(int fd)
{
	char c;

	if (read(fd, &c, 1) != 1)
		xt_fail("pipe read: peer gone");
}

/*
 * Child and parent share @a (SHM_PAGES pages): the parent writes, the child
 * checks and writes back, the parent checks.  @after_child runs in the child
 * before it exits, e.g. to detach.
 */
static void ping_pong(uint8_t *a, uint64_t seed, const char *what,
		      void (*after_child)(uint8_t *a))
{
	struct chan c;
	char label[96];
	pid_t pid;

	chan_open(&c);
	pid = fork();
	if (pid < 0)
		xt_fail("fork: %s", strerror(errno));
	if (pid == 0) {
		chan_get(c.p2c[0]);
		snprintf(label, sizeof(label), "%s: child sees parent's writes",
			 what);
		xt_verify(a, SHM_PAGES, seed, 1, label);
		xt_stamp(a, SHM_PAGES, seed, 2);
		chan_put(c.c2p[1]);
		if (after_child)
			after_child(a);
		_exit(0);
	}
	xt_stamp(a, SHM_PAGES, seed, 1);
	chan_put(c.p2c[1]);
	chan_get(c.c2p[0]);
	snprintf(label, sizeof(label), "%s: parent sees child's writes", what);
	xt_verify(a, SHM_PAGES, seed, 2, label);
	xt_wait_ok(pid, what);
	close(c.p2c[0]);
	close(c.p2c[1]);
	close(c.c2p[0]);
	close(c.c2p[1]);
}

static void detach_and_probe(uint8_t *a)
{
	if (shmdt(a))
		xt_fail("child shmdt: %s", strerror(errno));
	xt_must_fault_read(a, "child: segment after shmdt");
}

void t_shm_sysv(void)
{
	uint64_t seed = xt_seed();
	uint8_t *a, *b;
	int id;

	id = shmget(IPC_PRIVATE, SHM_PAGES * XT_PAGE, IPC_CREAT | 0600);
	if (id < 0)
		xt_fail("shmget: %s", strerror(errno));
	a = shmat(id, NULL, 0);
	b = shmat(id, NULL, SHM_RDONLY);
	shmctl(id, IPC_RMID, NULL);	/* freed after the last detach */
	if (a == (void *)-1 || b == (void *)-1)
		xt_fail("shmat: %s", strerror(errno));
	xt_check_zero(a, SHM_PAGES, "new segment");
	ping_pong(a, seed, "SysV shm", detach_and_probe);
	xt_verify(b, SHM_PAGES, seed, 2, "read-only alias attachment");
	xt_must_fault_write(b, "read-only attachment");
	if (shmdt(a) || shmdt(b))
		xt_fail("shmdt: %s", strerror(errno));
	xt_must_fault_read(a, "segment after shmdt");
	xt_must_fault_read(b + XT_PAGE * (SHM_PAGES - 1), "alias after shmdt");
}

void t_shm_memfd(void)
{
	uint64_t seed = xt_seed();
	uint8_t *a, *b;
	pid_t pid;
	int fd, sig;

	fd = memfd_create("xt-shm", 0);
	if (fd < 0 || ftruncate(fd, SHM_PAGES * XT_PAGE))
		xt_fail("memfd: %s", strerror(errno));
	a = mmap(NULL, SHM_PAGES * XT_PAGE, PROT_READ | PROT_WRITE,
		 MAP_SHARED, fd, 0);
	b = mmap(NULL, SHM_PAGES * XT_PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (a == MAP_FAILED || b == MAP_FAILED)
		xt_fail("mmap: %s", strerror(errno));
	ping_pong(a, seed, "memfd", NULL);
	xt_verify(b, SHM_PAGES, seed, 2, "memfd alias mapping");

	/* A child shrinks the file: our PTEs past the end must be gone. */
	pid = fork();
	if (pid < 0)
		xt_fail("fork: %s", strerror(errno));
	if (pid == 0) {
		if (ftruncate(fd, SHM_PAGES / 2 * XT_PAGE))
			xt_fail("child ftruncate: %s", strerror(errno));
		_exit(0);
	}
	xt_wait_ok(pid, "truncating child");
	sig = xt_probe_read(a + (SHM_PAGES - 1) * XT_PAGE, NULL);
	if (sig != SIGBUS)
		xt_fail("read past truncated end gave signal %d, expected SIGBUS (%d)",
			sig, SIGBUS);
	if (xt_probe_read(b + (SHM_PAGES / 2) * XT_PAGE, NULL) != SIGBUS)
		xt_fail("alias read past truncated end did not SIGBUS");
	xt_verify(a, SHM_PAGES / 2, seed, 2, "memfd pages below the truncation");
	if (ftruncate(fd, SHM_PAGES * XT_PAGE))
		xt_fail("ftruncate regrow: %s", strerror(errno));
	xt_check_zero(a + SHM_PAGES / 2 * XT_PAGE, SHM_PAGES / 2,
		      "memfd pages regrown after truncation");
	munmap(a, SHM_PAGES * XT_PAGE);
	munmap(b, SHM_PAGES * XT_PAGE);
	close(fd);
}

void t_shm_tmpfs(void)
{
	uint64_t seed = xt_seed();
	char path[256];
	uint8_t *a;
	pid_t pid;
	int fd;

	snprintf(path, sizeof(path), "%s/xenpv-shm-%d", xt_shm_dir(),
		 (int)getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, SHM_PAGES * XT_PAGE))
		xt_fail("%s: %s", path, strerror(errno));
	a = mmap(NULL, SHM_PAGES * XT_PAGE, PROT_READ | PROT_WRITE,
		 MAP_SHARED, fd, 0);
	if (a == MAP_FAILED)
		xt_fail("mmap: %s", strerror(errno));
	ping_pong(a, seed, "tmpfs file", NULL);
	/* An unrelated mapping made by opening the path again. */
	pid = fork();
	if (pid < 0)
		xt_fail("fork: %s", strerror(errno));
	if (pid == 0) {
		int fd2 = open(path, O_RDWR);
		uint8_t *m;

		if (fd2 < 0)
			xt_fail("reopen %s: %s", path, strerror(errno));
		m = mmap(NULL, SHM_PAGES * XT_PAGE, PROT_READ | PROT_WRITE,
			 MAP_SHARED, fd2, 0);
		if (m == MAP_FAILED)
			xt_fail("child mmap: %s", strerror(errno));
		xt_verify(m, SHM_PAGES, seed, 2, "file reopened in child");
		xt_stamp(m, SHM_PAGES, seed, 3);
		_exit(0);
	}
	xt_wait_ok(pid, "tmpfs reopen child");
	xt_verify(a, SHM_PAGES, seed, 3, "parent after child wrote via own mapping");
	munmap(a, SHM_PAGES * XT_PAGE);
	close(fd);
	unlink(path);
}

void t_shm_anon(void)
{
	uint64_t seed = xt_seed();
	int nkids = 4, k;
	int ready[2], go[2];
	char c;
	size_t q = SHM_PAGES / 4;
	pid_t pid[4];
	uint8_t *a;

	a = mmap(NULL, SHM_PAGES * XT_PAGE, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED)
		xt_fail("mmap: %s", strerror(errno));
	ping_pong(a, seed, "shared anonymous", NULL);
	/* Four children check, then write their quarters at the same time. */
	if (pipe(ready) || pipe(go))
		xt_fail("pipe: %s", strerror(errno));
	for (k = 0; k < nkids; k++) {
		pid[k] = fork();
		if (pid[k] < 0)
			xt_fail("fork: %s", strerror(errno));
		if (pid[k] == 0) {
			close(go[1]);
			xt_verify(a, SHM_PAGES, seed, 2, "child view");
			chan_put(ready[1]);
			if (read(go[0], &c, 1) != 0)
				xt_fail("go pipe: unexpected data");
			xt_stamp(a + k * q * XT_PAGE, q, seed + k + 1, 0);
			_exit(0);
		}
	}
	for (k = 0; k < nkids; k++)
		chan_get(ready[0]);
	close(go[1]);		/* EOF releases all children at once */
	for (k = 0; k < nkids; k++)
		xt_wait_ok(pid[k], "quarter writer");
	for (k = 0; k < nkids; k++)
		xt_verify(a + k * q * XT_PAGE, q, seed + k + 1, 0,
			  "quarter written by a child");
	munmap(a, SHM_PAGES * XT_PAGE);
}

#define UFFD_PAGES	64
#define PM_UFFD_WP	(1ULL << 57)
#define PM_PRESENT	(1ULL << 63)

/* The pagemap entry of one page of ours. */
static uint64_t pm_entry(int pm, const void *addr)
{
	uint64_t e;
	off_t off = (off_t)((uintptr_t)addr / XT_PAGE * sizeof(e));

	if (pread(pm, &e, sizeof(e), off) != sizeof(e))
		xt_fail("pagemap read: %s", strerror(errno));
	return e;
}

/* Every page of [a, a + n pages) is uffd-wp protected, and present or not. */
static void expect_wp(int pm, const uint8_t *a, size_t n, int present,
		      const char *what)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t e = pm_entry(pm, a + i * XT_PAGE);

		if (!(e & PM_UFFD_WP) || !!(e & PM_PRESENT) != present)
			xt_fail("%s: page %zu pagemap %#llx, want uffd-wp and %spresent",
				what, i, (unsigned long long)e,
				present ? "" : "not ");
	}
}

static void expect_no_wp(int pm, const uint8_t *a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (pm_entry(pm, a + i * XT_PAGE) & PM_UFFD_WP)
			xt_fail("page %zu still uffd-wp after unprotect", i);
}

static void uffd_wp_range(int uffd, void *a, size_t n, int protect)
{
	struct uffdio_writeprotect wp = {
		.range = { .start = (uintptr_t)a, .len = n * XT_PAGE },
		.mode = protect ? UFFDIO_WRITEPROTECT_MODE_WP : 0,
	};

	if (ioctl(uffd, UFFDIO_WRITEPROTECT, &wp))
		xt_fail("UFFDIO_WRITEPROTECT %d: %s", protect, strerror(errno));
}

void t_shm_uffd_wp(void)
{
	struct uffdio_api api = {
		.api = UFFD_API, .features = UFFD_FEATURE_WP_HUGETLBFS_SHMEM,
	};
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_WP };
	size_t half = UFFD_PAGES / 2;
	uint64_t seed = xt_seed();
	int fd, uffd, pm;
	uint8_t *a;

	/* A kernel without userfaultfd, or a sandbox that forbids it. */
	uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0 && errno != EINVAL && errno != ENOMEM) {
		xt_note("no userfaultfd here (%s): not run", strerror(errno));
		return;
	}
	if (uffd < 0)
		xt_fail("userfaultfd: %s", strerror(errno));
	if (ioctl(uffd, UFFDIO_API, &api)) {
		if (errno != EINVAL)
			xt_fail("UFFDIO_API: %s", strerror(errno));
		xt_note("no uffd-wp for shared memory here: not run");
		return;
	}
	pm = open("/proc/self/pagemap", O_RDONLY);
	fd = memfd_create("xt-uffd-wp", 0);
	if (pm < 0 || fd < 0 || ftruncate(fd, UFFD_PAGES * XT_PAGE))
		xt_fail("pagemap/memfd: %s", strerror(errno));
	a = mmap(NULL, UFFD_PAGES * XT_PAGE, PROT_READ | PROT_WRITE,
		 MAP_SHARED, fd, 0);
	if (a == MAP_FAILED)
		xt_fail("mmap: %s", strerror(errno));
	xt_stamp(a, UFFD_PAGES, seed, 1);

	reg.range.start = (uintptr_t)a;
	reg.range.len = UFFD_PAGES * XT_PAGE;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		xt_fail("UFFDIO_REGISTER: %s", strerror(errno));
	uffd_wp_range(uffd, a, UFFD_PAGES, 1);
	expect_wp(pm, a, UFFD_PAGES, 1, "after UFFDIO_WRITEPROTECT");

	/* The zap leaves markers; the pages stay in the memfd. */
	if (madvise(a, half * XT_PAGE, MADV_DONTNEED))
		xt_fail("madvise: %s", strerror(errno));
	expect_wp(pm, a, half, 0, "zapped pages");
	expect_wp(pm, a + half * XT_PAGE, UFFD_PAGES - half, 1,
		  "pages not zapped");
	xt_verify(a, UFFD_PAGES, seed, 1, "protected pages read back");
	expect_wp(pm, a, UFFD_PAGES, 1, "zapped pages faulted back in");

	/*
	 * Lifting the protection clears every uffd-wp bit and marker (checked
	 * first: a write to a page still protected would wait for a reader of
	 * the uffd, which this test does not have).
	 */
	uffd_wp_range(uffd, a, UFFD_PAGES, 0);
	expect_no_wp(pm, a, UFFD_PAGES);
	xt_stamp(a, UFFD_PAGES, seed, 2);
	xt_verify(a, UFFD_PAGES, seed, 2, "pages written after unprotect");

	close(uffd);
	munmap(a, UFFD_PAGES * XT_PAGE);
	close(fd);
	close(pm);
}
