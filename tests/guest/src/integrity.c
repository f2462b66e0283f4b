// SPDX-License-Identifier: GPL-2.0
/*
 * integrity.c - memory integrity daemon for save/restore and migration.
 *
 * Why this file exists: the bugs that matter most across save/restore and
 * live migration are silent: a page whose last write was not marked dirty
 * and is sent stale, a p2m entry that names the wrong frame after restore,
 * a page-table page rebuilt from a stale copy.  None of them crash the
 * guest; the data is just wrong.  This daemon holds N MiB of anonymous
 * memory where every 64-bit word is derived from a random seed, the page
 * index and a per-page generation, so any wrong word is detected and located.
 *
 * How it provokes the bugs: while idle it keeps rewriting a few pages every
 * 100 ms (bumping their generation), so live migration always has pages
 * dirtied during the copy rounds; every check verifies ALL pages and then
 * rewrites all of them with a new generation, so the next migration must
 * transfer every page again, and a write lost in that migration is caught by
 * the check after it.
 *
 *   xenpv-tests integrity-start [MiB]     fill, print "integrity: ready N MiB"
 *   xenpv-tests integrity-check [SEC]     "integrity: OK N MiB" or
 *                                         "integrity: FAIL page X ..." (exit 1)
 *   xenpv-tests integrity-stop
 *
 * State lives in $XENPV_RUNDIR (default /run/xenpv-integrity): "pid", the
 * request FIFO "req" and per-check reply FIFOs.  A missing, dead or
 * unresponsive daemon is a FAIL, never a pass.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xt.h"

#define DAEMON_COMM	"xenpv-integrity"
#define DIRTY_PER_TICK	32
#define TICK_MS		100
#define MAX_REPORT	8

static char rundir[256], pidpath[300], reqpath[300];

static struct {
	uint64_t *mem;
	uint32_t *gen;
	size_t npages;
	uint64_t seed;
	uint64_t sum;		/* sum of the page keys, kept up to date */
	uint64_t dirtied;	/* pages rewritten by the idle dirtier */
	uint64_t checks;
	size_t cursor;
	sig_atomic_t stop;
} d;

static void set_paths(void)
{
	const char *env = getenv("XENPV_RUNDIR");

	snprintf(rundir, sizeof(rundir), "%s",
		 env && *env ? env : "/run/xenpv-integrity");
	snprintf(pidpath, sizeof(pidpath), "%s/pid", rundir);
	snprintf(reqpath, sizeof(reqpath), "%s/req", rundir);
}

static uint64_t page_key(size_t p)
{
	return xt_key(d.seed, p, 0x1000000000ULL + d.gen[p]);
}

static inline uint64_t word_val(uint64_t key, size_t w)
{
	return key ^ ((w + 1) * 0x9e3779b97f4a7c15ULL);
}

static void write_page(size_t p)
{
	uint64_t key = page_key(p), *w = d.mem + p * XT_WORDS;
	size_t i;

	for (i = 0; i < XT_WORDS; i++)
		w[i] = word_val(key, i);
}

static void bump_page(size_t p)
{
	d.sum -= page_key(p);
	d.gen[p]++;
	d.sum += page_key(p);
	write_page(p);
}

/* Verify every word of every page; report into @out. */
static size_t verify_all(FILE *out)
{
	size_t p, i, bad = 0, reported = 0;
	uint64_t key, sum = 0, got;

	for (p = 0; p < d.npages; p++) {
		const uint64_t *w = d.mem + p * XT_WORDS;

		key = page_key(p);
		sum += word_val(XT_LOAD(&w[0]), 0);	/* = key when word 0 is intact */
		for (i = 0; i < XT_WORDS; i++) {
			got = XT_LOAD(&w[i]);
			if (got == word_val(key, i))
				continue;
			bad++;
			if (reported++ < MAX_REPORT) {
				long g = -1, k;

				/* Old generation of this page? Then a write was lost. */
				for (k = 1; k <= 16 && k <= (long)d.gen[p]; k++)
					if (got == word_val(xt_key(d.seed, p,
						0x1000000000ULL + d.gen[p] - k), i))
						g = d.gen[p] - k;
				fprintf(out, "BAD page %zu word %zu expected %016llx got %016llx%s%ld\n",
					p, i,
					(unsigned long long)word_val(key, i),
					(unsigned long long)got,
					g >= 0 ? " stale-generation " : " gen ",
					g >= 0 ? g : (long)d.gen[p]);
			}
			write_page(p);	/* repair, so later checks see new damage */
			break;
		}
	}
	if (sum != d.sum && !bad)
		fprintf(out, "BAD checksum %016llx != %016llx\n",
			(unsigned long long)sum, (unsigned long long)d.sum);
	return bad + (sum != d.sum && !bad);
}

static void handle_check(const char *resp)
{
	size_t bad, p;
	uint64_t sum;
	FILE *out;
	int fd;

	fd = open(resp, O_WRONLY | O_NONBLOCK);
	if (fd < 0)
		return;		/* client gone */
	fcntl(fd, F_SETFL, 0);
	out = fdopen(fd, "w");
	if (!out) {
		close(fd);
		return;
	}
	d.checks++;
	bad = verify_all(out);
	sum = d.sum;
	/* Dirty everything again: the next migration must carry it all. */
	for (p = 0; p < d.npages; p++)
		bump_page(p);
	if (bad)
		fprintf(out, "FAIL %zu\n", bad);
	else
		fprintf(out, "OK %zu %016llx %llu %llu\n", d.npages,
			(unsigned long long)sum,
			(unsigned long long)d.dirtied,
			(unsigned long long)d.checks);
	fclose(out);
}

static void on_term(int sig)
{
	(void)sig;
	XT_STORE(&d.stop, 1);
}

static void daemon_loop(int reqfd)
{
	char buf[512], *line, *nl;
	size_t have = 0, i;
	struct pollfd pfd;
	ssize_t n;

	while (!XT_LOAD(&d.stop)) {
		pfd.fd = reqfd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, TICK_MS) <= 0) {
			for (i = 0; i < DIRTY_PER_TICK; i++) {
				bump_page(d.cursor);
				d.cursor = (d.cursor + 1) % d.npages;
				d.dirtied++;
			}
			continue;
		}
		n = read(reqfd, buf + have, sizeof(buf) - 1 - have);
		if (n <= 0)
			continue;
		have += n;
		buf[have] = 0;
		line = buf;
		while ((nl = strchr(line, '\n'))) {
			*nl = 0;
			if (!strncmp(line, "check ", 6))
				handle_check(line + 6);
			else if (!strcmp(line, "stop"))
				d.stop = 1;
			line = nl + 1;
		}
		have = strlen(line);
		memmove(buf, line, have + 1);
		if (have >= sizeof(buf) - 1)
			have = 0;	/* garbage without newline: drop */
	}
}

static pid_t read_pid(void)
{
	char buf[32] = "";
	int fd = open(pidpath, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? (pid_t)atol(buf) : 0;
}

/* Is @pid our daemon (alive, and named like it)? */
static int daemon_alive(pid_t pid)
{
	char path[64], comm[32] = "";
	int fd;
	ssize_t n;

	if (pid <= 0 || kill(pid, 0))
		return 0;
	/* A zombie (killed, not yet reaped by init) is dead too. */
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd >= 0) {
		char st[256] = "", *rp;

		n = read(fd, st, sizeof(st) - 1);
		close(fd);
		rp = n > 0 ? strrchr(st, ')') : NULL;
		if (rp && (rp[2] == 'Z' || rp[2] == 'X'))
			return 0;
	}
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 1;	/* no /proc: trust kill() */
	n = read(fd, comm, sizeof(comm) - 1);
	close(fd);
	if (n > 0 && comm[n - 1] == '\n')
		comm[n - 1] = 0;
	return !strcmp(comm, DAEMON_COMM);
}

static int stop_daemon(pid_t pid, int quiet)
{
	int i;

	kill(pid, SIGTERM);
	for (i = 0; i < 100 && daemon_alive(pid); i++)
		usleep(100000);
	if (daemon_alive(pid)) {
		kill(pid, SIGKILL);
		usleep(100000);
	}
	unlink(pidpath);
	unlink(reqpath);
	if (!quiet)
		printf("integrity: stopped pid %d\n", (int)pid);
	return 0;
}

static void run_daemon(int readyfd, size_t mib)
{
	char msg[320];
	int reqfd, fd;
	size_t p;

	prctl(PR_SET_NAME, DAEMON_COMM);
	signal(SIGTERM, on_term);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	if (chdir("/"))
		_exit(1);
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	d.npages = mib * 256;
	d.seed = xt_seed();
	d.mem = mmap(NULL, d.npages * XT_PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	d.gen = calloc(d.npages, sizeof(*d.gen));
	if (d.mem == MAP_FAILED || !d.gen) {
		snprintf(msg, sizeof(msg), "error cannot allocate %zu MiB\n",
			 mib);
		if (write(readyfd, msg, strlen(msg)) < 0)
			_exit(1);
		_exit(1);
	}
	for (p = 0; p < d.npages; p++) {
		write_page(p);
		d.sum += page_key(p);
	}
	reqfd = open(reqpath, O_RDWR | O_NONBLOCK);
	snprintf(msg, sizeof(msg), "%d\n", (int)getpid());
	fd = open(pidpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (reqfd < 0 || fd < 0 || write(fd, msg, strlen(msg)) < 0) {
		snprintf(msg, sizeof(msg), "error cannot set up %s\n", rundir);
		if (write(readyfd, msg, strlen(msg)) < 0)
			_exit(1);
		_exit(1);
	}
	close(fd);
	snprintf(msg, sizeof(msg), "ready %016llx\n",
		 (unsigned long long)d.sum);
	if (write(readyfd, msg, strlen(msg)) < 0)
		_exit(1);
	close(readyfd);
	daemon_loop(reqfd);
	unlink(pidpath);
	unlink(reqpath);
	_exit(0);
}

static int cmd_start(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 64;
	char buf[256] = "";
	struct pollfd pfd;
	int rp[2], st;
	ssize_t n = 0;
	pid_t old, pid;

	if (mib < 1 || mib > 65536) {
		fprintf(stderr, "integrity: bad size '%s' (MiB)\n", argv[1]);
		return 2;
	}
	mkdir("/run", 0755);
	if (mkdir(rundir, 0700) && errno != EEXIST) {
		printf("integrity: FAIL cannot create %s: %s\n", rundir,
		       strerror(errno));
		return 1;
	}
	old = read_pid();
	if (daemon_alive(old)) {
		printf("integrity: replacing running daemon pid %d\n", (int)old);
		stop_daemon(old, 1);
	}
	unlink(reqpath);
	if (mkfifo(reqpath, 0600)) {
		printf("integrity: FAIL mkfifo %s: %s\n", reqpath,
		       strerror(errno));
		return 1;
	}
	if (pipe(rp))
		return 1;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		close(rp[0]);
		setsid();
		if (fork() == 0)
			run_daemon(rp[1], mib);
		_exit(0);
	}
	close(rp[1]);
	waitpid(pid, &st, 0);
	pfd.fd = rp[0];
	pfd.events = POLLIN;
	/* Filling takes a few seconds under emulation; allow plenty. */
	if (poll(&pfd, 1, 600 * 1000) > 0)
		n = read(rp[0], buf, sizeof(buf) - 1);
	close(rp[0]);
	if (n <= 0 || strncmp(buf, "ready ", 6)) {
		printf("integrity: FAIL daemon did not start%s%s",
		       n > 0 ? ": " : "\n", n > 0 ? buf : "");
		return 1;
	}
	printf("integrity: ready %zu MiB (pid %d, sum %.16s)\n", mib,
	       (int)read_pid(), buf + 6);
	return 0;
}

static int cmd_check(int argc, char **argv)
{
	int timeout = argc > 1 ? atoi(argv[1]) : 300;
	char resp[340], line[256], req[400];
	size_t have = 0, mib = 0;
	int fd, rfd, ok = 0, failed = 0;
	double end;
	pid_t pid;

	if (timeout <= 0)
		timeout = 300;
	pid = read_pid();
	if (!pid) {
		printf("integrity: FAIL no daemon (no %s; integrity-start not run?)\n",
		       pidpath);
		return 1;
	}
	if (!daemon_alive(pid)) {
		printf("integrity: FAIL daemon pid %d is dead\n", (int)pid);
		return 1;
	}
	snprintf(resp, sizeof(resp), "%s/resp.%d", rundir, (int)getpid());
	unlink(resp);
	if (mkfifo(resp, 0600)) {
		printf("integrity: FAIL mkfifo %s: %s\n", resp, strerror(errno));
		return 1;
	}
	rfd = open(resp, O_RDONLY | O_NONBLOCK);
	fd = open(reqpath, O_WRONLY | O_NONBLOCK);
	if (rfd < 0 || fd < 0) {
		printf("integrity: FAIL daemon pid %d not listening on %s: %s\n",
		       (int)pid, reqpath, strerror(errno));
		unlink(resp);
		return 1;
	}
	snprintf(req, sizeof(req), "check %s\n", resp);
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req)) {
		printf("integrity: FAIL cannot send request: %s\n",
		       strerror(errno));
		unlink(resp);
		return 1;
	}
	close(fd);
	/* Wait for the daemon to open the reply FIFO and answer. */
	end = xt_now_ms() + timeout * 1000.0;
	for (;;) {
		struct pollfd pfd = { .fd = rfd, .events = POLLIN };
		char c;
		ssize_t n;

		if (poll(&pfd, 1, 1000) > 0) {
			n = read(rfd, &c, 1);
			if (n == 1) {
				if (have < sizeof(line) - 1)
					line[have++] = c;
				if (c != '\n')
					continue;
				line[have] = 0;
				have = 0;
				if (!strncmp(line, "OK ", 3)) {
					unsigned long long np = 0, dirt = 0, nchk = 0;
					char sum[20] = "";

					if (sscanf(line + 3, "%llu %19s %llu %llu", &np,
						   sum, &dirt, &nchk) != 4) {
						printf("integrity: FAIL garbled answer: %s", line);
						failed = 1;
						continue;
					}
					mib = np / 256;
					printf("integrity: checked %llu pages, sum %s, %llu pages dirtied while idle, check %llu\n",
					       np, sum, dirt, nchk);
					ok = 1;
				} else if (!strncmp(line, "BAD ", 4)) {
					printf("integrity: FAIL %s", line + 4);
				} else if (!strncmp(line, "FAIL ", 5)) {
					printf("integrity: FAIL %s bad pages in total\n",
					       strtok(line + 5, "\n"));
					failed = 1;
				}
				continue;
			}
			if (n == 0)
				break;	/* daemon closed: answer complete */
		}
		if (!daemon_alive(pid)) {
			printf("integrity: FAIL daemon pid %d died during the check\n",
			       (int)pid);
			failed = 1;
			break;
		}
		if (xt_now_ms() > end) {
			printf("integrity: FAIL no answer from daemon pid %d within %d s\n",
			       (int)pid, timeout);
			failed = 1;
			break;
		}
	}
	close(rfd);
	unlink(resp);
	if (ok && !failed) {
		printf("integrity: OK %zu MiB\n", mib);
		return 0;
	}
	if (!failed)
		printf("integrity: FAIL incomplete answer from daemon\n");
	return 1;
}

static int cmd_stop(void)
{
	pid_t pid = read_pid();

	if (!pid) {
		printf("integrity: no daemon to stop\n");
		return 0;
	}
	if (!daemon_alive(pid)) {
		printf("integrity: FAIL daemon pid %d had died before stop\n",
		       (int)pid);
		unlink(pidpath);
		unlink(reqpath);
		return 1;
	}
	return stop_daemon(pid, 0);
}

/**
 * xt_integrity_main() - "integrity-start|check|stop" entry point.
 * @argc: argument count (argv[0] is the subcommand).
 * @argv: arguments.
 *
 * Return: 0 on success/OK, 1 on FAIL, 2 on usage error.
 */
int xt_integrity_main(int argc, char **argv)
{
	set_paths();
	if (!strcmp(argv[0], "integrity-start"))
		return cmd_start(argc, argv);
	if (!strcmp(argv[0], "integrity-check"))
		return cmd_check(argc, argv);
	if (!strcmp(argv[0], "integrity-stop"))
		return cmd_stop();
	fprintf(stderr, "unknown command %s\n", argv[0]);
	return 2;
}
