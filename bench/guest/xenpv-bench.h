/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenpv-bench.h - what the workload files of xenpv-bench share: one run's
 * parameters and results, the counting window, and the process helpers.
 * xenpv-bench.c holds the memory-operation workloads and the program;
 * real.c the real programs (Redis, stress-ng) driven through the same
 * window.
 */
#ifndef XENPV_BENCH_H
#define XENPV_BENCH_H

#include <limits.h>
#include <sys/types.h>

#define PG		4096UL
#define PMD_SIZE	(2UL << 20)
#define MAX_REPS	1000
#define MAX_KEYS	512
#define DEBUGFS_DIR	"/sys/kernel/debug/xenpv"

typedef unsigned long long u64;

/* The kernel's spellings, for userspace. */
#define XB_ATTR(x)	__attribute__((x))
#define __printf(a, b)	XB_ATTR(format(printf, a, b))
#define __noreturn	XB_ATTR(noreturn)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* One counter read from the backend's debugfs directory. */
struct kv {
	char key[256];
	long long val;
};

/**
 * struct run - one invocation: the parameters and what it measured
 * @name:     workload name
 * @n:        pages (or iterations, or milliseconds for idle)
 * @reps:     repetitions inside the window
 * @null:     run the null twin (operation skipped)
 * @pad_ns:   pad the window to this length (null twin and idle)
 * @token:    console synchronisation token, or NULL to run free
 * @tty:      console file descriptor used for synchronisation
 * @ops:      operations the window performed (divide counts by this)
 * @unit:     what one operation is
 * @t0:       window start
 * @window_ns: window length as measured here
 * @busy_ns:  time spent in the timed operations
 * @samples:  nanoseconds per operation, one per timed repetition
 * @nsamples: number of @samples
 * @before:   debugfs counters before the window
 * @nbefore:  number of @before
 * @after:    debugfs counters after the window
 * @nafter:   number of @after
 * @proc_before: guest timer interrupts and context switches before
 * @proc_after:  the same after
 * @values:   named results of the workload itself (real workloads)
 * @nvalues:  number of @values
 */
struct run {
	const char *name;
	long n;
	long reps;
	int null;
	int markers;		/* -m: profile markers around the window */
	int trace_fd;		/* -t: ftrace's tracing_on, or -1 */
	u64 pad_ns;
	const char *token;
	int tty;
	long ops;
	const char *unit;
	u64 t0;
	u64 window_ns;
	u64 busy_ns;
	double samples[2 * MAX_REPS];
	int nsamples;
	struct kv before[MAX_KEYS];
	int nbefore;
	struct kv after[MAX_KEYS];
	int nafter;
	long long proc_before[2];
	long long proc_after[2];
	struct kv values[8];
	int nvalues;
};

extern char bindir[PATH_MAX];

void __noreturn __printf(1, 2) die(const char *fmt, ...);
u64 now_ns(void);
void sleep_until(u64 t);
void sample(struct run *r, u64 ns, long per);
void value(struct run *r, const char *name, long long val);
void window_open(struct run *r);
void window_close(struct run *r);
pid_t spawn(const char *path, char *const argv[]);
void reap(pid_t pid, const char *what);

void w_redis_first(struct run *r);
void w_redis_save(struct run *r);
void w_redis_burst(struct run *r);
void w_redis_sets(struct run *r);
void w_redis_cow(struct run *r);
void w_sng(struct run *r);

#endif /* XENPV_BENCH_H */
