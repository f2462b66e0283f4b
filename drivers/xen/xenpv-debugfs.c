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
 *   ops        hypercalls by number: "<op>_batched N" (entries the batch
 *              issued) and "<op>_direct N" (issued outside the batch)
 *   p2m        p2m phase, sizes, generation, leaf pages private/shared,
 *              the core's allocation counters, then the pfn ranges by
 *              kind (pfn, missing, identity, foreign) as '#' lines
 *   direct     hypercalls the backend issued outside a batch, by the code
 *              that asked for them: "<op> <function+offset> N", most first
 *   fail_record  (write-only) writing N in 1..512 queues N mmu_update
 *              records, of which record N / 2 names a frame this domain
 *              does not own: Xen must refuse that one alone, the batch
 *              must report it once (naming it and fail_record_write) and
 *              apply the others, which rewrite one M2P entry with the value
 *              it already has
 *   fail_p2m_alloc  writing N makes the p2m's next N page allocations
 *              fail, to test their callers' error paths (the balloon
 *              must refuse a hot-add cleanly); reading gives how many
 *              are left
 */

#include <linux/init.h>
#include <linux/fs.h>
#include <linux/kstrtox.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/kernel.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/seq_buf.h>
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

static void sum_stats(struct xenpv_batch_stats *sum)
{
	struct xenpv_batch_stats one;
	unsigned int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		xenpv_mc_read_stats(cpu, &one);
		xenpv_batch_add_stats(sum, &one);
	}
}

static int batch_show(struct seq_file *m, void *v)
{
	struct xenpv_batch_stats sum;
	unsigned int i;

	sum_stats(&sum);
	for (i = 0; i < XENPV_STAT_NR; i++)
		seq_printf(m, "%s %llu\n", xenpv_batch_stat_names[i],
			   (unsigned long long)sum.n[i]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(batch);

/* One row per counter, one column per possible CPU. */
static int batch_cpu_show(struct seq_file *m, void *v)
{
	struct xenpv_batch_stats *st;
	unsigned int nr = 0, cpu, i, c;

	st = kcalloc(num_possible_cpus(), sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	seq_puts(m, "# counter");
	for_each_possible_cpu(cpu) {
		xenpv_mc_read_stats(cpu, &st[nr++]);
		seq_printf(m, " cpu%u", cpu);
	}
	seq_putc(m, '\n');
	for (i = 0; i < XENPV_STAT_NR; i++) {
		seq_puts(m, xenpv_batch_stat_names[i]);
		for (c = 0; c < nr; c++)
			seq_printf(m, " %llu", (unsigned long long)st[c].n[i]);
		seq_putc(m, '\n');
	}
	kfree(st);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(batch_cpu);

/*
 * "<op>_batched": entries the batch issued (in a multicall or alone);
 * "<op>_direct": hypercalls issued outside the batch.  Every hypercall a
 * PV guest batches has both lines even when zero, so that a before/after
 * diff always finds them; other numbers only once seen.
 */
static int ops_show(struct seq_file *m, void *v)
{
	struct xenpv_direct_stats *ds, *one;
	struct xenpv_batch_stats sum;
	unsigned int cpu, op;

	ds = kcalloc(2, sizeof(*ds), GFP_KERNEL);
	if (!ds)
		return -ENOMEM;
	one = ds + 1;
	for_each_possible_cpu(cpu) {
		xenpv_direct_read_stats(cpu, one);
		for (op = 0; op < XENPV_NR_OPS; op++)
			ds->op[op] += one->op[op];
	}
	sum_stats(&sum);
	for (op = 0; op < XENPV_NR_OPS; op++) {
		const char *name = xenpv_op_name(op);

		if (strcmp(name, "other"))
			seq_printf(m, "%s_batched %llu\n%s_direct %llu\n", name,
				   (unsigned long long)sum.op[op], name,
				   (unsigned long long)ds->op[op]);
		else if (sum.op[op] || ds->op[op])
			seq_printf(m, "op%u_batched %llu\nop%u_direct %llu\n",
				   op, (unsigned long long)sum.op[op], op,
				   (unsigned long long)ds->op[op]);
	}
	kfree(ds);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ops);

static const char * const phase_names[] = {
	[XENPV_P2M_NONE] = "none",
	[XENPV_P2M_FLAT] = "flat",
	[XENPV_P2M_FINAL] = "final",
};

enum p2m_kind { P2M_PFN, P2M_MISSING, P2M_IDENTITY, P2M_FOREIGN, P2M_NR };

static const char * const p2m_kind_names[P2M_NR] = {
	[P2M_PFN] = "pfn",
	[P2M_MISSING] = "missing",
	[P2M_IDENTITY] = "identity",
	[P2M_FOREIGN] = "foreign",
};

static enum p2m_kind p2m_kind_of(unsigned long entry)
{
	if (entry == INVALID_P2M_ENTRY)
		return P2M_MISSING;
	if (entry & IDENTITY_FRAME_BIT)
		return P2M_IDENTITY;
	if (entry & FOREIGN_FRAME_BIT)
		return P2M_FOREIGN;
	return P2M_PFN;
}

/*
 * Counters first, then the ranges of equal kind as '#' lines (a shared
 * leaf is one kind as a whole), from one walk of the list.
 */
static int p2m_show(struct seq_file *m, void *v)
{
	unsigned long size = READ_ONCE(xen_p2m_size), pfn = 0, first = 0;
	unsigned long leaves[P2M_NR] = { }, priv = 0;
	enum xenpv_p2m_phase phase = xenpv_p2m_phase();
	enum p2m_kind prev = P2M_MISSING, kind;
	struct xenpv_p2m_stats st;
	struct seq_buf ranges;
	char *buf;

	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	seq_buf_init(&ranges, buf, PAGE_SIZE);
	while (pfn < size) {
		unsigned long span = 1;

		kind = p2m_kind_of(get_phys_to_machine(pfn));
		if (!(pfn % XENPV_P2M_PER_LEAF)) {
			if (xenpv_p2m_leaf_is_private(pfn)) {
				priv++;
			} else {
				span = XENPV_P2M_PER_LEAF;
				leaves[kind]++;
			}
		}
		if (pfn && kind != prev) {
			seq_buf_printf(&ranges, "# [%#lx->%#lx] %s\n", first, pfn,
				       p2m_kind_names[prev]);
			first = pfn;
		}
		prev = kind;
		pfn += span;
		if (!(pfn % (64 * XENPV_P2M_PER_LEAF)))
			cond_resched();
	}
	seq_buf_printf(&ranges, "# [%#lx->%#lx] %s\n", first, pfn,
		       p2m_kind_names[prev]);
	xenpv_p2m_get_stats(&st);

	seq_printf(m, "phase %s\n", phase < ARRAY_SIZE(phase_names) ?
		   phase_names[phase] : "unknown");
	seq_printf(m, "p2m_size %lu\n", size);
	seq_printf(m, "max_p2m_pfn %lu\n", READ_ONCE(xen_max_p2m_pfn));
	seq_printf(m, "max_pfn %lu\n", xenpv_p2m_max_pfn());
	seq_printf(m, "generation %lu\n", xenpv_p2m_generation());
	seq_printf(m, "leaves %lu\n", DIV_ROUND_UP(size, XENPV_P2M_PER_LEAF));
	seq_printf(m, "leaves_private %lu\n", priv);
	seq_printf(m, "leaves_shared_missing %lu\n", leaves[P2M_MISSING]);
	seq_printf(m, "leaves_shared_identity %lu\n", leaves[P2M_IDENTITY]);
	seq_printf(m, "private_leaves_allocated %lu\n", st.private_leaves);
	seq_printf(m, "split_mids %lu\n", st.split_mids);
	seq_printf(m, "alloc_failures %lu\n", st.alloc_failures);
	seq_printf(m, "map_failures %lu\n", st.map_failures);
	seq_printf(m, "lost_races %lu\n", st.lost_races);
	seq_write(m, buf, seq_buf_used(&ranges));
	if (seq_buf_has_overflowed(&ranges))
		seq_puts(m, "# (more ranges)\n");
	kfree(buf);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(p2m);

static int direct_show(struct seq_file *m, void *v)
{
	struct xenpv_direct_stats *sum, *one;
	unsigned int cpu, i, j, nr = 0;
	u64 other = 0;

	/* every CPU's slots merged into sum; too big for the stack */
	sum = kcalloc(2, sizeof(*sum), GFP_KERNEL);
	if (!sum)
		return -ENOMEM;
	one = sum + 1;
	for_each_possible_cpu(cpu) {
		xenpv_direct_read_stats(cpu, one);
		other += one->other;
		for (i = 0; i < XENPV_DIRECT_CALLERS; i++) {
			if (!one->ip[i])
				continue;
			for (j = 0; j < nr; j++)
				if (sum->ip[j] == one->ip[i] &&
				    sum->ip_op[j] == one->ip_op[i])
					break;
			if (j == nr) {
				if (nr == XENPV_DIRECT_CALLERS) {
					other += one->n[i];
					continue;
				}
				sum->ip[nr] = one->ip[i];
				sum->ip_op[nr++] = one->ip_op[i];
			}
			sum->n[j] += one->n[i];
		}
	}
	seq_puts(m, "# op caller count\n");
	while (nr) {
		for (i = 0, j = 1; j < nr; j++)
			if (sum->n[j] > sum->n[i])
				i = j;
		seq_printf(m, "%s %pS %llu\n", xenpv_op_name(sum->ip_op[i]),
			   (void *)sum->ip[i], (unsigned long long)sum->n[i]);
		nr--;
		sum->ip[i] = sum->ip[nr];
		sum->ip_op[i] = sum->ip_op[nr];
		sum->n[i] = sum->n[nr];
	}
	seq_printf(m, "other_callers %llu\n", (unsigned long long)other);
	kfree(sum);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(direct);

static ssize_t fail_record_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	unsigned long flags, frame, pfn;
	unsigned int n, i;
	struct page *page;
	int rc;

	rc = kstrtouint_from_user(ubuf, len, 0, &n);
	if (rc)
		return rc;
	if (!n || n > XENPV_BATCH_MMU_RECORDS)
		return -EINVAL;
	page = alloc_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	pfn = page_to_pfn(page);
	frame = pfn_to_mfn(pfn);

	preempt_disable();
	arch_enter_lazy_mmu_mode();
	local_irq_save(flags);
	for (i = 0; i < n; i++)
		xenpv_batch_mmu_update(PFN_PHYS(i == n / 2 ? 0 : frame) |
				       MMU_MACHPHYS_UPDATE, pfn, DOMID_SELF,
				       _THIS_IP_);
	local_irq_restore(flags);
	arch_leave_lazy_mmu_mode();
	preempt_enable();

	__free_page(page);
	return len;
}

static const struct file_operations fail_record_fops = {
	.owner = THIS_MODULE,
	.write = fail_record_write,
	.llseek = noop_llseek,
};

static int fail_p2m_alloc_get(void *data, u64 *val)
{
	*val = xenpv_p2m_fail_allocs_left();
	return 0;
}

static int fail_p2m_alloc_set(void *data, u64 val)
{
	if (val > INT_MAX)
		return -EINVAL;
	xenpv_p2m_fail_allocs_set(val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(fail_p2m_alloc_fops, fail_p2m_alloc_get,
			 fail_p2m_alloc_set, "%llu\n");

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
	debugfs_create_file("fail_record", 0200, dir, NULL, &fail_record_fops);
	debugfs_create_file_unsafe("fail_p2m_alloc", 0600, dir, NULL,
				   &fail_p2m_alloc_fops);
	return 0;
}
late_initcall(xenpv_debugfs_init);
