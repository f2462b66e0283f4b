// SPDX-License-Identifier: GPL-2.0
/*
 * t_exec.c - fork+exec and vfork+exec loops.
 *
 * Why this file exists: exec tears down a whole address space (unpin and
 * free every page table) and builds a new one whose first pages come from
 * the page cache (one PTE per hypercall in stock Linux, batched in ours).
 * Bugs caught:
 *
 *  - a page table freed while still pinned, or pinned twice: Xen refuses
 *    the pin/unpin and the exec fails or the domain crashes (exec_loop runs
 *    hundreds of short lives of a tiny static binary);
 *  - file pages mapped at the wrong frame: the helper exits with a value
 *    read from its own .data, and a wrong frame gives a wrong status or a
 *    crash (exec_loop, vfork_exec);
 *  - frames of a dead mm reused while a stale PTE or TLB entry still names
 *    them: a freshly exec'd image must have an all-zero .bss and an intact
 *    .data (exec_self), and the parent's own COW pages must be untouched by
 *    the children's exec teardown (exec_loop);
 *  - vfork+exec: the child borrows the parent's mm and then switches to a
 *    new one; the parent must resume with its mm intact (vfork_exec).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xt.h"

static void exec_n(long n, int use_vfork)
{
	char *const argv[] = { "xenpv-true", NULL };
	char *const envp[] = { NULL };
	const char *path = xt_true_path();
	uint64_t seed = xt_seed();
	uint8_t *buf = xt_map(256);
	long i;

	xt_stamp(buf, 256, seed, 0);
	for (i = 0; i < n; i++) {
		pid_t pid = use_vfork ? vfork() : fork();

		if (pid < 0)
			xt_fail("%s %ld: %s", use_vfork ? "vfork" : "fork", i,
				strerror(errno));
		if (pid == 0) {
			execve(path, argv, envp);
			_exit(127);
		}
		xt_wait_ok(pid, use_vfork ? "vfork+exec of xenpv-true" :
			   "fork+exec of xenpv-true");
	}
	xt_verify(buf, 256, seed, 0, "parent pages after exec loop");
}

void t_exec_loop(void)
{
	exec_n(xt_scaled(200), 0);
}

void t_vfork_exec(void)
{
	exec_n(xt_scaled(100), 1);
}

/* Loaded from the file: must arrive intact in every new image. */
static uint64_t probe_data[4] = {
	0x0123456789abcdefULL, 0xfedcba9876543210ULL,
	0x5555aaaa5555aaaaULL, 0x0f0f0f0ff0f0f0f0ULL,
};

/* 256 KiB of .bss: must be zero in every new image. */
static uint64_t probe_bss[64 * 512];

/**
 * xt_exec_probe_main() - body of "xenpv-tests __exec_probe".
 *
 * Checks the new image's .data and .bss, then exercises its fresh mm with
 * a private region and one fork.
 *
 * Return: 0 if everything matched, 1-5 for the first check that failed.
 */
int xt_exec_probe_main(void)
{
	uint64_t seed = xt_seed();
	uint8_t *buf;
	size_t i;
	pid_t pid;
	int st;

	if (XT_LOAD(&probe_data[0]) != 0x0123456789abcdefULL ||
	    XT_LOAD(&probe_data[3]) != 0x0f0f0f0ff0f0f0f0ULL)
		return 1;
	for (i = 0; i < ARRAY_SIZE(probe_bss); i += 64)
		if (XT_LOAD(&probe_bss[i]))
			return 2;
	buf = mmap(NULL, 64 * XT_PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return 3;
	xt_stamp(buf, 64, seed, 0);
	pid = fork();
	if (pid == 0)
		_exit(xt_check_stamp(buf, 64, seed, 0) == -1 ? 0 : 1);
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st))
		return 4;
	for (i = 0; i < ARRAY_SIZE(probe_bss); i += 64)
		XT_STORE(&probe_bss[i], seed);
	return xt_check_stamp(buf, 64, seed, 0) == -1 ? 0 : 5;
}

void t_exec_self(void)
{
	long n = xt_scaled(20), i;
	char path[4200];
	char *const argv[] = { "xenpv-tests", "__exec_probe", NULL };
	char *const envp[] = { NULL };
	int st;

	snprintf(path, sizeof(path), "%s/xenpv-tests", xt_bindir);
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			xt_fail("fork: %s", strerror(errno));
		if (pid == 0) {
			execve(path, argv, envp);
			_exit(127);
		}
		if (waitpid(pid, &st, 0) != pid)
			xt_fail("waitpid: %s", strerror(errno));
		if (WIFSIGNALED(st))
			xt_fail("exec'd image %ld killed by signal %d", i,
				WTERMSIG(st));
		if (WEXITSTATUS(st) == 127)
			xt_fail("cannot exec %s", path);
		if (WEXITSTATUS(st))
			xt_fail("exec'd image %ld failed check %d (1 .data, 2 .bss not zero, 3 mmap, 4 fork child, 5 region)",
				i, WEXITSTATUS(st));
	}
}
