// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv-perfwin.c - dom0 half of bench/: open and close one counting window
 * around a guest workload, without forking a single process in between.
 *
 * Why this file exists: Xen's performance counters are global, and dom0's
 * own page-table work (every fork and exec of a shell pipeline, xenperf
 * included) lands in them.  Resetting the counters with `xenperf -r` and
 * polling the guest's console log would charge hundreds of dom0 page updates
 * to every window.  This one process does the whole window instead:
 *
 *   xenpv-perfwin TTY ID TOKEN TIMEOUT_S COMMAND...
 *
 * writes "ID COMMAND" to the guest's console agent (see
 * tests/rig/domU-init), waits for the guest's "@@SYNC TOKEN" (its set-up is
 * done), resets the counters, answers "go", blocks until "@@FIN TOKEN",
 * reads the counters, answers "end", and prints them: one line
 * "perf NAME TOTAL" per counter (summed over CPUs or array elements) and one
 * "hcall NR NAME COUNT" per hypercall number that was called, then
 * "dom0_window_ns NS".  It then waits for the agent's "@@DONE ID RC" and
 * prints the command's output (the results) as "guest LINE" lines, so no
 * second console round trip is needed.  Reading the console is a blocking
 * read(); nothing in dom0 polls.
 *
 * Exit status: 0 success; 2 dom0-side error; 3 the command ended before its
 * window (its output says why); 4 timeout; 5 the command failed afterwards.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <xenctrl.h>

/* Names for the hypercall numbers we expect; others print as "nr_N". */
static const char *const hcall_names[] = {
	[__HYPERVISOR_set_trap_table] = "set_trap_table",
	[__HYPERVISOR_mmu_update] = "mmu_update",
	[__HYPERVISOR_set_gdt] = "set_gdt",
	[__HYPERVISOR_stack_switch] = "stack_switch",
	[__HYPERVISOR_set_callbacks] = "set_callbacks",
	[__HYPERVISOR_fpu_taskswitch] = "fpu_taskswitch",
	[__HYPERVISOR_platform_op] = "platform_op",
	[__HYPERVISOR_set_debugreg] = "set_debugreg",
	[__HYPERVISOR_get_debugreg] = "get_debugreg",
	[__HYPERVISOR_update_descriptor] = "update_descriptor",
	[__HYPERVISOR_memory_op] = "memory_op",
	[__HYPERVISOR_multicall] = "multicall",
	[__HYPERVISOR_update_va_mapping] = "update_va_mapping",
	[__HYPERVISOR_set_timer_op] = "set_timer_op",
	[__HYPERVISOR_event_channel_op_compat] = "event_channel_op_compat",
	[__HYPERVISOR_xen_version] = "xen_version",
	[__HYPERVISOR_console_io] = "console_io",
	[__HYPERVISOR_physdev_op_compat] = "physdev_op_compat",
	[__HYPERVISOR_grant_table_op] = "grant_table_op",
	[__HYPERVISOR_vm_assist] = "vm_assist",
	[__HYPERVISOR_update_va_mapping_otherdomain] = "update_va_mapping_otherdomain",
	[__HYPERVISOR_iret] = "iret",
	[__HYPERVISOR_vcpu_op] = "vcpu_op",
	[__HYPERVISOR_set_segment_base] = "set_segment_base",
	[__HYPERVISOR_mmuext_op] = "mmuext_op",
	[__HYPERVISOR_xsm_op] = "xsm_op",
	[__HYPERVISOR_nmi_op] = "nmi_op",
	[__HYPERVISOR_sched_op] = "sched_op",
	[__HYPERVISOR_callback_op] = "callback_op",
	[__HYPERVISOR_xenoprof_op] = "xenoprof_op",
	[__HYPERVISOR_event_channel_op] = "event_channel_op",
	[__HYPERVISOR_physdev_op] = "physdev_op",
	[__HYPERVISOR_hvm_op] = "hvm_op",
	[__HYPERVISOR_sysctl] = "sysctl",
	[__HYPERVISOR_domctl] = "domctl",
	[__HYPERVISOR_kexec_op] = "kexec_op",
	[__HYPERVISOR_argo_op] = "argo_op",
	[__HYPERVISOR_xenpmu_op] = "xenpmu_op",
	[__HYPERVISOR_dm_op] = "dm_op",
	[__HYPERVISOR_hypfs_op] = "hypfs_op",
};

static int tty = -1;
static long long deadline_ms;
static char pending[8192];
static size_t npending;
/* The command's own output lines, printed at exit as "guest LINE". */
static char *captured;
static size_t ncaptured, capcap;
static int capturing;
static const char *begin_marker;

static void capture(const char *line)
{
	size_t len = strlen(line) + 1;

	if (ncaptured + len + 1 > capcap) {
		capcap = (capcap + len + 1) * 2;
		captured = realloc(captured, capcap);
		if (!captured) {
			perror("xenpv-perfwin");
			exit(2);
		}
	}
	memcpy(captured + ncaptured, line, len);
	ncaptured += len;
	captured[ncaptured - 1] = '\n';
	captured[ncaptured] = 0;
}

static void print_captured(void)
{
	char *p = captured, *nl;

	while (p && (nl = strchr(p, '\n'))) {
		*nl = 0;
		printf("guest %s\n", p);
		p = nl + 1;
	}
	fflush(stdout);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void say(const char *s)
{
	size_t len = strlen(s), off = 0;

	while (off < len) {
		ssize_t w = write(tty, s + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			perror("xenpv-perfwin: writing to the console");
			exit(2);
		}
		off += w;
	}
}

/*
 * wait_for() - block until a console line contains @want (copied to
 * @out_line, 256 bytes, if given); a line containing @fail ends the program
 * with status 3.  Lines after the agent's "@@BEGIN ID" that are not markers
 * are kept as the command's output.
 */
static void wait_for(const char *want, const char *fail, char *out_line)
{
	for (;;) {
		char *nl;
		struct pollfd p = { .fd = tty, .events = POLLIN };
		long long left;
		ssize_t got;
		int pr;

		while ((nl = memchr(pending, '\n', npending))) {
			size_t len = nl - pending;
			int hit, bad;

			*nl = 0;
			if (len && pending[len - 1] == '\r')
				pending[len - 1] = 0;
			hit = strstr(pending, want) != NULL;
			bad = fail && strstr(pending, fail) != NULL;
			if (capturing && !hit && !bad && strncmp(pending, "@@", 2))
				capture(pending);
			if (!strcmp(pending, begin_marker))
				capturing = 1;
			if (hit && out_line)
				snprintf(out_line, 256, "%s", pending);
			memmove(pending, nl + 1, npending - len - 1);
			npending -= len + 1;
			if (hit)
				return;
			if (bad) {
				fprintf(stderr,
					"xenpv-perfwin: the guest command ended before '%s'\n",
					want);
				print_captured();
				exit(3);
			}
		}
		if (npending == sizeof(pending))	/* an endless line */
			npending = 0;
		left = deadline_ms - now_ms();
		if (left <= 0) {
			fprintf(stderr, "xenpv-perfwin: timed out waiting for '%s'\n",
				want);
			print_captured();
			exit(4);
		}
		pr = poll(&p, 1, left > 60000 ? 60000 : (int)left);
		if (pr < 0 && errno != EINTR) {
			perror("xenpv-perfwin: poll");
			exit(2);
		}
		if (pr <= 0)
			continue;
		got = read(tty, pending + npending, sizeof(pending) - npending);
		if (got < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (got <= 0) {
			fprintf(stderr, "xenpv-perfwin: console closed\n");
			exit(2);
		}
		npending += got;
	}
}

/* Print every counter: totals, and the hypercall array per number. */
static int dump(xc_interface *xch, unsigned long long window_ns)
{
	DECLARE_HYPERCALL_BUFFER(xc_perfc_desc_t, desc);
	DECLARE_HYPERCALL_BUFFER(xc_perfc_val_t, val);
	int ndesc, nval, i, v = 0;
	unsigned int j;

	if (xc_perfc_query_number(xch, &ndesc, &nval)) {
		perror("xenpv-perfwin: querying the number of counters");
		return 2;
	}
	desc = xc_hypercall_buffer_alloc(xch, desc, sizeof(*desc) * ndesc);
	val = xc_hypercall_buffer_alloc(xch, val, sizeof(*val) * nval);
	if (!desc || !val) {
		perror("xenpv-perfwin: allocating counter buffers");
		return 2;
	}
	if (xc_perfc_query(xch, HYPERCALL_BUFFER(desc), HYPERCALL_BUFFER(val))) {
		perror("xenpv-perfwin: reading the counters");
		return 2;
	}
	for (i = 0; i < ndesc; i++) {
		unsigned long long sum = 0;
		int is_hcall = !strcmp(desc[i].name, "hypercalls");

		for (j = 0; j < desc[i].nr_vals && v + (int)j < nval; j++) {
			sum += val[v + j];
			if (is_hcall && val[v + j]) {
				const char *n = j < sizeof(hcall_names) /
					sizeof(hcall_names[0]) ? hcall_names[j] : NULL;

				if (n)
					printf("hcall %u %s %u\n", j, n, val[v + j]);
				else
					printf("hcall %u nr_%u %u\n", j, j, val[v + j]);
			}
		}
		v += desc[i].nr_vals;
		printf("perf %s %llu\n", desc[i].name, sum);
	}
	printf("dom0_window_ns %llu\n", window_ns);
	xc_hypercall_buffer_free(xch, desc);
	xc_hypercall_buffer_free(xch, val);
	return 0;
}

int main(int argc, char **argv)
{
	char line[4096], sync[256], fin[256], done[256], begin[256];
	char last[256];
	unsigned long long t0, t1;
	struct termios tio;
	xc_interface *xch;
	size_t off;
	int i, rc;

	if (argc < 6) {
		fprintf(stderr,
			"usage: xenpv-perfwin TTY ID TOKEN TIMEOUT_S COMMAND...\n");
		return 2;
	}
	deadline_ms = now_ms() + atoll(argv[4]) * 1000;
	snprintf(sync, sizeof(sync), "@@SYNC %s", argv[3]);
	snprintf(fin, sizeof(fin), "@@FIN %s", argv[3]);
	snprintf(done, sizeof(done), "@@DONE %s ", argv[2]);
	snprintf(begin, sizeof(begin), "@@BEGIN %s", argv[2]);
	begin_marker = begin;
	off = snprintf(line, sizeof(line), "%s", argv[2]);
	for (i = 5; i < argc && off < sizeof(line); i++)
		off += snprintf(line + off, sizeof(line) - off, " %s", argv[i]);
	if (off >= sizeof(line) - 1) {
		fprintf(stderr, "xenpv-perfwin: command too long\n");
		return 2;
	}
	strcat(line, "\n");

	xch = xc_interface_open(NULL, NULL, 0);
	if (!xch) {
		perror("xenpv-perfwin: opening the xc interface");
		return 2;
	}
	tty = open(argv[1], O_RDWR | O_NOCTTY);
	if (tty < 0) {
		perror(argv[1]);
		return 2;
	}
	if (!tcgetattr(tty, &tio)) {
		cfmakeraw(&tio);
		tcsetattr(tty, TCSANOW, &tio);
	}

	say(line);
	wait_for(sync, done, NULL);
	if (xc_perfc_reset(xch)) {
		perror("xenpv-perfwin: resetting the counters");
		return 2;
	}
	t0 = now_ns();
	say("go\n");
	wait_for(fin, done, NULL);
	t1 = now_ns();
	rc = dump(xch, t1 - t0);
	say("end\n");
	xc_interface_close(xch);
	/* The results follow on the console; the agent's marker ends them. */
	wait_for(done, NULL, last);
	print_captured();
	if (!rc && atoi(last + strlen(done)) != 0) {
		fprintf(stderr, "xenpv-perfwin: the guest command failed: %s\n",
			last);
		rc = 5;
	}
	return rc;
}
