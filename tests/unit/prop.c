// SPDX-License-Identifier: GPL-2.0
/*
 * Property drivers shared by the randomized tests and the libFuzzer target.
 *
 * prop_p2m(): a byte stream drives set/__set/allocate/get/refresh on the p2m
 * (flat then final phase) with injected allocation and mapping failures;
 * every answer is checked against a plain reference array.
 *
 * prop_batch(): a byte stream becomes a sequence of MMU operations that is
 * run twice against the Xen model - once through the batch queue with the
 * typed functions the kernel's hooks call (merged, lazily flushed, some
 * multicalls failing or cut short), once as individual direct hypercalls,
 * skipping exactly the records the batch reported as skipped or not run.
 * Final machine state, flush log and the set of failed operations must be
 * identical.  Each failed record must have exactly one report, naming its
 * caller and contents; a SKIPPED report must cover the rest of its entry
 * and no record twice; the counters must agree with the reports and the
 * operations.
 */
#include <stdlib.h>
#include <string.h>
#include <asm/xen/page.h>
#include "harness.h"
#include "model.h"
#include "prop.h"

struct src {
	const u8 *d;
	size_t n, i;
};

static unsigned long take(struct src *s, unsigned long mod)
{
	unsigned long v = 0;
	unsigned int k;

	for (k = 0; k < 3; k++)
		v = (v << 8) | (s->i < s->n ? s->d[s->i++] : 0);
	return mod ? v % mod : v;
}

static bool more(struct src *s)
{
	return s->i < s->n;
}

/* ---- p2m ---- */

#define PFLAT		4096
#define AREA_MIDS	2
#define AREA		(AREA_MIDS * XENPV_P2M_PER_MID)
#define LEAF		XENPV_P2M_PER_LEAF

static unsigned long flat[PFLAT];
static unsigned long ref[AREA];
static bool priv[AREA / LEAF];

static unsigned long pick_pfn(struct src *s)
{
	/* Concentrate on a few leaves so leaves fill up and get shared. */
	static const unsigned long leaves[] = {
		0, 1, 3, 7, 8, 600, 511, 512, 513, 1000, 1023
	};
	unsigned long l = leaves[take(s, ARRAY_SIZE(leaves))];

	return l * LEAF + take(s, LEAF);
}

static unsigned long pick_val(struct src *s, unsigned long pfn)
{
	switch (take(s, 5)) {
	case 0:
		return INVALID_P2M_ENTRY;
	case 1:
		return IDENTITY_FRAME(pfn);
	case 2:
		return FOREIGN_FRAME(take(s, 1 << 20));
	default:
		return take(s, 1 << 24);
	}
}

#define FAIL(msg) do { return msg; } while (0)

static const char *check_all(void)
{
	unsigned long pfn;

	for (pfn = 0; pfn < AREA; pfn++)
		if (__pfn_to_mfn(pfn) != ref[pfn])
			FAIL("p2m differs from the reference");
	return NULL;
}

static const char *check_frame_list(void)
{
	unsigned long m, s, missing;
	const unsigned long *top;

	if (xenpv_p2m_frame_list_refresh() == INVALID_P2M_ENTRY)
		FAIL("no frame list in the final phase");
	top = xenpv_p2m_frame_list_top();
	/* Unsplit mids share a mid page naming the missing leaf page. */
	missing = xenpv_p2m_frame_list_mid(XENPV_P2M_TOP_MIDS - 1)[0];
	for (m = 0; m < AREA_MIDS; m++) {
		const unsigned long *mid = xenpv_p2m_frame_list_mid(m);

		if (top[m] != plat_page_mfn(mid))
			FAIL("frame list top entry wrong");
		for (s = 0; s < XENPV_P2M_LEAVES_PER_MID; s++) {
			unsigned long leaf = m * XENPV_P2M_LEAVES_PER_MID + s;

			if (mid[s] == plat_page_mfn(plat_slot_page(leaf)))
				continue;
			if (priv[leaf] || mid[s] != missing)
				FAIL("frame list mid entry wrong");
		}
	}
	return NULL;
}

const char *prop_p2m(const u8 *data, size_t len)
{
	struct src s = { data, len, 0 };
	unsigned long nr = 1 + take(&s, PFLAT - 1), pfn, val, steps;
	unsigned long last_max = 0;
	const char *err = NULL;
	int rc;
	bool ok;

	xenpv_p2m_teardown();
	plat_reset();
	for (pfn = 0; pfn < PFLAT; pfn++)
		flat[pfn] = take(&s, 4) ? pfn + 0x1000 : INVALID_P2M_ENTRY;
	xenpv_p2m_init_flat(flat, nr);
	if (take(&s, 2))
		set_phys_range_identity(take(&s, nr), take(&s, PFLAT));
	for (pfn = 0; pfn < PFLAT; pfn++)
		ref[pfn] = get_phys_to_machine(pfn);
	for (; pfn < AREA; pfn++)
		ref[pfn] = IDENTITY_FRAME(pfn);

	/* Flat phase: everything below the list is writable. */
	for (steps = take(&s, 8); steps; steps--) {
		pfn = take(&s, PFLAT + 100);
		val = pick_val(&s, pfn);
		ok = __set_phys_to_machine(pfn, val);
		if (ok != (pfn < xen_p2m_size || val == ref[pfn]))
			FAIL("flat __set result");
		if (ok)
			ref[pfn] = val;
	}

	plat_fail_alloc_permille = take(&s, 2) ? 30 : 0;
	rc = xenpv_p2m_build(AREA);
	plat_fail_alloc_permille = 0;
	if (rc) {
		if (rc != -ENOMEM || xenpv_p2m_phase() != XENPV_P2M_FLAT)
			FAIL("bad build failure");
		if (plat_pages_in_use())
			FAIL("build failure leaked");
		err = check_all();
		if (err)
			return err;
		if (xenpv_p2m_build(AREA))
			FAIL("build failed without injection");
	}
	for (pfn = 0; pfn < AREA / LEAF; pfn++)
		priv[pfn] = xenpv_p2m_leaf_is_private(pfn * LEAF);

	while (more(&s)) {
		unsigned int op = take(&s, 7);
		unsigned long leaf;

		pfn = pick_pfn(&s);
		leaf = pfn / LEAF;
		val = pick_val(&s, pfn);
		plat_fail_alloc_permille = take(&s, 4) ? 0 : 300;
		switch (op) {
		case 0:
			ok = __set_phys_to_machine(pfn, val);
			if (ok != (priv[leaf] || val == ref[pfn]))
				FAIL("__set result");
			if (ok)
				ref[pfn] = val;
			break;
		case 1:
		case 2:
			ok = op == 1 ? set_phys_to_machine(pfn, val) :
				       xenpv_p2m_test_set(pfn, val, GFP_ATOMIC);
			if (!ok && !plat_fail_alloc_permille)
				FAIL("set failed without injection");
			if (ok) {
				if (val != ref[pfn])
					priv[leaf] = true;
				ref[pfn] = val;
			}
			break;
		case 3:
			rc = xenpv_p2m_test_alloc_entry(pfn, GFP_ATOMIC);
			if (rc && (rc != -ENOMEM || !plat_fail_alloc_permille))
				FAIL("alloc_entry error");
			if (!rc)
				priv[leaf] = true;
			break;
		case 4:
			plat_fail_map_nth = 1 + take(&s, 2);
			ok = set_phys_to_machine(pfn, val);
			plat_fail_map_nth = 0;
			if (ok) {
				if (val != ref[pfn])
					priv[leaf] = true;
				ref[pfn] = val;
			}
			break;
		case 5:
			err = check_frame_list();
			if (err)
				return err;
			break;
		default:
			break;
		}
		plat_fail_alloc_permille = 0;
		if (__pfn_to_mfn(pfn) != ref[pfn])
			FAIL("entry differs after op");
		if (xenpv_p2m_leaf_is_private(pfn) != priv[leaf])
			FAIL("leaf sharing differs");
		if (xenpv_p2m_generation() & 1)
			FAIL("odd generation at rest");
		if (xenpv_p2m_max_pfn() < last_max)
			FAIL("max_pfn went down");
		last_max = xenpv_p2m_max_pfn();
		if (priv[leaf] && pfn >= 2048 && last_max <= pfn &&
		    pfn >= nr)
			FAIL("max_pfn below an allocated leaf");
	}
	err = check_all();
	if (!err)
		err = check_frame_list();
	if (!err && plat_violations)
		err = "platform contract violated";
	xenpv_p2m_teardown();
	if (!err && plat_pages_in_use())
		err = "pages leaked";
	return err;
}

/* ---- batch ---- */

#define B_L4	10
#define B_L3	11
#define B_L2	12
#define B_L1	13
#define B_L1B	14
#define PT	(M_P | M_RW | M_A | M_D)
#define MAX_OPS	400

/*
 * The operations the kernel's page-table hooks and Linux's multicall users
 * perform, each through the typed function the kernel calls.
 */
enum {
	OP_MMU,		/* xenpv_batch_mmu_update(), DOMID_SELF */
	OP_MMU_AD,	/* the same with MMU_PT_UPDATE_PRESERVE_AD */
	OP_MMU_FOREIGN,	/* xenpv_batch_mmu_update() for another domain */
	OP_EXT,		/* xenpv_batch_mmuext() */
	OP_CPUS,	/* xenpv_batch_mmuext_cpus() */
	OP_UVA,		/* xenpv_batch_update_va() */
	OP_CB,		/* xenpv_batch_callback() */
	OP_FLUSH,	/* xenpv_batch_flush(XENPV_FLUSH_EXPLICIT) */
	OP_LAZY,	/* enter/leave lazy mode; leaving flushes (LAZY) */
	OP_NR
};

struct op {
	unsigned int type;
	u64 a, b;
	unsigned int cmd;
	unsigned int nbits;
	unsigned long mask[2];
};

static struct op ops[MAX_OPS];
static unsigned int nops;
static bool privileged;
static long batched_rc[MAX_OPS], direct_rc[MAX_OPS];
static bool skipped[MAX_OPS], reported[MAX_OPS];
static unsigned int cb_seen[MAX_OPS], ncb;
static u64 expect_flushes[XENPV_FLUSH_NR];
static struct model_frame snap[420];
static struct model_flush snap_log[MODEL_LOG];
static unsigned int snap_nlog;

static void setup(void)
{
	struct mmuext_op op = { .cmd = MMUEXT_NEW_BASEPTR };
	unsigned long i;

	model_reset_frames(512);
	M.privileged = privileged;
	for (i = 0; i < 400; i++)
		model_own(i, MODEL_DOM_SELF);
	for (i = 400; i < 410; i++)
		model_own(i, MODEL_DOM_OTHER);
	M.f[B_L4].e[0] = ((uint64_t)B_L3 << 12) | PT;
	M.f[B_L3].e[0] = ((uint64_t)B_L2 << 12) | PT;
	M.f[B_L2].e[0] = ((uint64_t)B_L1 << 12) | PT;
	M.f[B_L2].e[1] = ((uint64_t)B_L1B << 12) | PT;
	model_pin(4, B_L4);
	op.arg1.mfn = B_L4;
	model_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static u64 gen_pte(struct src *s)
{
	switch (take(s, 8)) {
	case 0:
		return 0;
	case 1:
		return (400ULL + take(s, 10)) << 12 | M_P;	/* not ours */
	case 2:
		return (100ULL + take(s, 50)) << 12 | M_P | M_PCD; /* flags */
	case 3:
		return (300ULL + take(s, 4)) << 12 | M_P | M_RW; /* spare */
	case 4:
		return (100ULL + take(s, 50)) << 12 | M_P;
	default:
		return (100ULL + take(s, 50)) << 12 | M_P | M_RW;
	}
}

static void gen_ext(struct src *s, struct op *o)
{
	switch (take(s, 5)) {
	case 0:
		o->cmd = MMUEXT_PIN_L1_TABLE;
		break;
	case 1:
		o->cmd = MMUEXT_UNPIN_TABLE;
		break;
	case 2:
		o->cmd = MMUEXT_TLB_FLUSH_LOCAL;
		break;
	default:
		o->cmd = MMUEXT_INVLPG_LOCAL;
		break;
	}
	o->a = o->cmd == MMUEXT_INVLPG_LOCAL ?
	       take(s, 1024) << 12 : 300 + take(s, 4);
}

static void gen_ops(struct src *s)
{
	nops = 0;
	while (more(s) && nops < MAX_OPS) {
		struct op *o = &ops[nops++];

		memset(o, 0, sizeof(*o));
		o->type = take(s, OP_NR + 4);
		if (o->type >= OP_NR)
			o->type = OP_MMU;
		switch (o->type) {
		case OP_MMU:
		case OP_MMU_AD:
		case OP_MMU_FOREIGN:
			o->a = ((uint64_t)(take(s, 2) ? B_L1 : B_L1B) << 12) +
			       take(s, 64) * 8;
			if (o->type == OP_MMU_AD)
				o->a |= MMU_PT_UPDATE_PRESERVE_AD;
			o->b = gen_pte(s);
			break;
		case OP_EXT:
			gen_ext(s, o);
			break;
		case OP_CPUS:
			o->cmd = take(s, 2) ? MMUEXT_INVLPG_MULTI :
					      MMUEXT_TLB_FLUSH_MULTI;
			o->a = take(s, 1024) << 12;
			o->nbits = 1 + take(s, 2 * BITS_PER_LONG);
			o->mask[0] = take(s, 0);
			if (o->nbits > BITS_PER_LONG)
				o->mask[1] = take(s, 0);
			break;
		case OP_UVA:
			o->a = take(s, 1100) << 12;	/* some beyond 4 MiB */
			o->b = gen_pte(s);
			o->cmd = take(s, 3) ? UVMF_INVLPG : UVMF_NONE;
			break;
		case OP_LAZY:
			/* Mostly lazy MMU mode, so batches grow large. */
			o->a = take(s, 5);
			o->a = o->a == 4 ? 2 : !!o->a;
			break;
		}
	}
}

/* Entries that may share a multicall entry have the same merge key. */
static unsigned int merge_key(const struct op *o)
{
	switch (o->type) {
	case OP_MMU:
	case OP_MMU_AD:
		return 1;
	case OP_MMU_FOREIGN:
		return 2;
	case OP_EXT:
	case OP_CPUS:
		return 3;
	case OP_UVA:
		return 4;
	default:
		return 0;	/* queues no hypercall */
	}
}

static unsigned long hypercall_of(const struct op *o)
{
	static const unsigned long hc[] = {
		[1] = __HYPERVISOR_mmu_update,
		[2] = __HYPERVISOR_mmu_update,
		[3] = __HYPERVISOR_mmuext_op,
		[4] = __HYPERVISOR_update_va_mapping,
	};

	return merge_key(o) ? hc[merge_key(o)] : ~0UL;
}

static void cb_record(void *data)
{
	cb_seen[ncb++] = (unsigned int)(unsigned long)data;
}

static void run_batched(void)
{
	unsigned long mask[2];
	unsigned int i;

	memset(expect_flushes, 0, sizeof(expect_flushes));
	for (i = 0; i < nops; i++) {
		struct op *o = &ops[i];

		switch (o->type) {
		case OP_MMU:
		case OP_MMU_AD:
			xenpv_batch_mmu_update(o->a, o->b, DOMID_SELF, i);
			break;
		case OP_MMU_FOREIGN:
			xenpv_batch_mmu_update(o->a, o->b, MODEL_DOM_OTHER, i);
			break;
		case OP_EXT:
			xenpv_batch_mmuext(o->cmd, o->a, i);
			break;
		case OP_CPUS:
			/* The batch must copy the mask: scribble over ours. */
			memcpy(mask, o->mask, sizeof(mask));
			xenpv_batch_mmuext_cpus(o->cmd, o->a, mask, o->nbits, i);
			memset(mask, 0x5a, sizeof(mask));
			break;
		case OP_UVA:
			xenpv_batch_update_va(o->a, o->b, o->cmd, i);
			break;
		case OP_CB:
			xenpv_batch_callback(cb_record, (void *)(unsigned long)i);
			break;
		case OP_FLUSH:
			xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
			expect_flushes[XENPV_FLUSH_EXPLICIT]++;
			break;
		case OP_LAZY:
			if (plat_lazy[0] && !o->a) {
				xenpv_batch_flush(XENPV_FLUSH_LAZY);
				expect_flushes[XENPV_FLUSH_LAZY]++;
			}
			plat_lazy[0] = o->a;
			break;
		}
		/* What a page-table hook does after queueing. */
		xenpv_batch_issue(1);
		if (!(plat_lazy[0] & 1))
			expect_flushes[XENPV_FLUSH_ISSUE]++;
	}
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	expect_flushes[XENPV_FLUSH_EXPLICIT]++;
	plat_lazy[0] = 0;
}

static void run_direct(void)
{
	unsigned int i;
	struct mmu_update u;
	struct mmuext_op x;

	for (i = 0; i < nops; i++) {
		struct op *o = &ops[i];

		direct_rc[i] = 0;
		if (skipped[i])
			continue;
		memset(&x, 0, sizeof(x));
		x.cmd = o->cmd;
		x.arg1.linear_addr = o->a;
		u.ptr = o->a;
		u.val = o->b;
		switch (o->type) {
		case OP_MMU:
		case OP_MMU_AD:
			direct_rc[i] = model_mmu_update(&u, 1, NULL, DOMID_SELF);
			break;
		case OP_MMU_FOREIGN:
			direct_rc[i] = model_mmu_update(&u, 1, NULL,
							MODEL_DOM_OTHER);
			break;
		case OP_EXT:
		case OP_CPUS:
			if (o->type == OP_CPUS)
				x.arg2.vcpumask.p = o->mask;
			direct_rc[i] = model_mmuext_op(&x, 1, NULL, DOMID_SELF);
			break;
		case OP_UVA:
			direct_rc[i] = model_update_va_mapping(o->a, o->b,
							       o->cmd);
			break;
		}
	}
}

/* Does report @r describe operation @o (its first record for NOT_RUN)? */
static bool names_op(const struct plat_report *r, const struct op *o)
{
	const struct xenpv_batch_error *e = &r->err;

	if (e->op != hypercall_of(o))
		return false;
	switch (o->type) {
	case OP_MMU:
	case OP_MMU_AD:
	case OP_MMU_FOREIGN:
		return e->record && r->rec.u.ptr == o->a && r->rec.u.val == o->b;
	case OP_EXT:
	case OP_CPUS:
		return e->record && r->rec.x.cmd == o->cmd &&
		       r->rec.x.arg1.linear_addr == o->a;
	default:
		return !e->record && e->args[0] == o->a && e->args[1] == o->b;
	}
}

/*
 * Mark the @n records from operation @first on as not applied: the records
 * of one multicall entry are consecutive hypercall-queueing operations with
 * one merge key.
 */
static const char *mark_unapplied(unsigned int first, unsigned int n)
{
	unsigned int key = merge_key(&ops[first]), i;

	for (i = first; n && i < nops; i++) {
		if (!merge_key(&ops[i]))
			continue;
		if (merge_key(&ops[i]) != key)
			FAIL("a report spans records of another entry");
		if (reported[i])
			FAIL("a record was reported twice");
		reported[i] = true;
		skipped[i] = true;
		n--;
	}
	if (n)
		FAIL("a report spans more records than were queued");
	return NULL;
}

/*
 * Every report names the operation that queued the record (by caller and
 * contents); a failed record has exactly one FAILED report; a SKIPPED report
 * covers every record from its index to the end of its entry; the counters
 * agree with the reports.
 */
static const char *check_reports(const struct xenpv_batch_stats *st)
{
	u64 failed = 0, skip = 0, not_run = 0, mc_failed = 0;
	const char *err;
	unsigned int r;

	if (plat_nr_reports == PLAT_REPORTS)
		FAIL("report buffer overflow");
	for (r = 0; r < plat_nr_reports; r++) {
		const struct plat_report *p = &plat_reports[r];
		const struct xenpv_batch_error *e = &p->err;

		if (e->kind == XENPV_ERR_MULTICALL) {
			if (!M.multicall_fault || e->result != M.multicall_fault)
				FAIL("unexpected multicall failure");
			mc_failed++;
			continue;
		}
		if (e->caller >= nops || !merge_key(&ops[e->caller]))
			FAIL("report with an unknown caller");
		if (!names_op(p, &ops[e->caller]))
			FAIL("report names another record than its caller's");
		if (e->index >= e->count)
			FAIL("report index beyond its entry");
		if (e->kind == XENPV_ERR_FAILED && e->span != 1)
			FAIL("report spans more than one record");
		switch (e->kind) {
		case XENPV_ERR_FAILED:
			if (reported[e->caller])
				FAIL("a record was reported twice");
			if (!e->result)
				FAIL("FAILED report without an error");
			reported[e->caller] = true;
			batched_rc[e->caller] = e->result;
			failed++;
			break;
		case XENPV_ERR_SKIPPED:
			if (!e->span || e->index + e->span != e->count)
				FAIL("SKIPPED span does not end with the entry");
			if (!e->index || e->result)
				FAIL("SKIPPED report without a failure before");
			err = mark_unapplied(e->caller, e->span);
			if (err)
				return err;
			skip += e->span;
			break;
		case XENPV_ERR_NOT_RUN:
			if (e->index || e->span != e->count)
				FAIL("NOT_RUN report does not cover its entry");
			err = mark_unapplied(e->caller, e->span);
			if (err)
				return err;
			not_run++;
			break;
		default:
			FAIL("unexpected report kind");
		}
	}
	if (st->n[XENPV_STAT_FAILED] != failed)
		FAIL("failed counter differs from the FAILED reports");
	if (st->n[XENPV_STAT_SKIPPED] != skip)
		FAIL("skipped counter differs from the SKIPPED spans");
	if (st->n[XENPV_STAT_NOT_RUN] != not_run)
		FAIL("not_run counter differs from the NOT_RUN reports");
	if (st->n[XENPV_STAT_MULTICALL_FAILED] != mc_failed)
		FAIL("multicall_failed counter differs from the reports");
	if (st->n[XENPV_STAT_REISSUED] > failed)
		FAIL("more tails re-issued than records failed");
	return NULL;
}

/* Counters that follow from the operations alone. */
static const char *check_counters(const struct xenpv_batch_stats *st)
{
	u64 mmu = 0, ext = 0, cbs = 0, ops_sum = 0, flushes = 0, entries;
	unsigned int i;

	for (i = 0; i < nops; i++) {
		if (hypercall_of(&ops[i]) == __HYPERVISOR_mmu_update)
			mmu++;
		else if (hypercall_of(&ops[i]) == __HYPERVISOR_mmuext_op)
			ext++;
		else if (ops[i].type == OP_CB)
			cbs++;
	}
	for (i = 0; i < XENPV_FLUSH_NR; i++) {
		flushes += st->n[i];
		if (i <= XENPV_FLUSH_LAZY && st->n[i] != expect_flushes[i])
			FAIL("flush counter differs from the flushes asked");
	}
	for (i = 0; i < XENPV_NR_OPS; i++)
		ops_sum += st->op[i];
	if (st->n[XENPV_STAT_MMU_RECORDS] != mmu ||
	    st->n[XENPV_STAT_EXT_RECORDS] != ext)
		FAIL("record counters differ from the records queued");
	if (st->n[XENPV_STAT_CALLBACKS] != cbs)
		FAIL("callback counter differs");
	if (ops_sum != st->n[XENPV_STAT_ENTRIES] + st->n[XENPV_STAT_REISSUED])
		FAIL("op counters differ from entries plus re-issued tails");
	/* Entries of mmu_update/mmuext_op, without the re-issued tails. */
	entries = st->op[__HYPERVISOR_mmu_update] +
		  st->op[__HYPERVISOR_mmuext_op] - st->n[XENPV_STAT_REISSUED];
	if (st->n[XENPV_STAT_MERGED] != mmu + ext - entries)
		FAIL("merged counter differs from records minus entries");
	if (flushes != st->n[XENPV_STAT_EMPTY_FLUSHES] +
		       st->n[XENPV_STAT_MULTICALLS] +
		       st->n[XENPV_STAT_SINGLES] - st->n[XENPV_STAT_REISSUED])
		FAIL("flushes differ from the hypercalls they issued");
	if (M.multicall_fault &&
	    st->n[XENPV_STAT_MULTICALL_FAILED] != st->n[XENPV_STAT_MULTICALLS])
		FAIL("a failed multicall was not counted");
	return NULL;
}

const char *prop_batch(const u8 *data, size_t len)
{
	struct src s = { data, len, 0 };
	unsigned int i, expect_cb = 0, fault;
	struct xenpv_batch_stats st;
	const char *err;

	plat_reset();
	privileged = take(&s, 2);
	fault = take(&s, 16);
	setup();
	/* Multicalls that fail outright or stop early (entries not run). */
	if (fault == 0)
		M.multicall_fault = -XEN_EFAULT;
	else if (fault <= 2)
		M.abort_after = 1 + take(&s, 4);
	gen_ops(&s);
	memset(batched_rc, 0, sizeof(batched_rc));
	memset(skipped, 0, sizeof(skipped));
	memset(reported, 0, sizeof(reported));
	ncb = 0;
	run_batched();

	st = plat_batches[0].stats;
	err = check_reports(&st);
	if (!err)
		err = check_counters(&st);
	if (err)
		return err;
	for (i = 0; i < nops; i++)
		if (ops[i].type == OP_CB) {
			if (expect_cb >= ncb || cb_seen[expect_cb] != i)
				FAIL("callbacks out of order or missing");
			expect_cb++;
		}
	if (expect_cb != ncb)
		FAIL("extra callbacks ran");
	if (plat_batches[0].nr_mc)
		FAIL("entries left after the final flush");

	memcpy(snap, M.f, sizeof(snap));
	memcpy(snap_log, M.log, sizeof(snap_log));
	snap_nlog = M.nlog;

	/* Direct execution, one hypercall per operation, minus the unapplied. */
	setup();
	run_direct();
	for (i = 0; i < nops; i++)
		if (batched_rc[i] != direct_rc[i])
			FAIL("batched and direct results differ");
	if (memcmp(snap, M.f, sizeof(snap)))
		FAIL("batched and direct machine state differ");
	if (snap_nlog != M.nlog ||
	    memcmp(snap_log, M.log, snap_nlog * sizeof(*M.log)))
		FAIL("batched and direct flush logs differ");
	if (plat_violations)
		FAIL("platform contract violated");
	return NULL;
}
