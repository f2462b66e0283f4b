// SPDX-License-Identifier: GPL-2.0
/*
 * Model of Xen's PV MMU hypercalls (see model.h for why).
 *
 * Written from Xen's public interface (xen.h) and the documented behaviour
 * of Xen 4.17's arch/x86/mm.c; the error codes are Xen's (XEN_E* from
 * <xen/errno.h>):
 *   - a present L1 entry naming a frame the page owner does not own, or a
 *     writable mapping of a frame that is typed as a page table: -EBUSY
 *     ("Error getting mfn ... from L1 entry");
 *   - a present entry with a disallowed flag (PSE in L2, cache attributes
 *     in L1 of a domain without I/O capabilities, global in L2+): -EINVAL;
 *   - MMIO (frame beyond RAM) mapped by a domain without I/O caps: -EPERM;
 *   - pinning/typing a frame whose type conflicts (e.g. still mapped
 *     writable somewhere), pinning twice, unpinning an unpinned frame, or
 *     naming a frame the domain does not own: -EINVAL;
 *   - an unknown mmu_update command or mmuext_op: -ENOSYS;
 *   - an L1TF-unsafe non-present entry: the domain is crashed (M.crashed);
 *   - update_va_mapping for an address without an L1 in the current page
 *     tables: -EINVAL.
 */
#include <stdlib.h>
#include <string.h>
#include "model.h"

struct model M;

#define FLAG_BITS	(0xfffULL | (0xfffULL << 52))
#define BASE_OK		(M_P | M_RW | M_US | M_A | M_D | M_AVAIL | \
			 M_AVAIL_HIGH | M_NX)
#define BASE_DISALLOW	(FLAG_BITS & ~BASE_OK)
#define L1_DISALLOW	(BASE_DISALLOW & ~M_G)
#define CACHE_ATTRS	(M_PWT | M_PCD | M_PAT)
/* Flags that may change without re-validating the entry. */
#define FASTPATH_OK	(M_NX | M_AVAIL_HIGH | M_AVAIL | M_G | M_D | M_A | M_US)

static int put_type(unsigned long mfn);
static int get_type(unsigned long mfn, unsigned int type);

void model_reset_frames(unsigned int nframes)
{
	struct model_frame *f;

	if (!M.f)
		M.f = calloc(MODEL_FRAMES, sizeof(*M.f));
	else
		memset(M.f, 0, nframes * sizeof(*M.f));
	f = M.f;
	memset(&M, 0, sizeof(M));
	M.f = f;
	M.nframes = nframes;
	for (unsigned int i = 0; i < nframes; i++)
		M.f[i].owner = MODEL_DOM_NONE;
}

void model_reset(void)
{
	model_reset_frames(MODEL_FRAMES);
}

void model_own(unsigned long mfn, uint16_t dom)
{
	M.f[mfn].owner = dom;
}

uint64_t model_pte(unsigned long mfn, unsigned long target, uint64_t flags)
{
	(void)mfn;
	return ((uint64_t)target << 12) | flags;
}

void model_hw_set_ad(unsigned long mfn, unsigned int idx, uint64_t bits)
{
	M.f[mfn].e[idx] |= bits & (M_A | M_D);
}

static void log_flush(unsigned int cmd, unsigned long addr, unsigned long mask)
{
	if (M.nlog < MODEL_LOG) {
		M.log[M.nlog].cmd = cmd;
		M.log[M.nlog].addr = addr;
		M.log[M.nlog].mask = mask;
		M.nlog++;
	}
}

static bool valid_mfn(unsigned long mfn)
{
	return mfn < M.nframes;
}

static bool l1tf_unsafe(uint64_t e)
{
	uint64_t a = e & M_ADDR;

	return a != 0 && a < M_L1TF_SAFE;
}

/*
 * Xen crashes the domain (or switches it to shadow paging); the guest never
 * sees a return value.  The model marks the domain crashed and fails the
 * operation.
 */
static long crash(void)
{
	M.crashed = true;
	return -XEN_EINVAL;
}

/* Take the references a present L1 entry holds (get_page_from_l1e). */
static int get_l1e(uint64_t e, uint16_t pg_owner)
{
	unsigned long mfn = (e & M_ADDR) >> 12;
	uint64_t disallow = L1_DISALLOW;

	if (!M.io_caps)
		disallow |= CACHE_ATTRS;
	else
		disallow &= ~CACHE_ATTRS;
	if (e & disallow)
		return -XEN_EINVAL;
	if (!valid_mfn(mfn))
		return M.io_caps ? 0 : -XEN_EPERM;
	if (M.f[mfn].owner != pg_owner)
		return -XEN_EBUSY;
	if ((e & M_RW) && get_type(mfn, MT_WRITABLE))
		return -XEN_EBUSY;
	return 0;
}

static void put_l1e(uint64_t e)
{
	unsigned long mfn = (e & M_ADDR) >> 12;

	if (!(e & M_P) || !valid_mfn(mfn))
		return;
	if (e & M_RW)
		put_type(mfn);
}

static bool guest_slot(unsigned int level, unsigned int idx)
{
	/* Xen owns L4 slots 256..271 of a 64-bit PV guest. */
	return level != 4 || idx < 256 || idx > 271;
}

/* References of a present entry of an L2..L4 table (get_page_from_lNe). */
static int get_lne(unsigned int level, uint64_t e)
{
	unsigned long mfn = (e & M_ADDR) >> 12;

	if (e & BASE_DISALLOW)
		return -XEN_EINVAL;
	if (!valid_mfn(mfn) || M.f[mfn].owner != MODEL_DOM_SELF)
		return -XEN_EINVAL;
	return get_type(mfn, MT_L1 + level - 2);
}

static void put_entry(unsigned int level, uint64_t e)
{
	if (!(e & M_P))
		return;
	if (level == 1)
		put_l1e(e);
	else
		put_type((e & M_ADDR) >> 12);
}

static int get_entry(unsigned int level, uint64_t e)
{
	if (!(e & M_P))
		return l1tf_unsafe(e) ? (int)crash() : 0;
	if (level == 1)
		return get_l1e(e, MODEL_DOM_SELF);
	return get_lne(level, e);
}

/* Validate a table that just got its first type reference. */
static int validate(unsigned long mfn, unsigned int level)
{
	struct model_frame *f = &M.f[mfn];
	unsigned int i;
	int rc = 0;

	for (i = 0; i < 512; i++) {
		if (!guest_slot(level, i))
			continue;
		rc = get_entry(level, f->e[i]);
		if (rc)
			break;
	}
	if (!rc)
		return 0;
	while (i-- > 0)
		if (guest_slot(level, i))
			put_entry(level, f->e[i]);
	return rc;
}

static int get_type(unsigned long mfn, unsigned int type)
{
	struct model_frame *f = &M.f[mfn];
	int rc;

	if (f->tcount) {
		if (f->type != type)
			return -XEN_EINVAL;
		f->tcount++;
		return 0;
	}
	f->type = type;
	f->tcount = 1;
	if (type >= MT_L1) {
		rc = validate(mfn, type - MT_L1 + 1);
		if (rc) {
			f->tcount = 0;
			f->type = MT_NONE;
			return rc;
		}
	}
	return 0;
}

static int put_type(unsigned long mfn)
{
	struct model_frame *f = &M.f[mfn];
	unsigned int i, level;

	if (!f->tcount)
		abort();	/* model bug */
	if (--f->tcount)
		return 0;
	if (f->type >= MT_L1) {
		level = f->type - MT_L1 + 1;
		for (i = 0; i < 512; i++)
			if (guest_slot(level, i))
				put_entry(level, f->e[i]);
	}
	f->type = MT_NONE;
	return 0;
}

static uint64_t update(uint64_t *p, uint64_t val, bool preserve_ad)
{
	if (preserve_ad)
		val |= *p & (M_A | M_D);
	*p = val;
	return val;
}

/* mod_l1_entry / mod_l2..4_entry on a validated table. */
static long mod_entry(unsigned long mfn, unsigned int idx, uint64_t val,
		      bool preserve_ad, uint16_t pg_owner)
{
	struct model_frame *f = &M.f[mfn];
	unsigned int level = f->type - MT_L1 + 1;
	uint64_t old = f->e[idx];
	int rc;

	if (!guest_slot(level, idx))
		return -XEN_EINVAL;
	if (!(val & M_P)) {
		if (l1tf_unsafe(val))
			return crash();
		update(&f->e[idx], val, preserve_ad);
		put_entry(level, old);
		return 0;
	}
	if (level == 1) {
		uint64_t disallow = L1_DISALLOW;

		if (!M.io_caps)
			disallow |= CACHE_ATTRS;
		else
			disallow &= ~CACHE_ATTRS;
		if (val & disallow)
			return -XEN_EINVAL;
	} else if (val & BASE_DISALLOW) {
		return -XEN_EINVAL;
	}
	if ((old & M_P) && !((old ^ val) & ~FASTPATH_OK)) {
		update(&f->e[idx], val, preserve_ad);
		return 0;
	}
	rc = level == 1 ? get_l1e(val, pg_owner) : get_lne(level, val);
	if (rc)
		return rc;
	update(&f->e[idx], val, preserve_ad);
	put_entry(level, old);
	return 0;
}

static long one_mmu_update(const struct mmu_update *u, uint16_t pg_owner)
{
	unsigned int cmd = u->ptr & 7;
	uint64_t ptr = u->ptr - cmd;
	unsigned long mfn = ptr >> 12;
	unsigned int idx = (ptr & 0xfff) / 8;
	struct model_frame *f;

	switch (cmd) {
	case MMU_NORMAL_PT_UPDATE:
	case MMU_PT_UPDATE_PRESERVE_AD:
		if (!valid_mfn(mfn) || M.f[mfn].owner != MODEL_DOM_SELF)
			return -XEN_EINVAL;
		f = &M.f[mfn];
		if (f->tcount && f->type >= MT_L1)
			return mod_entry(mfn, idx, u->val,
					 cmd == MMU_PT_UPDATE_PRESERVE_AD,
					 pg_owner);
		/* An untyped or writable page: plain memory. */
		f->e[idx] = u->val;
		return 0;
	case MMU_MACHPHYS_UPDATE:
		if (!valid_mfn(mfn) || M.f[mfn].owner != pg_owner)
			return -XEN_EINVAL;
		M.m2p[mfn] = u->val;
		return 0;
	default:
		return -XEN_ENOSYS;
	}
}

static long pg_owner_of(domid_t dom, uint16_t *owner)
{
	if (dom == DOMID_SELF || dom == MODEL_DOM_SELF) {
		*owner = MODEL_DOM_SELF;
		return 0;
	}
	if (dom != MODEL_DOM_OTHER)
		return -XEN_ESRCH;
	if (!M.privileged)
		return -XEN_EPERM;
	*owner = dom;
	return 0;
}

long model_mmu_update(const struct mmu_update *req, unsigned int count,
		      unsigned int *done, domid_t dom)
{
	uint16_t owner;
	unsigned int i;
	long rc = pg_owner_of(dom, &owner);

	for (i = 0; !rc && i < count; i++) {
		rc = one_mmu_update(&req[i], owner);
		if (rc)
			break;
	}
	if (done)
		*done = i;
	return rc;
}

static long one_mmuext(const struct mmuext_op *op)
{
	unsigned long mfn = op->arg1.mfn;
	const unsigned long *mask = op->arg2.vcpumask.p;
	struct model_frame *f;
	unsigned long *base;
	int rc;

	switch (op->cmd) {
	case MMUEXT_PIN_L1_TABLE:
	case MMUEXT_PIN_L2_TABLE:
	case MMUEXT_PIN_L3_TABLE:
	case MMUEXT_PIN_L4_TABLE:
		if (!valid_mfn(mfn) || M.f[mfn].owner != MODEL_DOM_SELF)
			return -XEN_EINVAL;
		rc = get_type(mfn, MT_L1 + op->cmd - MMUEXT_PIN_L1_TABLE);
		if (rc)
			return rc;
		f = &M.f[mfn];
		if (f->pinned) {
			put_type(mfn);
			return -XEN_EINVAL;
		}
		f->pinned = true;
		return 0;
	case MMUEXT_UNPIN_TABLE:
		if (!valid_mfn(mfn) || M.f[mfn].owner != MODEL_DOM_SELF)
			return -XEN_EINVAL;
		f = &M.f[mfn];
		if (!f->pinned)
			return -XEN_EINVAL;
		f->pinned = false;
		return put_type(mfn);
	case MMUEXT_NEW_BASEPTR:
	case MMUEXT_NEW_USER_BASEPTR:
		base = op->cmd == MMUEXT_NEW_BASEPTR ? &M.cr3[M.vcpu] :
						       &M.ucr3[M.vcpu];
		if (op->cmd == MMUEXT_NEW_USER_BASEPTR && mfn == 0) {
			if (*base)
				put_type(*base);
			*base = 0;
			return 0;
		}
		if (!valid_mfn(mfn) || M.f[mfn].owner != MODEL_DOM_SELF)
			return -XEN_EINVAL;
		rc = get_type(mfn, MT_L4);
		if (rc)
			return -XEN_EINVAL;
		if (*base)
			put_type(*base);
		*base = mfn;
		return 0;
	case MMUEXT_TLB_FLUSH_LOCAL:
	case MMUEXT_TLB_FLUSH_ALL:
	case MMUEXT_FLUSH_CACHE:
		log_flush(op->cmd, 0, ~0UL);
		return 0;
	case MMUEXT_INVLPG_LOCAL:
	case MMUEXT_INVLPG_ALL:
		log_flush(op->cmd, op->arg1.linear_addr, ~0UL);
		return 0;
	case MMUEXT_TLB_FLUSH_MULTI:
	case MMUEXT_INVLPG_MULTI:
		if (!mask)
			return -XEN_EFAULT;
		log_flush(op->cmd, op->cmd == MMUEXT_INVLPG_MULTI ?
			  op->arg1.linear_addr : 0, *mask);
		return 0;
	case MMUEXT_SET_LDT:
		return 0;
	default:
		return -XEN_ENOSYS;
	}
}

long model_mmuext_op(const struct mmuext_op *op, unsigned int count,
		     unsigned int *done, domid_t dom)
{
	unsigned int i;
	long rc = 0;

	if (dom != DOMID_SELF && dom != MODEL_DOM_SELF)
		rc = M.privileged ? -XEN_EINVAL : -XEN_EPERM;
	for (i = 0; !rc && i < count; i++) {
		rc = one_mmuext(&op[i]);
		if (rc)
			break;
	}
	if (done)
		*done = i;
	return rc;
}

/* Walk the current page tables to the L1 that maps @va. */
static long find_l1(unsigned long va, unsigned long *l1)
{
	unsigned long t = M.cr3[M.vcpu];
	int level;

	if (!t)
		return -XEN_EINVAL;
	for (level = 4; level > 1; level--) {
		uint64_t e = M.f[t].e[(va >> (12 + 9 * (level - 1))) & 511];

		if (!(e & M_P) || (e & M_PSE))
			return -XEN_EINVAL;
		t = (e & M_ADDR) >> 12;
		if (!valid_mfn(t))
			return -XEN_EINVAL;
	}
	if (M.f[t].type != MT_L1 || !M.f[t].tcount)
		return -XEN_EINVAL;
	*l1 = t;
	return 0;
}

long model_update_va_mapping(unsigned long va, uint64_t val,
			     unsigned long flags)
{
	unsigned long l1, target = flags & ~UVMF_FLUSHTYPE_MASK;
	unsigned long mask = ~0UL;
	long rc = find_l1(va, &l1);

	if (rc)
		return rc;
	rc = mod_entry(l1, (va >> 12) & 511, val, false, MODEL_DOM_SELF);
	if (rc)
		return rc;
	if (target != UVMF_LOCAL && target != UVMF_ALL)
		mask = *(const unsigned long *)target;
	else if (target == UVMF_LOCAL)
		mask = 1UL << M.vcpu;
	switch (flags & UVMF_FLUSHTYPE_MASK) {
	case UVMF_TLB_FLUSH:
		log_flush(1000 + UVMF_TLB_FLUSH, 0, mask);
		break;
	case UVMF_INVLPG:
		log_flush(1000 + UVMF_INVLPG, va, mask);
		break;
	}
	return 0;
}

static void run_entry(struct multicall_entry *mc)
{
	long r;

	switch (mc->op) {
	case __HYPERVISOR_mmu_update:
		r = model_mmu_update((const struct mmu_update *)mc->args[0],
				     mc->args[1], (unsigned int *)mc->args[2],
				     mc->args[3]);
		break;
	case __HYPERVISOR_mmuext_op:
		r = model_mmuext_op((const struct mmuext_op *)mc->args[0],
				    mc->args[1], (unsigned int *)mc->args[2],
				    mc->args[3]);
		break;
	case __HYPERVISOR_update_va_mapping:
		r = model_update_va_mapping(mc->args[0], mc->args[1],
					    mc->args[2]);
		break;
	case __HYPERVISOR_update_descriptor:
	case __HYPERVISOR_stack_switch:
	case __HYPERVISOR_fpu_taskswitch:
		r = 0;
		break;
	default:
		r = -XEN_ENOSYS;
		break;
	}
	mc->result = r;
}

long model_multicall(struct multicall_entry *mc, unsigned int nr)
{
	unsigned int i;

	M.multicalls++;
	if (M.multicall_fault)
		return M.multicall_fault;
	for (i = 0; i < nr; i++) {
		if (M.abort_after && (int)i == M.abort_after)
			break;
		M.mc_entries++;
		/* An iret ends the multicall (XSA-213); the rest never runs. */
		if (mc[i].op == __HYPERVISOR_iret) {
			mc[i].result = 0;
			break;
		}
		run_entry(&mc[i]);
	}
	return 0;
}

void model_single(struct multicall_entry *mc)
{
	if (mc->op < 64)
		M.direct[mc->op]++;
	run_entry(mc);
}

long model_pin(unsigned int level, unsigned long mfn)
{
	struct mmuext_op op = { .cmd = MMUEXT_PIN_L1_TABLE + level - 1 };

	op.arg1.mfn = mfn;
	return model_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

long model_unpin(unsigned long mfn)
{
	struct mmuext_op op = { .cmd = MMUEXT_UNPIN_TABLE };

	op.arg1.mfn = mfn;
	return model_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

long model_set_entry(unsigned long table, unsigned int idx, uint64_t val)
{
	struct mmu_update u = {
		.ptr = ((uint64_t)table << 12) + idx * 8,
		.val = val,
	};

	return model_mmu_update(&u, 1, NULL, DOMID_SELF);
}
