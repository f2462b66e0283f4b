// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv-bench.c - the guest half of bench/: the memory operations whose
 * hypervisor cost is compared between Linux's stock PV MMU code and xenpv.
 *
 * Why this file exists: Xen's performance counters are global, so the only
 * honest way to charge hypervisor work to one memory operation is to run that
 * operation many times inside a counting window in which nothing else moves,
 * and to subtract a baseline window of the same length in which everything
 * else happens exactly as before.  This program supplies both:
 *
 *   xenpv-bench [-m] [-t] [-s TOKEN] [-n PAD_US] [-o FILE] WORKLOAD N REPS
 *
 * does all set-up (mapping and touching pages, forking helper processes)
 * first, then, with -s, prints "@@SYNC TOKEN" on the Xen console and waits
 * for a "go" line: dom0 resets the counters and answers.  The window holds
 * only the REPS repetitions, each timed with CLOCK_MONOTONIC.  At the end it
 * prints "@@FIN TOKEN" and waits for "end" (dom0 reads the counters before
 * answering), so tear-down stays out of the window.  With -n the same
 * program runs its null twin: identical set-up, signalling and console
 * traffic, the same timed loop with its clock reads, the operation itself
 * skipped, and the window padded with sleep to PAD_US microseconds, the
 * length of the real window.  (Pages the skipped operation would have used
 * are not prepared: set-up is outside the window.)  Counts of the real
 * window minus counts of the null window, divided by the number of
 * operations, are the cost of one operation.  -m marks the window for the
 * instruction profiler (bench/prof/prof.sh), -t records ftrace events in the
 * window only (bench/prof/hcalls.sh).
 *
 * Workloads (N in pages unless said otherwise):
 *   fork N     fork + child exit + wait, by a process with N touched pages
 *              (a fresh process per repetition, so its PTEs are writable
 *              again, as in a process that keeps working between forks)
 *   cow N      the child's first write to each of N pages shared with its
 *              parent after fork (per page)
 *   munmap N   munmap of N touched pages (per call)
 *   mprotect N mprotect read-only and back over N touched pages (per call)
 *   mmap N     mmap of N pages and the first write to each (per page)
 *   exec 0     fork + exec of xenpv-true + wait
 *   mremap N   move N touched pages to a new address; neither address is
 *              2 MiB aligned, so no page-table page can be moved whole
 *   shell N    one run of a busybox sh loop of N iterations, each forking
 *              and exec'ing short processes (a composite workload)
 *   idle MS    an empty window of MS milliseconds (REPS is ignored)
 *   redis-*, sng-*  real programs, Redis and stress-ng: see real.c
 *
 * Results go to FILE (or stdout) after the window, one "key value..." line
 * each: bench, n, reps, ops, unit, null, window_ns, samples_ns (one per
 * operation-sized sample), and "xenpv PATH:NAME DELTA" for every numeric
 * counter found under /sys/kernel/debug/xenpv (the backend's own counters,
 * read before SYNC and after "end"), and "proc timer_irqs|ctxt DELTA" (the
 * guest's timer interrupts and context switches over the same span), and
 * "value NAME N" for results of the workload itself (real.c).  Transparent
 * huge pages are disabled for the process (prctl), so every workload works
 * on 4 KiB PTEs.
 *
 * Environment: XENPV_BENCH_TTY (console device, default /dev/hvc0) and
 * XENPV_BENCH_DEBUGFS (counter directory), for testing outside the rig.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "xenpv-bench.h"

char bindir[PATH_MAX];
static const char *debugfs_dir = DEBUGFS_DIR;

void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "xenpv-bench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (errno)
		fprintf(stderr, ": %s", strerror(errno));
	fputc('\n', stderr);
	exit(2);
}

u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

void sleep_until(u64 t)
{
	struct timespec ts;

	ts.tv_sec = t / 1000000000ULL;
	ts.tv_nsec = t % 1000000000ULL;
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/*
 * The null twin runs every timed loop too, clock reads included, and skips
 * only the operation: with no vDSO clock in a PV guest each clock read is a
 * system call, and that is the stopwatch's cost, not the operation's.  Its
 * samples are the stopwatch alone; report.py takes their median off the
 * real run's.
 */
void sample(struct run *r, u64 ns, long per)
{
	if (!r->null)
		r->busy_ns += ns;
	if (r->nsamples < (int)ARRAY_SIZE(r->samples))
		r->samples[r->nsamples++] = (double)ns / (double)per;
}

/* value() - a named result of the workload itself, reported as "value". */
void value(struct run *r, const char *name, long long val)
{
	if (r->nvalues >= (int)ARRAY_SIZE(r->values))
		die("too many values");
	snprintf(r->values[r->nvalues].key, sizeof(r->values[0].key), "%s",
		 name);
	r->values[r->nvalues++].val = val;
}

/* --- memory helpers ------------------------------------------------------ */

static void touch(char *p, long pages)
{
	long i;

	for (i = 0; i < pages; i++)
		__atomic_store_n(p + i * PG, (char)(i + 1), __ATOMIC_RELAXED);
}

/* map_pages() - @pages private anonymous pages; @flags adds mmap() flags. */
static char *map_pages(long pages, int flags)
{
	void *p = mmap(NULL, pages * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);

	if (p == MAP_FAILED)
		die("mmap of %ld pages", pages);
	return p;
}

static char *map_touched(long pages)
{
	char *p;

	if (!pages)
		return NULL;
	p = map_pages(pages, 0);
	touch(p, pages);
	return p;
}

/*
 * map_prepared() - set-up only: @pages pages as map_touched() leaves them
 * (present, writable, dirty), filled by the kernel within the mmap() call
 * (MAP_POPULATE breaks COW with a write fault per page for a private
 * writable mapping) rather than by a trap through Xen per page.  Under TCG
 * those traps were most of make bench's host time.
 */
static char *map_prepared(long pages)
{
	return pages ? map_pages(pages, MAP_POPULATE) : NULL;
}

/*
 * reserve() - find an address range of @bytes plus slack and release it, so
 * the caller can place mappings there with MAP_FIXED_NOREPLACE or
 * MREMAP_FIXED.  Nothing else maps memory while the benchmark runs.
 */
static unsigned long reserve(unsigned long bytes)
{
	void *p = mmap(NULL, bytes, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		die("reserving %lu bytes", bytes);
	munmap(p, bytes);
	return (unsigned long)p;
}

/* --- console synchronisation and backend counters ----------------------- */

static void tty_say(struct run *r, const char *what)
{
	char line[256];
	int len = snprintf(line, sizeof(line), "@@%s %s\n", what, r->token);

	if (write(r->tty, line, len) != len)
		die("writing '%s' to the console", what);
}

static void tty_wait(struct run *r, const char *want)
{
	char line[256];
	size_t len = 0;
	char c;

	for (;;) {
		ssize_t got = read(r->tty, &c, 1);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			die("console closed while waiting for '%s'", want);
		if (c == '\r')
			continue;
		if (c != '\n') {
			if (len < sizeof(line) - 1)
				line[len++] = c;
			continue;
		}
		line[len] = 0;
		len = 0;
		if (!strcmp(line, want))
			return;
	}
}

static int is_number(const char *s)
{
	char *end;

	if (!*s)
		return 0;
	errno = 0;
	strtoll(s, &end, 0);
	return !errno && (*end == 0);
}

/*
 * Parse one debugfs line: leading words form the name, the numbers after
 * them are summed (per-CPU columns become one total).  A file holding a
 * lone number is named after the file.
 */
static void parse_line(const char *rel, char *line, struct kv *kv, int *nkv)
{
	char name[96] = "";
	long long sum = 0;
	int nums = 0;
	char *tok, *save;

	for (tok = strtok_r(line, " \t:=,", &save); tok;
	     tok = strtok_r(NULL, " \t:=,", &save)) {
		if (is_number(tok)) {
			sum += strtoll(tok, NULL, 0);
			nums++;
		} else if (!nums) {
			size_t l = strlen(name);

			snprintf(name + l, sizeof(name) - l, "%s%s",
				 l ? "_" : "", tok);
		}
	}
	if (!nums || *nkv >= MAX_KEYS)
		return;
	if (snprintf(kv[*nkv].key, sizeof(kv[*nkv].key), "%s%s%s", rel,
		     *name ? ":" : "", name) >= (int)sizeof(kv[*nkv].key))
		return;
	kv[*nkv].val = sum;
	(*nkv)++;
}

static void snap_dir(const char *dir, const char *rel, int depth,
		     struct kv *kv, int *nkv)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[PATH_MAX], sub[PATH_MAX], buf[65536], *line, *save;
		struct stat st;
		ssize_t got;
		int fd;

		if (e->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir,
			     e->d_name) >= (int)sizeof(path) ||
		    snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "",
			     e->d_name) >= (int)sizeof(sub) ||
		    stat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (depth < 3)
				snap_dir(path, sub, depth + 1, kv, nkv);
			continue;
		}
		if (!S_ISREG(st.st_mode) || !(st.st_mode & 0444))
			continue;
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		got = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (got <= 0)
			continue;
		buf[got] = 0;
		for (line = strtok_r(buf, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			parse_line(sub, line, kv, nkv);
	}
	closedir(d);
}

/*
 * snap_proc() - the guest's timer interrupts (every /proc/interrupts line
 * naming a timer, all CPUs) and context switches (/proc/stat ctxt).  Under
 * QEMU a busy guest takes a 1 ms tick per millisecond of wall time, so
 * these explain the part of an operation's hypercalls that grows with its
 * run time rather than with its page-table work.
 */
static void snap_proc(long long v[2])
{
	char line[1024];
	FILE *f;

	v[0] = v[1] = 0;
	f = fopen("/proc/interrupts", "r");
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			char *p = strchr(line, ':'), *end;

			if (!p || !strstr(line, "timer"))
				continue;
			for (p++;; p = end) {
				long long x = strtoll(p, &end, 10);

				if (end == p)
					break;
				v[0] += x;
			}
		}
		fclose(f);
	}
	f = fopen("/proc/stat", "r");
	if (f) {
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, "ctxt ", 5))
				v[1] = strtoll(line + 5, NULL, 10);
		fclose(f);
	}
}

/*
 * profile_marker() - `xchg %bx,%bx`, a no-op that bench/prof/insnprof.c (a
 * QEMU plugin) takes as the start or end of a profiled window.
 */
static void profile_marker(void)
{
	__asm__ volatile("xchg %%bx, %%bx" ::: "memory");
}

/*
 * trace_window() - with -t, switch ftrace's recording on for the window
 * only, so the events a tracer set up (kprobes on the backend, say) are
 * the window's own: bench/prof/hcalls.sh.
 */
static void trace_window(struct run *r, int on)
{
	if (r->trace_fd >= 0 && write(r->trace_fd, on ? "1" : "0", 1) != 1)
		die("tracing_on");
}

/* window_open() - set-up is done: synchronise with dom0 and start timing. */
void window_open(struct run *r)
{
	fflush(NULL);
	snap_dir(debugfs_dir, "", 0, r->before, &r->nbefore);
	snap_proc(r->proc_before);
	if (r->token) {
		tty_say(r, "SYNC");
		tty_wait(r, "go");
	}
	if (r->markers)
		profile_marker();
	trace_window(r, 1);
	r->t0 = now_ns();
}

/* window_close() - the repetitions are done: pad, report, wait for dom0. */
void window_close(struct run *r)
{
	u64 t = now_ns();

	if (r->pad_ns > t - r->t0)
		sleep_until(r->t0 + r->pad_ns);
	r->window_ns = now_ns() - r->t0;
	trace_window(r, 0);
	if (r->markers)
		profile_marker();
	if (r->token) {
		tty_say(r, "FIN");
		tty_wait(r, "end");
	}
	snap_proc(r->proc_after);
	snap_dir(debugfs_dir, "", 0, r->after, &r->nafter);
}

/* --- helper processes driven through pipes ------------------------------ */

/*
 * A crew is a set of helper processes, each waiting on its own command pipe
 * and answering on a shared result pipe with one 8-byte message (pipe writes
 * of that size are atomic).  The window's signalling is the same in the null
 * twin, so it cancels out.
 */
struct crew {
	int cmd[MAX_REPS];
	int res;
	pid_t pid[MAX_REPS];
	int n;
};

typedef u64 (*crew_fn)(int idx, void *arg, int null);

static void crew_start(struct crew *c, int n, crew_fn setup, crew_fn job,
		       void *arg, int null)
{
	int resp[2], i;
	u64 msg;

	if (pipe(resp))
		die("pipe");
	c->res = resp[0];
	c->n = n;
	for (i = 0; i < n; i++) {
		int cp[2];
		char ch;

		if (pipe(cp))
			die("pipe");
		c->pid[i] = fork();
		if (c->pid[i] < 0)
			die("fork of helper %d", i);
		if (!c->pid[i]) {
			close(cp[1]);
			close(resp[0]);
			msg = setup ? setup(i, arg, null) : 0;
			if (write(resp[1], &msg, sizeof(msg)) != sizeof(msg))
				_exit(3);
			if (read(cp[0], &ch, 1) != 1)
				_exit(0);
			msg = job(i, arg, null);
			if (write(resp[1], &msg, sizeof(msg)) != sizeof(msg))
				_exit(3);
			/* Stay alive (and keep memory) until the crew ends. */
			while (read(cp[0], &ch, 1) > 0)
				;
			_exit(0);
		}
		close(cp[0]);
		c->cmd[i] = cp[1];
	}
	close(resp[1]);
	for (i = 0; i < n; i++)
		if (read(c->res, &msg, sizeof(msg)) != sizeof(msg))
			die("a helper died during set-up");
}

static u64 crew_go(struct crew *c, int i)
{
	u64 msg;

	if (write(c->cmd[i], "g", 1) != 1)
		die("signalling helper %d", i);
	if (read(c->res, &msg, sizeof(msg)) != sizeof(msg))
		die("helper %d died", i);
	if (msg == ~0ULL)
		die("helper %d failed", i);
	return msg;
}

static void crew_end(struct crew *c)
{
	int i, st;

	for (i = 0; i < c->n; i++)
		close(c->cmd[i]);
	for (i = 0; i < c->n; i++)
		if (waitpid(c->pid[i], &st, 0) < 0 || !WIFEXITED(st) ||
		    WEXITSTATUS(st))
			die("helper %d ended badly (status %#x)", i, st);
	close(c->res);
}

/* --- workloads ----------------------------------------------------------- */

static u64 fork_setup(int idx, void *arg, int null)
{
	if (!null)
		map_prepared(*(long *)arg);
	return 0;
}

static u64 fork_job(int idx, void *arg, int null)
{
	u64 t0 = now_ns();
	pid_t pid;
	int st;

	if (null)
		return now_ns() - t0;
	pid = fork();
	if (pid < 0)
		return ~0ULL;
	if (!pid)
		_exit(0);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		return ~0ULL;
	return now_ns() - t0;
}

static void w_fork(struct run *r)
{
	struct crew c;
	long i;

	r->ops = r->reps;
	r->unit = "fork+exit+wait";
	crew_start(&c, r->reps, fork_setup, fork_job, &r->n, r->null);
	window_open(r);
	for (i = 0; i < r->reps; i++)
		sample(r, crew_go(&c, i), 1);
	window_close(r);
	crew_end(&c);
}

static char *cow_mem;

static u64 cow_job(int idx, void *arg, int null)
{
	u64 t0 = now_ns();

	if (null)
		return now_ns() - t0;
	touch(cow_mem, *(long *)arg);
	return now_ns() - t0;
}

static void w_cow(struct run *r)
{
	struct crew c;
	long i;

	r->ops = r->reps * r->n;
	r->unit = "page";
	cow_mem = r->null ? NULL : map_prepared(r->n);
	crew_start(&c, r->reps, NULL, cow_job, &r->n, r->null);
	window_open(r);
	for (i = 0; i < r->reps; i++)
		sample(r, crew_go(&c, i), r->n);
	window_close(r);
	crew_end(&c);
	if (cow_mem)
		munmap(cow_mem, r->n * PG);
}

static void w_munmap(struct run *r)
{
	static char *reg[MAX_REPS];
	long i;

	r->ops = r->reps;
	r->unit = "munmap call";
	for (i = 0; i < r->reps && !r->null; i++)
		reg[i] = map_prepared(r->n);
	window_open(r);
	for (i = 0; i < r->reps; i++) {
		u64 t0 = now_ns();

		if (!r->null && munmap(reg[i], r->n * PG))
			die("munmap");
		sample(r, now_ns() - t0, 1);
	}
	window_close(r);
}

static void w_mprotect(struct run *r)
{
	char *p = r->null ? NULL : map_prepared(r->n);
	long i;

	r->ops = 2 * r->reps;
	r->unit = "mprotect call";
	window_open(r);
	for (i = 0; i < r->reps; i++) {
		u64 t0 = now_ns(), t1;

		if (!r->null && mprotect(p, r->n * PG, PROT_READ))
			die("mprotect read-only");
		t1 = now_ns();
		if (!r->null && mprotect(p, r->n * PG, PROT_READ | PROT_WRITE))
			die("mprotect read-write");
		sample(r, t1 - t0, 1);
		sample(r, now_ns() - t1, 1);
	}
	window_close(r);
	if (p)
		munmap(p, r->n * PG);
}

static void w_mmap(struct run *r)
{
	static char *reg[MAX_REPS];
	long i;

	r->ops = r->reps * r->n;
	r->unit = "page";
	window_open(r);
	for (i = 0; i < r->reps; i++) {
		u64 t0 = now_ns();

		if (!r->null)
			reg[i] = map_touched(r->n);
		sample(r, now_ns() - t0, r->n);
	}
	window_close(r);
	for (i = 0; i < r->reps && !r->null; i++)
		munmap(reg[i], r->n * PG);
}

pid_t spawn(const char *path, char *const argv[])
{
	static char *const envp[] = { "PATH=/usr/bin:/bin:/usr/sbin:/sbin",
				       NULL };
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (!pid) {
		execve(path, argv, envp);
		_exit(127);
	}
	return pid;
}

void reap(pid_t pid, const char *what)
{
	int st;

	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)) {
		errno = 0;
		die("%s failed (status %#x)", what, st);
	}
}

static void w_exec(struct run *r)
{
	char path[PATH_MAX + 16];
	char *argv[2];
	long i;

	r->ops = r->reps;
	r->unit = "fork+exec+wait";
	argv[0] = (char *)"xenpv-true";
	argv[1] = NULL;
	if (snprintf(path, sizeof(path), "%s/xenpv-true", bindir) >=
	    (int)sizeof(path) || access(path, X_OK))
		die("%s", path);
	window_open(r);
	for (i = 0; i < r->reps; i++) {
		u64 t0 = now_ns();

		if (!r->null)
			reap(spawn(path, argv), path);
		sample(r, now_ns() - t0, 1);
	}
	window_close(r);
}

/* Read one byte of each of @pages pages: every read is a fault. */
static void read_each(char *p, long pages)
{
	long i;

	for (i = 0; i < pages; i++)
		(void)__atomic_load_n(p + i * PG, __ATOMIC_RELAXED);
}

/*
 * fault_each() - time @fault on each of the prepared regions @reg (REPS of
 * N pages), per page, then unmap them.
 */
static void fault_each(struct run *r, char **reg,
		       void (*fault)(char *p, long pages))
{
	long i;

	window_open(r);
	for (i = 0; i < r->reps; i++) {
		u64 t0 = now_ns();

		if (!r->null)
			fault(reg[i], r->n);
		sample(r, now_ns() - t0, r->n);
	}
	window_close(r);
	for (i = 0; i < r->reps && !r->null; i++)
		munmap(reg[i], r->n * PG);
}

/* rfault: the first read of a fresh anonymous page (maps the zero page). */
static void w_rfault(struct run *r)
{
	static char *reg[MAX_REPS];
	long i;

	r->ops = r->reps * r->n;
	r->unit = "page";
	for (i = 0; i < r->reps && !r->null; i++)
		reg[i] = map_pages(r->n, 0);
	fault_each(r, reg, read_each);
}

/*
 * wpfault: the first write to a page that a child, forked and finished,
 * left write-protected; the page is ours alone again, so the fault only
 * makes the entry writable (what Redis's server meets after a BGSAVE).
 */
static void w_wpfault(struct run *r)
{
	static char *reg[MAX_REPS];
	pid_t pid;
	long i;

	r->ops = r->reps * r->n;
	r->unit = "page";
	for (i = 0; i < r->reps && !r->null; i++)
		reg[i] = map_prepared(r->n);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid)
		_exit(0);
	reap(pid, "wpfault child");
	fault_each(r, reg, touch);
}

/*
 * mremap_at() - move N touched pages from @soff to @doff pages past a 2 MiB
 * boundary: with both 0 the kernel may move whole page tables, otherwise
 * every PTE moves one by one.
 */
static void mremap_at(struct run *r, unsigned long soff, unsigned long doff)
{
	static char *src[MAX_REPS], *dst[MAX_REPS];
	unsigned long len = r->n * PG;
	unsigned long slot = (len + PMD_SIZE) & ~(PMD_SIZE - 1);
	unsigned long sbase, dbase;
	long i;

	r->ops = r->reps;
	r->unit = "mremap call";
	sbase = (reserve((r->reps + 1) * slot) + PMD_SIZE - 1) &
		~(PMD_SIZE - 1);
	for (i = 0; i < r->reps && !r->null; i++) {
		void *want = (void *)(sbase + i * slot + soff * PG);

		src[i] = mmap(want, len, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE |
			      MAP_FIXED_NOREPLACE, -1, 0);
		if (src[i] != want)
			die("placing mremap source %ld", i);
	}
	dbase = (reserve((r->reps + 1) * slot) + PMD_SIZE - 1) &
		~(PMD_SIZE - 1);
	for (i = 0; i < r->reps; i++)
		dst[i] = (char *)(dbase + i * slot + doff * PG);
	window_open(r);
	for (i = 0; i < r->reps; i++) {
		u64 t0 = now_ns();

		if (!r->null &&
		    mremap(src[i], len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
			   dst[i]) != dst[i])
			die("mremap %ld", i);
		sample(r, now_ns() - t0, 1);
	}
	window_close(r);
	for (i = 0; i < r->reps && !r->null; i++)
		munmap(dst[i], len);
}

/* mremap: 7 and 13 pages past a 2 MiB boundary, every PTE moved alone. */
static void w_mremap(struct run *r)
{
	mremap_at(r, 7, 13);
}

/* mremapa: both ends on a 2 MiB boundary. */
static void w_mremapa(struct run *r)
{
	mremap_at(r, 0, 0);
}

static void w_shell(struct run *r)
{
	char script[PATH_MAX + 512];
	char *argv[4];
	long i;

	r->ops = r->reps;
	r->unit = "script run";
	argv[0] = (char *)"sh";
	argv[1] = (char *)"-c";
	argv[2] = script;
	argv[3] = NULL;
	/*
	 * Per iteration: fork+exec of a tiny static binary, a command
	 * substitution (fork of the shell), and a two-process pipeline of
	 * busybox applets.
	 */
	if (snprintf(script, sizeof(script),
		 "i=0; while [ $i -lt %ld ]; do %s/xenpv-true; "
		 "x=$(echo $i); echo $x | /bin/busybox cat >/dev/null; "
		 "i=$((i + 1)); done", r->n, bindir) >= (int)sizeof(script))
		die("script too long");
	window_open(r);
	for (i = 0; i < r->reps; i++) {
		u64 t0 = now_ns();

		if (!r->null)
			reap(spawn("/bin/sh", argv), "shell loop");
		sample(r, now_ns() - t0, 1);
	}
	window_close(r);
}

static void w_idle(struct run *r)
{
	r->ops = 1;
	r->unit = "window";
	r->null = 1;
	if (!r->pad_ns)
		r->pad_ns = (u64)r->n * 1000000ULL;
	window_open(r);
	window_close(r);
}

static const struct {
	const char *name;
	void (*fn)(struct run *r);
} workloads[] = {
	{ "fork", w_fork },
	{ "cow", w_cow },
	{ "munmap", w_munmap },
	{ "mprotect", w_mprotect },
	{ "mmap", w_mmap },
	{ "rfault", w_rfault },
	{ "wpfault", w_wpfault },
	{ "exec", w_exec },
	{ "mremap", w_mremap },
	{ "mremapa", w_mremapa },
	{ "shell", w_shell },
	{ "idle", w_idle },
	{ "redis-first", w_redis_first },
	{ "redis-save", w_redis_save },
	{ "redis-burst", w_redis_burst },
	{ "redis-sets", w_redis_sets },
	{ "redis-cow", w_redis_cow },
};

/* --- results ------------------------------------------------------------- */

static long long lookup(const struct kv *kv, int n, const char *key)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(kv[i].key, key))
			return kv[i].val;
	return 0;
}

static void report(struct run *r, FILE *f)
{
	int i;

	fprintf(f, "bench %s\nn %ld\nreps %ld\nops %ld\nunit %s\nnull %d\n",
		r->name, r->n, r->reps, r->ops, r->unit, r->null);
	fprintf(f, "window_ns %llu\nbusy_ns %llu\n", r->window_ns, r->busy_ns);
	fprintf(f, "samples_ns");
	for (i = 0; i < r->nsamples; i++)
		fprintf(f, " %.0f", r->samples[i]);
	fprintf(f, "\n");
	for (i = 0; i < r->nafter; i++)
		fprintf(f, "xenpv %s %lld\n", r->after[i].key,
			r->after[i].val -
			lookup(r->before, r->nbefore, r->after[i].key));
	for (i = 0; i < r->nvalues; i++)
		fprintf(f, "value %s %lld\n", r->values[i].key,
			r->values[i].val);
	fprintf(f, "proc timer_irqs %lld\nproc ctxt %lld\n",
		r->proc_after[0] - r->proc_before[0],
		r->proc_after[1] - r->proc_before[1]);
	fprintf(f, "end\n");
}

static void print_usage(void)
{
	size_t i;

	fprintf(stderr,
		"usage: xenpv-bench [-m] [-t] [-s TOKEN] [-n PAD_US] [-o FILE] WORKLOAD N REPS\n"
		"workloads:");
	for (i = 0; i < ARRAY_SIZE(workloads); i++)
		fprintf(stderr, " %s", workloads[i].name);
	fprintf(stderr, " sng-STRESSOR\n");
	exit(2);
}

/*
 * One address-space layout for every run: with randomisation the stack,
 * heap and libraries land on different page-table pages from run to run,
 * and the number of tables a fork copies, pins and frees moves with them
 * (fork of 0 pages: 5 % between runs of the same kernel).
 */
static void fixed_layout(char **argv)
{
	int p = personality(0xffffffff);

	if (p == -1 || (p & ADDR_NO_RANDOMIZE))
		return;
	if (personality(p | ADDR_NO_RANDOMIZE) == -1)
		return;
	execv("/proc/self/exe", argv);
}

int main(int argc, char **argv)
{
	static struct run r;
	const char *out = NULL, *tty;
	FILE *f = stdout;
	size_t i;
	ssize_t l;
	int opt;

	fixed_layout(argv);

	r.trace_fd = -1;
	while ((opt = getopt(argc, argv, "mts:n:o:")) != -1) {
		switch (opt) {
		case 'm':
			r.markers = 1;
			break;
		case 't':
			r.trace_fd = open("/sys/kernel/tracing/tracing_on",
					  O_WRONLY);
			if (r.trace_fd < 0)
				die("/sys/kernel/tracing/tracing_on");
			break;
		case 's':
			r.token = optarg;
			break;
		case 'n':
			r.null = 1;
			r.pad_ns = strtoull(optarg, NULL, 0) * 1000ULL;
			break;
		case 'o':
			out = optarg;
			break;
		default:
			print_usage();
		}
	}
	if (argc - optind < 2)
		print_usage();
	r.name = argv[optind];
	r.n = strtol(argv[optind + 1], NULL, 0);
	r.reps = argc - optind > 2 ? strtol(argv[optind + 2], NULL, 0) : 1;
	if (r.n < 0 || r.reps < 1 || r.reps > MAX_REPS)
		print_usage();

	l = readlink("/proc/self/exe", bindir, sizeof(bindir) - 1);
	if (l > 0) {
		bindir[l] = 0;
		*strrchr(bindir, '/') = 0;
	} else {
		snprintf(bindir, sizeof(bindir), "/usr/bin");
	}
	if (getenv("XENPV_BENCH_DEBUGFS"))
		debugfs_dir = getenv("XENPV_BENCH_DEBUGFS");
	/* 4 KiB PTEs only: PV guests cannot use superpages anyway. */
	prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
	if (r.token) {
		tty = getenv("XENPV_BENCH_TTY");
		r.tty = open(tty ? tty : "/dev/hvc0", O_RDWR | O_NOCTTY);
		if (r.tty < 0)
			die("opening the console");
	}
	for (i = 0; i < ARRAY_SIZE(workloads); i++)
		if (!strcmp(workloads[i].name, r.name))
			break;
	if (!strncmp(r.name, "sng-", 4))
		w_sng(&r);
	else if (i < ARRAY_SIZE(workloads))
		workloads[i].fn(&r);
	else
		print_usage();

	if (out) {
		f = fopen(out, "w");
		if (!f)
			die("%s", out);
	}
	report(&r, f);
	if (fclose(f))
		die("writing the results");
	return 0;
}
