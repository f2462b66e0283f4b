// SPDX-License-Identifier: GPL-2.0
/*
 * lib.c - helpers shared by every xenpv-tests test (see xt.h).
 *
 * Why this file exists: the tests run inside a busybox-only PV domU, so the
 * harness has to be self-contained: keyed page stamps, fault probes that do
 * not enter the kernel on the fast path (a syscall per probe would switch
 * page tables under 64-bit PV and hide stale TLB entries), and a failure
 * record that survives the process or thread that hit the bug.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xt.h"
#include "runner.h"

int xt_quick;
char xt_bindir[XT_BINDIR_LEN];

/* Shared with the runner: set up before each test's fork. */
struct xt_result *xt_result;

static __thread sigjmp_buf xt_jb;
static __thread int xt_probing;

static void xt_record(const char *msg)
{
	if (!xt_result)
		return;
	if (__sync_bool_compare_and_swap(&xt_result->claimed, 0, 1)) {
		snprintf(xt_result->reason, sizeof(xt_result->reason), "%s",
			 msg);
		__sync_synchronize();
		XT_STORE(&xt_result->ready, 1);
	}
}

void xt_fail(const char *fmt, ...)
{
	char buf[sizeof(xt_result->reason)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	xt_record(buf);
	if (!xt_result) {
		fprintf(stderr, "FAIL: %s\n", buf);
		fflush(stderr);
	}
	_exit(1);
}

void xt_note(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("# %s: %s\n", xt_result ? xt_result->name : "xenpv-tests", buf);
	fflush(stdout);
}

long xt_scaled(long full)
{
	long n;

	if (!xt_quick)
		return full;
	n = full / 8;
	return n > 0 ? n : 1;
}

/* Stamp positions: first word, last word and two words that vary per page. */
static inline size_t xt_pos(size_t page, int k)
{
	switch (k) {
	case 0:
		return 0;
	case 1:
		return XT_WORDS - 1;
	case 2:
		return 1 + (page * 7) % (XT_WORDS / 2 - 1);
	default:
		return XT_WORDS / 2 + (page * 13) % (XT_WORDS / 2 - 1);
	}
}

void xt_stamp(void *base, size_t npages, uint64_t seed, uint64_t gen)
{
	uint64_t *w = base;
	size_t p;
	int k;

	for (p = 0; p < npages; p++)
		for (k = 0; k < 4; k++)
			XT_STORE(&w[p * XT_WORDS + xt_pos(p, k)],
				 xt_key(seed, p, gen * 4 + k));
}

long xt_check_range(const void *base, size_t first, size_t npages,
		    uint64_t seed, uint64_t gen)
{
	const uint64_t *w = base;
	size_t p;
	int k;

	for (p = first; p < first + npages; p++)
		for (k = 0; k < 4; k++)
			if (XT_LOAD(&w[p * XT_WORDS + xt_pos(p, k)]) !=
			    xt_key(seed, p, gen * 4 + k))
				return (long)p;
	return -1;
}

long xt_check_stamp(const void *base, size_t npages, uint64_t seed,
		    uint64_t gen)
{
	return xt_check_range(base, 0, npages, seed, gen);
}

void xt_verify(const void *base, size_t npages, uint64_t seed, uint64_t gen,
	       const char *what)
{
	xt_verify_range(base, 0, npages, seed, gen, what);
}

void xt_verify_range(const void *base, size_t first, size_t npages,
		     uint64_t seed, uint64_t gen, const char *what)
{
	const uint64_t *w = base;
	long bad = xt_check_range(base, first, npages, seed, gen);
	size_t pos;
	uint64_t got, want;
	long g;
	int k;

	if (bad < 0)
		return;
	for (k = 0; k < 4; k++) {
		pos = xt_pos(bad, k);
		got = XT_LOAD(&w[bad * XT_WORDS + pos]);
		want = xt_key(seed, bad, gen * 4 + k);
		if (got != want)
			break;
	}
	if (k == 4) {
		/* It changed back while we looked: still a bug (a racing write). */
		xt_fail("%s: page %ld of %zu changed while being checked",
			what, bad, first + npages);
	}
	/* Say which generation the stale value came from, if any. */
	for (g = (long)gen - 1; g >= 0 && g >= (long)gen - 64; g--)
		if (got == xt_key(seed, bad, g * 4 + k))
			xt_fail("%s: page %ld of %zu word %zu: stale contents from generation %ld (want gen %llu)",
				what, bad, first + npages, pos, g,
				(unsigned long long)gen);
	xt_fail("%s: page %ld of %zu word %zu: expected %016llx got %016llx",
		what, bad, first + npages, pos, (unsigned long long)want,
		(unsigned long long)got);
}

void xt_check_zero(const void *base, size_t npages, const char *what)
{
	const uint64_t *w = base;
	size_t p;
	int k;

	for (p = 0; p < npages; p++)
		for (k = 0; k < 4; k++)
			if (XT_LOAD(&w[p * XT_WORDS + xt_pos(p, k)]))
				xt_fail("%s: page %zu word %zu is %016llx, expected zero",
					what, p, xt_pos(p, k),
					(unsigned long long)
					XT_LOAD(&w[p * XT_WORDS + xt_pos(p, k)]));
}

uint64_t xt_seed(void)
{
	uint64_t s = 0;
	struct timespec ts;

	if (getrandom(&s, sizeof(s), GRND_NONBLOCK) != sizeof(s)) {
		clock_gettime(CLOCK_REALTIME, &ts);
		s = (uint64_t)ts.tv_nsec << 20 ^ (uint64_t)ts.tv_sec ^
		    (uint64_t)getpid() << 40;
	}
	return xt_key(s, getpid(), 0x5eed);
}

static void xt_fault_handler(int sig, siginfo_t *si, void *uc)
{
	char buf[160];

	(void)uc;
	if (XT_LOAD(&xt_probing)) {
		XT_STORE(&xt_probing, 0);
		siglongjmp(xt_jb, sig);
	}
	snprintf(buf, sizeof(buf),
		 "unexpected signal %d (code %d) at address %p in pid %d",
		 sig, si->si_code, si->si_addr, (int)getpid());
	xt_record(buf);
	_exit(1);
}

void xt_install_fault_handler(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = xt_fault_handler;
	/* NODEFER: we leave the handler by siglongjmp without restoring masks. */
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
}

noinline
int xt_probe_read(const void *addr, uint64_t *val)
{
	uint64_t v;
	int sig;

	sig = sigsetjmp(xt_jb, 0);
	if (sig)
		return sig;
	XT_STORE(&xt_probing, 1);
	__asm__ volatile("" ::: "memory");
	v = XT_LOAD((const uint64_t *)addr);
	__asm__ volatile("" ::: "memory");
	XT_STORE(&xt_probing, 0);
	if (val)
		*val = v;
	return 0;
}

noinline
int xt_probe_write(void *addr, uint64_t val)
{
	int sig;

	sig = sigsetjmp(xt_jb, 0);
	if (sig)
		return sig;
	XT_STORE(&xt_probing, 1);
	__asm__ volatile("" ::: "memory");
	XT_STORE((uint64_t *)addr, val);
	__asm__ volatile("" ::: "memory");
	XT_STORE(&xt_probing, 0);
	return 0;
}

void xt_must_fault_read(const void *addr, const char *what)
{
	uint64_t v;

	if (xt_probe_read(addr, &v) == 0)
		xt_fail("%s: read of %p succeeded (value %016llx), expected a fault",
			what, addr, (unsigned long long)v);
}

void xt_must_fault_write(void *addr, const char *what)
{
	if (xt_probe_write(addr, 0xbadbadbadbadULL) == 0)
		xt_fail("%s: write to %p succeeded, expected a fault",
			what, addr);
}

void *xt_map(size_t npages)
{
	void *p = mmap(NULL, npages * XT_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		xt_fail("mmap of %zu pages: %s", npages, strerror(errno));
	return p;
}

void xt_wait_ok(pid_t pid, const char *what)
{
	int st;

	while (waitpid(pid, &st, __WALL) < 0) {
		if (errno != EINTR)
			xt_fail("%s: waitpid: %s", what, strerror(errno));
	}
	if (WIFSIGNALED(st))
		xt_fail("%s: child %d killed by signal %d", what, (int)pid,
			WTERMSIG(st));
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		xt_fail("%s: child %d exited with status %d", what, (int)pid,
			WEXITSTATUS(st));
}

double xt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* CPUs the process could use at start-up, before any test pinned itself. */
static cpu_set_t xt_allowed;
static int xt_allowed_n = -1;

static void xt_cpu_init(void)
{
	if (xt_allowed_n >= 0)
		return;
	if (sched_getaffinity(0, sizeof(xt_allowed), &xt_allowed)) {
		CPU_ZERO(&xt_allowed);
		CPU_SET(0, &xt_allowed);
	}
	xt_allowed_n = CPU_COUNT(&xt_allowed);
	if (xt_allowed_n < 1)
		xt_allowed_n = 1;
}

int xt_ncpus(void)
{
	xt_cpu_init();
	return xt_allowed_n;
}

void xt_pin_cpu(int n)
{
	int cpu, idx = 0, want;
	cpu_set_t one;

	xt_cpu_init();
	want = n % xt_allowed_n;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &xt_allowed))
			continue;
		if (idx++ == want) {
			CPU_ZERO(&one);
			CPU_SET(cpu, &one);
			sched_setaffinity(0, sizeof(one), &one);
			return;
		}
	}
}

const char *xt_true_path(void)
{
	static char path[4200];

	snprintf(path, sizeof(path), "%s/xenpv-true", xt_bindir);
	if (access(path, X_OK))
		xt_fail("helper %s is missing or not executable: %s", path,
			strerror(errno));
	return path;
}

static int xt_dir_writable(const char *dir)
{
	struct stat st;

	return !stat(dir, &st) && S_ISDIR(st.st_mode) && !access(dir, W_OK);
}

const char *xt_shm_dir(void)
{
	const char *env = getenv("XENPV_SHMDIR");
	static const char mnt[] = "/tmp/xenpv-shm";

	if (env && *env)
		return env;
	if (xt_dir_writable("/dev/shm"))
		return "/dev/shm";
	mkdir("/tmp", 01777);
	mkdir(mnt, 0700);
	/* Already mounted by an earlier test, or mount it now. */
	if (mount("tmpfs", mnt, "tmpfs", 0, "size=64m") && errno != EBUSY)
		xt_note("cannot mount tmpfs on %s (%s), using the directory as is",
			mnt, strerror(errno));
	if (!xt_dir_writable(mnt))
		xt_fail("no writable tmpfs directory for shared files");
	return mnt;
}

int xt_page_is_zero(const void *base, size_t page)
{
	const uint64_t *w = base;
	int k;

	for (k = 0; k < 4; k++)
		if (XT_LOAD(&w[page * XT_WORDS + xt_pos(page, k)]))
			return 0;
	return 1;
}

noinline
int xt_probe_rmw(void *addr, uint64_t *old)
{
	uint64_t v = 0;
	int sig;

	sig = sigsetjmp(xt_jb, 0);
	if (sig)
		return sig;
	XT_STORE(&xt_probing, 1);
	__asm__ volatile("lock; xaddq %0, %1"
			 : "+r"(v), "+m"(*(uint64_t *)addr)
			 : : "memory");
	XT_STORE(&xt_probing, 0);
	if (old)
		*old = v;
	return 0;
}
