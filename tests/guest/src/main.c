// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - command line and test runner of xenpv-tests.
 *
 * Why this file exists: the domU has no Python and no test framework, so this
 * multi-call binary is the framework.  Every test runs in its own forked
 * process group with an alarm, so a crash, a hang or a leaked child in one
 * test is reported as that test's FAIL line and cannot take the suite down.
 *
 *   xenpv-tests [--quick] [--timeout SEC]          run every test
 *   xenpv-tests [--quick] NAME|GLOB|GROUP...       run the named tests
 *   xenpv-tests --list                             list test names
 *   xenpv-tests integrity-start [MiB] | integrity-check [SEC] | integrity-stop
 *   xenpv-tests stress SECONDS
 *
 * Output: "PASS name (x ms)" or "FAIL name: reason" per test, "# ..." notes,
 * and a last line "N passed, N failed".  Exit status 1 if anything failed,
 * 2 on a usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fnmatch.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xt.h"
#include "runner.h"

static const struct xt_test xt_tests[] = {
	/* t_fork.c: fork, COW, vfork, clone */
	{ "fork_cow_1", t_fork_cow_1 },
	{ "fork_cow_1000", t_fork_cow_1000 },
	{ "fork_cow_10000", t_fork_cow_10000 },
	{ "fork_cow_thread", t_fork_cow_thread },
	{ "fork_nested", t_fork_nested },
	{ "fork_many", t_fork_many },
	{ "vfork", t_vfork },
	{ "clone_vm", t_clone_vm },
	/* t_vma.c: address-space system calls */
	{ "mmap_basic", t_mmap_basic },
	{ "mmap_fixed", t_mmap_fixed },
	{ "munmap_partial", t_munmap_partial },
	{ "mprotect", t_mprotect },
	{ "mremap", t_mremap },
	{ "madv_dontneed", t_madv_dontneed },
	{ "madv_free", t_madv_free },
	{ "mlock", t_mlock },
	{ "msync", t_msync },
	{ "mincore", t_mincore },
	{ "brk", t_brk },
	{ "file_private", t_file_private },
	{ "mm_leak", t_mm_leak },
	/* t_exec.c */
	{ "exec_loop", t_exec_loop },
	{ "vfork_exec", t_vfork_exec },
	{ "exec_self", t_exec_self },
	/* t_tlb.c: cross-CPU TLB shootdown */
	{ "tlb_munmap", t_tlb_munmap },
	{ "tlb_remap", t_tlb_remap },
	{ "tlb_mprotect", t_tlb_mprotect },
	/* t_shm.c */
	{ "shm_sysv", t_shm_sysv },
	{ "shm_memfd", t_shm_memfd },
	{ "shm_tmpfs", t_shm_tmpfs },
	{ "shm_anon", t_shm_anon },
	{ "shm_uffd_wp", t_shm_uffd_wp },
	/* t_huge.c */
	{ "huge_hugetlb", t_huge_hugetlb },
	{ "huge_thp", t_huge_thp },
};

#define XT_NTESTS (ARRAY_SIZE(xt_tests))

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: xenpv-tests [--quick] [--timeout SEC] [NAME|GLOB|GROUP...]\n"
		"       xenpv-tests --list\n"
		"       xenpv-tests integrity-start [MiB]\n"
		"       xenpv-tests integrity-check [TIMEOUT_SEC]\n"
		"       xenpv-tests integrity-stop\n"
		"       xenpv-tests stress SECONDS\n");
}

static int list_tests(void)
{
	size_t k;

	for (k = 0; k < XT_NTESTS; k++)
		printf("%s\n", xt_tests[k].name);
	return 0;
}

static void find_bindir(const char *argv0)
{
	char *slash;
	ssize_t n;

	n = readlink("/proc/self/exe", xt_bindir, sizeof(xt_bindir) - 1);
	if (n <= 0) {
		snprintf(xt_bindir, sizeof(xt_bindir), "%s", argv0);
		n = strlen(xt_bindir);
	}
	xt_bindir[n] = 0;
	slash = strrchr(xt_bindir, '/');
	if (slash)
		*slash = 0;
	else
		snprintf(xt_bindir, sizeof(xt_bindir), ".");
}

static void reap_strays(void)
{
	while (waitpid(-1, NULL, WNOHANG | __WALL) > 0)
		;
}

/*
 * A name selects a test by exact name, by shell glob ("tlb_*"), or as a
 * group prefix: "fork_cow" selects fork_cow_1, fork_cow_1000, ...
 */
static int name_matches(const char *sel, const char *name)
{
	size_t n = strlen(sel);

	if (!fnmatch(sel, name, 0))
		return 1;
	return !strncmp(sel, name, n) && name[n] == '_';
}

/* Run one test in its own process group; return 1 if it passed. */
static int run_one(const struct xt_test *t, unsigned int timeout)
{
	double t0 = xt_now_ms(), ms;
	pid_t pid, w;
	int st;

	memset(xt_result, 0, sizeof(*xt_result));
	snprintf(xt_result->name, sizeof(xt_result->name), "%s", t->name);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		printf("FAIL %s: fork: %s\n", t->name, strerror(errno));
		return 0;
	}
	if (pid == 0) {
		setpgid(0, 0);
		xt_install_fault_handler();
		signal(SIGALRM, SIG_DFL);
		alarm(timeout);
		t->fn();
		fflush(stdout);
		_exit(0);
	}
	setpgid(pid, pid);
	do {
		w = waitpid(pid, &st, 0);
	} while (w < 0 && errno == EINTR);
	ms = xt_now_ms() - t0;
	/* Leftover children of the test die with it. */
	kill(-pid, SIGKILL);
	reap_strays();

	if (w == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0 &&
	    !xt_result->claimed) {
		printf("PASS %s (%.0f ms)\n", t->name, ms);
		return 1;
	}
	if (xt_result->ready)
		printf("FAIL %s: %s\n", t->name, xt_result->reason);
	else if (w == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM)
		printf("FAIL %s: timeout after %u s\n", t->name, timeout);
	else if (w == pid && WIFSIGNALED(st))
		printf("FAIL %s: killed by signal %d\n", t->name,
		       WTERMSIG(st));
	else if (w == pid)
		printf("FAIL %s: exit status %d\n", t->name, WEXITSTATUS(st));
	else
		printf("FAIL %s: waitpid: %s\n", t->name, strerror(errno));
	return 0;
}

static int run_tests(char **names, int nnames, unsigned int timeout)
{
	int passed = 0, failed = 0, i, any;
	size_t k;
	char *sel;

	xt_result = mmap(NULL, sizeof(*xt_result), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (xt_result == MAP_FAILED) {
		perror("xenpv-tests: mmap");
		return 1;
	}
	/* Check names first: a typo must not look like a passing run. */
	sel = calloc(XT_NTESTS, 1);
	if (!sel)
		return 1;
	for (i = 0; i < nnames; i++) {
		any = 0;
		for (k = 0; k < XT_NTESTS; k++) {
			if (name_matches(names[i], xt_tests[k].name)) {
				sel[k] = 1;
				any = 1;
			}
		}
		if (!any) {
			fprintf(stderr, "xenpv-tests: no test named '%s' (see --list)\n",
				names[i]);
			return 2;
		}
	}
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	printf("# xenpv-tests: %d cpu(s), page size %ld, %s mode\n",
	       xt_ncpus(), sysconf(_SC_PAGESIZE), xt_quick ? "quick" : "full");
	for (k = 0; k < XT_NTESTS; k++) {
		if (nnames && !sel[k])
			continue;
		if (run_one(&xt_tests[k], timeout))
			passed++;
		else
			failed++;
		fflush(stdout);
	}
	printf("%d passed, %d failed\n", passed, failed);
	fflush(stdout);
	free(sel);
	return failed ? 1 : 0;
}

/**
 * main() - dispatch to the runner, the integrity daemon or the stress mode.
 * @argc: argument count.
 * @argv: arguments.
 *
 * Return: process exit status.
 */
int main(int argc, char **argv)
{
	unsigned int timeout = 60;
	const char *env;
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	find_bindir(argv[0]);
	env = getenv("XENPV_TEST_TIMEOUT");
	if (env && atoi(env) > 0)
		timeout = atoi(env);
	if (getenv("XENPV_QUICK"))
		xt_quick = 1;

	if (argc > 1 && !strcmp(argv[1], "__exec_probe"))
		return xt_exec_probe_main();
	if (argc > 1 && !strncmp(argv[1], "integrity-", 10))
		return xt_integrity_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "stress"))
		return xt_stress_main(argc - 1, argv + 1);

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--list"))
			return list_tests();
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			print_usage(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--quick")) {
			xt_quick = 1;
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc &&
			   atoi(argv[i + 1]) > 0) {
			timeout = atoi(argv[++i]);
		} else {
			print_usage(stderr);
			return 2;
		}
	}
	return run_tests(argv + i, argc - i, timeout);
}
