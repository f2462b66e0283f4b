// SPDX-License-Identifier: GPL-2.0
/*
 * real.c - the real programs xenpv-bench measures beside its memory
 * operations: Redis's background save and stress-ng's memory stressors.
 *
 * Why this file exists: users meet the PV MMU in programs, and the textbook
 * victim is Redis, whose BGSAVE forks a server holding gigabytes on its
 * main thread; every client waits for that fork.  These workloads run
 * inside the same counting window as the others (window_open/close in
 * xenpv-bench.c), with a null twin that does the same client work without
 * the operation, so their hypervisor entries per operation are comparable
 * to the rest of the table.
 *
 * Redis workloads (N = MiB of data; the server is already running, started
 * by bench/dom0-bench.sh, and is reached on the Unix socket
 * $XENPV_BENCH_REDIS, default /x/tmp/redis.sock):
 *   redis-first N   the first BGSAVE after the data set was written
 *                   (set-up: FLUSHALL and DEBUG POPULATE; REPS should be 1)
 *   redis-save N    repeated BGSAVEs with no write in between
 *   redis-burst N   20,000 SETs, then a BGSAVE; the null twin does the SETs
 *   redis-sets N    20,000 SETs with no child alive (the parent's own cost)
 *   redis-cow N     20,000 SETs while the save's child is alive; the null
 *                   twin does the same save and the SETs after it (the
 *                   server runs with rdb-key-save-delay, so the child
 *                   outlives the SETs while taking little of the CPU)
 * One BGSAVE here is the fork, the child's end and Redis reaping it.  The
 * child is stopped with SIGUSR1 (Redis's own way of ending a save it does
 * not want) as soon as it exists, or after the SETs of redis-cow: writing
 * and compressing the snapshot is the same work on either kernel and would
 * cost minutes of an emulated machine per window, while the fork, the
 * child's exit and the copies on write are what the PV MMU changes.
 * Samples are Redis's own fork time (INFO latest_fork_usec: the parent
 * blocked in fork()), or the SET burst's time for redis-sets and redis-cow.
 * Values: keys, rss_bytes (the server's resident set after set-up).
 *
 * stress-ng workloads: sng-STRESSOR N runs one instance of the stressor for
 * N bogo operations through the command $XENPV_BENCH_SNG (default: Debian's
 * stress-ng from the tools image at /x, as an unprivileged user, which the
 * exec stressor requires); the null twin runs it for one bogo operation,
 * so start-up and tear-down cancel and the difference is N - 1 operations.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "xenpv-bench.h"

#define REDIS_SOCK	"/x/tmp/redis.sock"
#define SNG_CMD		"chroot /x /usr/sbin/chroot --userspec=65534:65534 / stress-ng"
#define VALUE_BYTES	1000	/* DEBUG POPULATE's and our SETs' values */
#define KEYS_PER_MIB	960	/* about 1 MiB of RSS each, hash table included */
#define BURST_SETS	20000
#define PIPELINE	64	/* SETs sent before their replies are read */

/* One connection to the server, buffered both ways. */
struct rconn {
	int fd;
	size_t ilen, ioff;
	size_t olen;
	char in[1 << 16];
	char out[PIPELINE * (VALUE_BYTES + 64)];
};

static struct rconn rc;
static pid_t redis_pid;

static void rc_open(void)
{
	const char *path = getenv("XENPV_BENCH_REDIS");
	struct sockaddr_un a = { .sun_family = AF_UNIX };

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path ? path : REDIS_SOCK);
	rc.fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (rc.fd < 0 || connect(rc.fd, (struct sockaddr *)&a, sizeof(a)))
		die("connecting to redis at %s", a.sun_path);
}

static void rc_flush(void)
{
	size_t off = 0;

	while (off < rc.olen) {
		ssize_t n = write(rc.fd, rc.out + off, rc.olen - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("writing to redis");
		off += n;
	}
	rc.olen = 0;
}

/* rc_arg() - one argument of a command in RESP's bulk-string form. */
static void rc_arg(const char *p, size_t len)
{
	int n = snprintf(rc.out + rc.olen, sizeof(rc.out) - rc.olen,
			 "$%zu\r\n", len);

	if (n < 0 || rc.olen + n + len + 2 > sizeof(rc.out))
		die("redis command too long");
	rc.olen += n;
	memcpy(rc.out + rc.olen, p, len);
	rc.olen += len;
	memcpy(rc.out + rc.olen, "\r\n", 2);
	rc.olen += 2;
}

/* rc_cmd() - queue a command of space-separated words. */
static void rc_cmd(const char *words)
{
	char buf[256], *w, *save;
	int n = 0, len;
	const char *p;

	for (p = words; *p; p++)
		n += (p == words || p[-1] == ' ') && *p != ' ';
	len = snprintf(rc.out + rc.olen, sizeof(rc.out) - rc.olen, "*%d\r\n", n);
	if (len < 0 || rc.olen + len >= sizeof(rc.out))
		die("redis command too long");
	rc.olen += len;
	snprintf(buf, sizeof(buf), "%s", words);
	for (w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
		rc_arg(w, strlen(w));
}

static int rc_getc(void)
{
	if (rc.ioff == rc.ilen) {
		ssize_t n;

		do
			n = read(rc.fd, rc.in, sizeof(rc.in));
		while (n < 0 && errno == EINTR);
		if (n <= 0)
			die("redis closed the connection");
		rc.ilen = n;
		rc.ioff = 0;
	}
	return (unsigned char)rc.in[rc.ioff++];
}

/* rc_line() - one reply line without its CRLF (truncated to @max - 1). */
static void rc_line(char *buf, size_t max)
{
	size_t n = 0;
	int c;

	while ((c = rc_getc()) != '\n')
		if (c != '\r' && n < max - 1)
			buf[n++] = c;
	buf[n] = 0;
}

/*
 * rc_reply() - read one reply: a status, an integer or a bulk string goes
 * to @buf (truncated to @max - 1); an error ends the program, naming @what.
 */
static void rc_reply(char *buf, size_t max, const char *what)
{
	char line[256];
	long len, i;

	rc_line(line, sizeof(line));
	switch (line[0]) {
	case '+':
	case ':':
		snprintf(buf, max, "%s", line + 1);
		return;
	case '$':
		len = strtol(line + 1, NULL, 10);
		for (i = 0; i < len + 2; i++) {
			int c = rc_getc();

			if (i < len && (size_t)i < max - 1)
				buf[i] = c;
		}
		buf[len < 0 ? 0 : (size_t)len < max ? (size_t)len : max - 1] = 0;
		return;
	default:
		errno = 0;
		die("redis answered %s with '%s'", what, line);
	}
}

/* rc_do() - send a command of words, return its reply in @buf. */
static void rc_do(const char *words, char *buf, size_t max)
{
	rc_cmd(words);
	rc_flush();
	rc_reply(buf, max, words);
}

/* info() - one numeric field of INFO @section, or -1 if it is missing. */
static long long info(const char *section, const char *field)
{
	static char buf[1 << 15];
	char cmd[64];
	size_t l = strlen(field);
	char *p;

	snprintf(cmd, sizeof(cmd), "INFO %s", section);
	rc_do(cmd, buf, sizeof(buf));
	for (p = buf; p; p = strchr(p, '\n')) {
		p += *p == '\n';
		if (!strncmp(p, field, l) && p[l] == ':')
			return strtoll(p + l + 1, NULL, 10);
	}
	return -1;
}

/* find_child() - the server's forked child, or 0 if there is none. */
static pid_t find_child(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t found = 0;

	if (!d)
		die("/proc");
	while (!found && (e = readdir(d))) {
		char path[300], stat[512], *p;
		FILE *f;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		p = fgets(stat, sizeof(stat), f) ? strrchr(stat, ')') : NULL;
		fclose(f);
		/* ") STATE PPID ..." */
		if (p && strtol(p + 4, NULL, 10) == redis_pid)
			found = strtol(e->d_name, NULL, 10);
	}
	closedir(d);
	return found;
}

/* gone() - @pid has been reaped (its /proc entry is gone). */
static int gone(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	return access(path, F_OK) != 0;
}

/*
 * set_burst() - BURST_SETS SETs of fresh values to keys of the data set,
 * in pipelined groups.  The keys come from a fixed sequence, so both
 * kernels write the same ones.
 */
static void set_burst(long keys)
{
	static unsigned long seed = 12345;
	static char val[VALUE_BYTES];
	char key[32], reply[64];
	int i, j;

	memset(val, 'v', sizeof(val));
	for (i = 0; i < BURST_SETS; i += PIPELINE) {
		for (j = 0; j < PIPELINE && i + j < BURST_SETS; j++) {
			int n;

			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			n = snprintf(key, sizeof(key), "key:%lu", (seed >> 33) % keys);
			val[0] = (char)('a' + (i + j) % 26);
			memcpy(rc.out + rc.olen, "*3\r\n", 4);
			rc.olen += 4;
			rc_arg("SET", 3);
			rc_arg(key, n);
			rc_arg(val, sizeof(val));
		}
		rc_flush();
		while (j--)
			rc_reply(reply, sizeof(reply), "SET");
	}
}

/* bgsave_start() - ask for a save; returns the child's pid (0: gone). */
static pid_t bgsave_start(void)
{
	char reply[128];

	rc_do("BGSAVE", reply, sizeof(reply));
	if (!strstr(reply, "started")) {
		errno = 0;
		die("BGSAVE: %s", reply);
	}
	return find_child();
}

/*
 * bgsave_end() - stop the child and wait until Redis has reaped it;
 * returns the fork's duration in microseconds, as Redis measured it.
 */
static long long bgsave_end(pid_t child)
{
	if (child) {
		kill(child, SIGUSR1);
		while (!gone(child))
			usleep(1000);
	}
	while (info("persistence", "rdb_bgsave_in_progress") != 0)
		usleep(1000);
	return info("stats", "latest_fork_usec");
}

/* rss_bytes() - the server's resident set now (Redis's own figure lags). */
static long long rss_bytes(void)
{
	char path[64], line[256];
	long long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)redis_pid);
	f = fopen(path, "r");
	if (!f)
		die("%s", path);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmRSS:", 6))
			kb = strtoll(line + 6, NULL, 10);
	fclose(f);
	return kb * 1024;
}

/*
 * dataset() - connect and make sure the server holds @mib MiB of data (a
 * fresh copy if @fresh, so every page was just written); returns the
 * number of keys.
 */
static long dataset(struct run *r, int fresh)
{
	long keys = r->n * KEYS_PER_MIB;
	char cmd[128], reply[128];

	rc_open();
	redis_pid = info("server", "process_id");
	if (redis_pid <= 0)
		die("no process_id in INFO");
	rc_do("DBSIZE", reply, sizeof(reply));
	if (fresh || strtol(reply, NULL, 10) != keys) {
		rc_do("FLUSHALL SYNC", reply, sizeof(reply));
		snprintf(cmd, sizeof(cmd), "DEBUG POPULATE %ld key %d", keys,
			 VALUE_BYTES);
		rc_do(cmd, reply, sizeof(reply));
	}
	/*
	 * Hand the allocator's dirty pages back now (what FLUSHALL freed, a
	 * burst's old values): left alone, jemalloc purges them as they age,
	 * inside some later window and not in another.
	 */
	rc_do("MEMORY PURGE", reply, sizeof(reply));
	value(r, "keys", keys);
	value(r, "rss_bytes", rss_bytes());
	r->ops = r->reps;
	return keys;
}

static void redis_saves(struct run *r, int fresh, int burst)
{
	/* the null twin's window holds no save: its set-up may be old data */
	long keys = dataset(r, fresh && !r->null);
	long i;

	r->unit = "BGSAVE (fork, child exit, reap)";
	if (!fresh)	/* the saves before this one left every PTE read-only */
		bgsave_end(bgsave_start());
	window_open(r);
	for (i = 0; i < r->reps; i++) {
		if (burst)
			set_burst(keys);
		if (!r->null)
			sample(r, bgsave_end(bgsave_start()) * 1000, 1);
	}
	window_close(r);
}

void w_redis_first(struct run *r)
{
	redis_saves(r, 1, 0);
}

void w_redis_save(struct run *r)
{
	redis_saves(r, 0, 0);
}

void w_redis_burst(struct run *r)
{
	redis_saves(r, 0, 1);
}

void w_redis_sets(struct run *r)
{
	long keys = dataset(r, 0);
	long i;

	r->unit = "burst of 20000 SETs";
	window_open(r);
	for (i = 0; i < r->reps; i++) {
		u64 t0 = now_ns();

		if (!r->null)
			set_burst(keys);
		sample(r, now_ns() - t0, 1);
	}
	window_close(r);
}

void w_redis_cow(struct run *r)
{
	long keys = dataset(r, 0);
	long i;

	r->unit = "burst of 20000 SETs during a save";
	bgsave_end(bgsave_start());
	window_open(r);
	for (i = 0; i < r->reps; i++) {
		pid_t child = bgsave_start();
		u64 t0;

		if (r->null) {
			bgsave_end(child);
			child = 0;
		}
		t0 = now_ns();
		set_burst(keys);
		sample(r, now_ns() - t0, 1);
		if (child && gone(child)) {
			errno = 0;
			die("the save's child ended during the SETs");
		}
		bgsave_end(child);
	}
	window_close(r);
}

/* --- stress-ng ----------------------------------------------------------- */

/*
 * Per stressor: sizes small enough for many rounds in the bench's domU,
 * and one way of working where a stressor would pick among several as it
 * runs (exec: how it forks and which exec it calls).  Every stressor runs
 * with a fixed seed (SNG_FIXED), so the sizes, advice and orders it draws
 * at random are the same in every run and on both kernels.
 */
#define SNG_FIXED	"-q --temp-path /tmp --seed 1"
static const struct {
	const char *name;
	const char *args;
} sng_args[] = {
	{ "vm", "--vm-bytes 4M" },
	{ "mmap", "--mmap-bytes 1M" },
	{ "mremap", "--mremap-bytes 1M" },
	{ "madvise", "" },
	{ "pagemove", "--pagemove-bytes 1M" },
	{ "exec", "--exec-max 1 --exec-no-pthread --exec-method execve --exec-fork-method fork" },
};

void w_sng(struct run *r)
{
	const char *stressor = r->name + 4, *cmd = getenv("XENPV_BENCH_SNG");
	const char *extra = "";
	char script[1024];
	char *argv[4] = { (char *)"sh", (char *)"-c", script, NULL };
	size_t i;
	long n;

	if (r->n < 2)
		die("sng-%s: N must be at least 2", stressor);
	for (i = 0; i < ARRAY_SIZE(sng_args); i++)
		if (!strcmp(sng_args[i].name, stressor))
			extra = sng_args[i].args;
	n = r->null ? 1 : r->n;
	if (snprintf(script, sizeof(script),
		     "%s " SNG_FIXED " --%s 1 --%s-ops %ld %s",
		     cmd ? cmd : SNG_CMD, stressor, stressor, n, extra) >=
	    (int)sizeof(script))
		die("stress-ng command too long");
	r->ops = (r->n - 1) * r->reps;
	r->unit = "bogo operation";
	window_open(r);
	for (i = 0; i < (size_t)r->reps; i++) {
		u64 t0 = now_ns();

		reap(spawn("/bin/sh", argv), script);
		sample(r, now_ns() - t0, r->n - 1);
	}
	window_close(r);
}
