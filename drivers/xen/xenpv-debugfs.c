// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv debugfs: counters of the hypercall batch and the p2m list.
 *
 * Why this file exists: the benchmarks and the guest tests judge the
 * backend by how many hypercalls it issues and how it batches them, and a
 * failed hypercall must be visible after the fact, not only in the kernel
 * log.  /sys/kernel/debug/xenpv/ holds read-only text files of
 * "name value..." lines: a name made of words, then numbers; lines starting
 * with '#' are headers.  Tools diff the files before and after a workload.
 *
 *   batch      batch counters summed over all CPUs: flushes by reason,
 *              hypercalls, entries, records, merges, callbacks, failures
 *   batch_cpu  the same counters, one column per possible CPU
 *   ops        multicall entries and direct hypercalls by hypercall:
 *              "<op>_entries N" and "<op>_direct N"
 *   p2m        p2m phase, sizes, generation, leaf pages private/shared and
 *              the core's allocation counters
 *   direct     hypercalls the backend issued outside a batch, by the code
 *              that asked for them: "<op> <function+offset> N", most first
 */

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/xen/page.h>
#include <asm/xen/hypervisor.h>
#include <xen/xen.h>

#include <xen/xenpv/batch.h>
#include <xen/xenpv/p2m.h>
#include <xen/xenpv/kglue.h>

static const char * const flush_names[XENPV_FLUSH_NR] = {
	[XENPV_FLUSH_EXPLICIT] = "flush_explicit",
	[XENPV_FLUSH_ISSUE] = "flush_issue",
	[XENPV_FLUSH_LAZY] = "flush_lazy",
	[XENPV_FLUSH_FULL_ENTRIES] = "flush_full_entries",
	[XENPV_FLUSH_FULL_ARGS] = "flush_full_args",
	[XENPV_FLUSH_FULL_RECORDS] = "flush_full_records",
	[XENPV_FLUSH_FULL_CALLBACKS] = "flush_full_callbacks",
};

static const char * const report_names[XENPV_MC_NR_ERR_KINDS] = {
	[XENPV_ERR_FAILED] = "report_failed",
	[XENPV_ERR_SKIPPED] = "report_skipped",
	[XENPV_ERR_NOT_RUN] = "report_not_run",
	[XENPV_ERR_MULTICALL] = "report_multicall",
};

struct batch_totals {
	struct xenpv_batch_stats st;
	struct xenpv_mc_counts c;
};

static void add_counters(struct batch_totals *sum, unsigned int cpu)
{
	struct xenpv_batch_stats st;
	struct xenpv_mc_counts c;
	unsigned int i;

	xenpv_mc_read_counters(cpu, &st, &c);
	for (i = 0; i < XENPV_FLUSH_NR; i++)
		sum->st.flushes[i] += st.flushes[i];
	sum->st.empty_flushes += st.empty_flushes;
	sum->st.multicalls += st.multicalls;
	sum->st.direct_calls += st.direct_calls;
	sum->st.entries += st.entries;
	sum->st.mmu_records += st.mmu_records;
	sum->st.ext_records += st.ext_records;
	sum->st.merged += st.merged;
	sum->st.callbacks += st.callbacks;
	sum->st.failed += st.failed;
	sum->st.skipped += st.skipped;
	sum->st.not_run += st.not_run;
	sum->st.reissued += st.reissued;
	for (i = 0; i < XENPV_MC_NR_OPS; i++) {
		sum->c.entries[i] += c.entries[i];
		sum->c.direct[i] += c.direct[i];
	}
	for (i = 0; i < XENPV_MC_NR_ERR_KINDS; i++)
		sum->c.reports[i] += c.reports[i];
}

#define NR_COUNTERS	(XENPV_FLUSH_NR + 12 + XENPV_MC_NR_ERR_KINDS)

struct counter {
	const char *name;
	u64 val;
};

/* Flatten the totals into named counters; returns how many. */
static unsigned int collect(const struct batch_totals *t, struct counter *out)
{
	const struct xenpv_batch_stats *s = &t->st;
	unsigned int n = 0, i;

#define ADD(nm, v) do { out[n].name = (nm); out[n].val = (v); n++; } while (0)
	for (i = 0; i < XENPV_FLUSH_NR; i++)
		ADD(flush_names[i], s->flushes[i]);
	ADD("empty_flushes", s->empty_flushes);
	ADD("hypercalls_multicall", s->multicalls);
	ADD("hypercalls_direct", s->direct_calls);
	ADD("entries", s->entries);
	ADD("mmu_update_records", s->mmu_records);
	ADD("mmuext_op_records", s->ext_records);
	ADD("records_merged", s->merged);
	ADD("callbacks", s->callbacks);
	ADD("failed", s->failed);
	ADD("skipped", s->skipped);
	ADD("not_run", s->not_run);
	ADD("reissued", s->reissued);
	for (i = 0; i < XENPV_MC_NR_ERR_KINDS; i++)
		ADD(report_names[i], t->c.reports[i]);
#undef ADD
	return n;
}

static int batch_show(struct seq_file *m, void *v)
{
	struct counter ctr[NR_COUNTERS];
	struct batch_totals sum;
	unsigned int cpu, n, i;

	memset(&sum, 0, sizeof(sum));
	for_each_possible_cpu(cpu)
		add_counters(&sum, cpu);
	n = collect(&sum, ctr);
	for (i = 0; i < n; i++)
		seq_printf(m, "%s %llu\n", ctr[i].name,
			   (unsigned long long)ctr[i].val);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(batch);

/* One row per counter, one column per possible CPU. */
static int batch_cpu_show(struct seq_file *m, void *v)
{
	unsigned int nr = num_possible_cpus(), cpu, col, n = 0, i;
	struct counter (*ctr)[NR_COUNTERS];
	struct batch_totals *one;

	ctr = kcalloc(nr, sizeof(*ctr), GFP_KERNEL);
	one = kzalloc(sizeof(*one), GFP_KERNEL);
	if (!ctr || !one) {
		kfree(ctr);
		kfree(one);
		return -ENOMEM;
	}
	seq_puts(m, "# counter");
	col = 0;
	for_each_possible_cpu(cpu) {
		if (col == nr)
			break;
		memset(one, 0, sizeof(*one));
		add_counters(one, cpu);
		n = collect(one, ctr[col++]);
		seq_printf(m, " cpu%u", cpu);
	}
	seq_putc(m, '\n');
	for (i = 0; i < n; i++) {
		seq_puts(m, ctr[0][i].name);
		for (cpu = 0; cpu < col; cpu++)
			seq_printf(m, " %llu", (unsigned long long)ctr[cpu][i].val);
		seq_putc(m, '\n');
	}
	kfree(ctr);
	kfree(one);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(batch_cpu);

/*
 * Every hypercall the backend queues has a line even when zero, so that a
 * before/after diff always finds both; other numbers only once seen.
 */
static int ops_show(struct seq_file *m, void *v)
{
	struct batch_totals sum;
	unsigned int cpu, op;

	memset(&sum, 0, sizeof(sum));
	for_each_possible_cpu(cpu)
		add_counters(&sum, cpu);
	for (op = 0; op < XENPV_MC_NR_OPS; op++) {
		const char *name = xenpv_mc_op_name(op);
		bool named = strcmp(name, "other");

		if (!named && !sum.c.entries[op] && !sum.c.direct[op])
			continue;
		if (named)
			seq_printf(m, "%s_entries %llu\n%s_direct %llu\n", name,
				   (unsigned long long)sum.c.entries[op], name,
				   (unsigned long long)sum.c.direct[op]);
		else
			seq_printf(m, "op%u_entries %llu\nop%u_direct %llu\n", op,
				   (unsigned long long)sum.c.entries[op], op,
				   (unsigned long long)sum.c.direct[op]);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ops);

static const char * const phase_names[] = {
	[XENPV_P2M_NONE] = "none",
	[XENPV_P2M_FLAT] = "flat",
	[XENPV_P2M_FINAL] = "final",
};

static int p2m_show(struct seq_file *m, void *v)
{
	unsigned long size = READ_ONCE(xen_p2m_size), pfn;
	unsigned long priv = 0, missing = 0, identity = 0;
	enum xenpv_p2m_phase phase = xenpv_p2m_phase();
	struct xenpv_p2m_stats st;

	for (pfn = 0; pfn < size; pfn += XENPV_P2M_PER_LEAF) {
		if (xenpv_p2m_leaf_is_private(pfn))
			priv++;
		else if (get_phys_to_machine(pfn) & IDENTITY_FRAME_BIT)
			identity++;
		else
			missing++;
		if (!(pfn % (1024 * XENPV_P2M_PER_LEAF)))
			cond_resched();
	}
	xenpv_p2m_get_stats(&st);

	seq_printf(m, "phase %s\n", phase < ARRAY_SIZE(phase_names) ?
		   phase_names[phase] : "unknown");
	seq_printf(m, "p2m_size %lu\n", size);
	seq_printf(m, "max_p2m_pfn %lu\n", READ_ONCE(xen_max_p2m_pfn));
	seq_printf(m, "max_pfn %lu\n", xenpv_p2m_max_pfn());
	seq_printf(m, "generation %lu\n", xenpv_p2m_generation());
	seq_printf(m, "leaves %lu\n", DIV_ROUND_UP(size, XENPV_P2M_PER_LEAF));
	seq_printf(m, "leaves_private %lu\n", priv);
	seq_printf(m, "leaves_shared_missing %lu\n", missing);
	seq_printf(m, "leaves_shared_identity %lu\n", identity);
	seq_printf(m, "private_leaves_allocated %lu\n", st.private_leaves);
	seq_printf(m, "split_mids %lu\n", st.split_mids);
	seq_printf(m, "alloc_failures %lu\n", st.alloc_failures);
	seq_printf(m, "map_failures %lu\n", st.map_failures);
	seq_printf(m, "lost_races %lu\n", st.lost_races);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(p2m);

static int direct_show(struct seq_file *m, void *v)
{
	struct xenpv_direct_callers *sum, *one;
	unsigned int cpu, i, j, nr = 0;
	u64 other = 0;

	/* every CPU's slots merged into sum; too big for the stack */
	sum = kcalloc(2, sizeof(*sum), GFP_KERNEL);
	if (!sum)
		return -ENOMEM;
	one = sum + 1;
	for_each_possible_cpu(cpu) {
		xenpv_mc_read_callers(cpu, one);
		other += one->other;
		for (i = 0; i < XENPV_DIRECT_CALLERS && one->ip[i]; i++) {
			for (j = 0; j < nr; j++)
				if (sum->ip[j] == one->ip[i] &&
				    sum->op[j] == one->op[i])
					break;
			if (j == nr) {
				if (nr == XENPV_DIRECT_CALLERS) {
					other += one->n[i];
					continue;
				}
				sum->ip[nr] = one->ip[i];
				sum->op[nr++] = one->op[i];
			}
			sum->n[j] += one->n[i];
		}
	}
	seq_puts(m, "# op caller count\n");
	while (nr) {
		for (i = 0, j = 1; j < nr; j++)
			if (sum->n[j] > sum->n[i])
				i = j;
		seq_printf(m, "%s %pS %llu\n", xenpv_mc_op_name(sum->op[i]),
			   (void *)sum->ip[i], (unsigned long long)sum->n[i]);
		nr--;
		sum->ip[i] = sum->ip[nr];
		sum->op[i] = sum->op[nr];
		sum->n[i] = sum->n[nr];
	}
	seq_printf(m, "other_callers %llu\n", (unsigned long long)other);
	kfree(sum);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(direct);

static int __init xenpv_debugfs_init(void)
{
	struct dentry *dir;

	if (!xen_pv_domain())
		return 0;
	dir = debugfs_create_dir("xenpv", NULL);
	debugfs_create_file("batch", 0400, dir, NULL, &batch_fops);
	debugfs_create_file("batch_cpu", 0400, dir, NULL, &batch_cpu_fops);
	debugfs_create_file("ops", 0400, dir, NULL, &ops_fops);
	debugfs_create_file("p2m", 0400, dir, NULL, &p2m_fops);
	debugfs_create_file("direct", 0400, dir, NULL, &direct_fops);
	return 0;
}
late_initcall(xenpv_debugfs_init);
