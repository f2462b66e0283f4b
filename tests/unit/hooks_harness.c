// SPDX-License-Identifier: GPL-2.0
/*
 * arch/x86/xenpv's hook layer as the unit tests see it: direct.c, pte.c and
 * pin.c themselves, unchanged, compiled against the shim headers (shim/),
 * as tools/testing/vma compiles mm/vma.c.  This file adds the machine they
 * run on:
 *
 *  - "physical" memory is HOOKS_PAGES page-aligned pages, 2 MiB aligned,
 *    with struct pages; pfn p is machine frame HOOKS_MFN(p) (in reverse
 *    order, so that a pfn used as an mfn is caught) through the real p2m
 *    core (a flat list) and the model's m2p;
 *  - the model of Xen (model.c) holds the frames and a pinned direct map
 *    (HOOKS_DM_L4..L1, loaded as cr3) mapping every page writable, so
 *    that Xen's typing rules apply: a page cannot be validated as a table
 *    while a writable mapping of it exists;
 *  - the guest reads and writes its page tables with plain loads and
 *    stores in the host copy of the memory.  At every hypercall (direct
 *    ones here, batched ones through plat_model_hook) the guest's stores
 *    are handed to the model first, as the hardware would have seen them:
 *    into a page mapped writable they are plain memory; into a validated
 *    L1 mapped read-only Xen emulates them (each entry validated, counted
 *    in hooks_emulated); anything else would have faulted and is a
 *    platform violation (the store is undone).  Afterwards the model's
 *    frames are copied back, so the guest reads what Xen wrote.
 *
 * One CPU: plat_cpu stays 0 and per-CPU variables are plain globals.
 */
#define CONFIG_PGTABLE_LEVELS		5
#define CONFIG_SPLIT_PTE_PTLOCKS	1

#include <linux/kconfig.h>

#include "../../arch/x86/xenpv/direct.c"
#include "../../arch/x86/xenpv/pte.c"
#include "../../arch/x86/xenpv/pin.c"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "harness.h"
#include "model.h"
#include "hooks_harness.h"

#define MEM_BYTES	(HOOKS_PAGES * PAGE_SIZE)
#define DM_SPAN		(512 * PAGE_SIZE)

/* ---- what the shims declare ---- */
unsigned char *shim_phys_base;
unsigned long *machine_to_phys_mapping;
unsigned long machine_to_phys_nr;
struct start_info *xen_start_info;
struct mm_struct init_mm;
DEFINE_SPINLOCK(pgd_lock);
struct list_head pgd_list = { &pgd_list, &pgd_list };
const struct cpumask shim_cpu_masks[SHIM_NR_CPUS] = { { { 1UL } } };
struct shim_pv_mmu shim_pv_mmu;
unsigned long shim_irqs_off;
int shim_preempt_count;
unsigned long shim_pr_errs;
DEFINE_PER_CPU(struct tlb_state, cpu_tlbstate);
DEFINE_PER_CPU(unsigned long, xen_current_cr3);
DEFINE_PER_CPU(unsigned long, xenpv_fused_invlpg);

unsigned long hooks_emulated, hooks_parked, hooks_leave_mm;

static struct page pages[HOOKS_PAGES];
static bool used[HOOKS_PAGES];
static unsigned long p2m_list[512];
static struct start_info start_info;

static void violation(const char *what, unsigned long pfn)
{
	plat_violations++;
	fprintf(stderr, "hooks: %s (pfn %lu)\n", what, pfn);
}

unsigned long shim_pa(const void *v)
{
	const unsigned char *p = (const unsigned char *)v;

	BUG_ON(p < shim_phys_base || p >= shim_phys_base + MEM_BYTES);
	return p - shim_phys_base;
}

struct page *pfn_to_page(unsigned long pfn)
{
	BUG_ON(pfn >= HOOKS_PAGES);
	return &pages[pfn];
}

unsigned long page_to_pfn(const struct page *page)
{
	BUG_ON(page < pages || page >= pages + HOOKS_PAGES);
	return page - pages;
}

xmaddr_t arbitrary_virt_to_machine(void *address)
{
	return virt_to_machine(address);
}

bool is_early_ioremap_ptep(pte_t *ptep)
{
	return false;
}

enum xen_lazy_mode xen_get_lazy_mode(void)
{
	return plat_lazy[plat_cpu];
}

void xen_mc_flush(void)
{
	unsigned long flags;

	BUG_ON(preemptible());
	local_irq_save(flags);
	xenpv_batch_flush(XENPV_FLUSH_EXPLICIT);
	local_irq_restore(flags);
}

void enter_lazy(enum xen_lazy_mode mode)
{
	BUG_ON(plat_lazy[plat_cpu] != XEN_LAZY_NONE);
	plat_lazy[plat_cpu] = mode;
}

void leave_lazy(enum xen_lazy_mode mode)
{
	BUG_ON(plat_lazy[plat_cpu] != mode);
	plat_lazy[plat_cpu] = XEN_LAZY_NONE;
}

static void hooks_cr3_loaded(void *cr3)
{
	this_cpu_write(xen_current_cr3, (unsigned long)cr3);
}

/*
 * Switch to the direct map's top level (init_mm's stand-in) the way
 * xenpv_write_cr3() does: through the batch, left queued in lazy CPU
 * mode, xen_current_cr3 following once Xen has it.
 */
void leave_mm(void)
{
	unsigned long flags;

	hooks_leave_mm++;
	this_cpu_write(cpu_tlbstate.loaded_mm, &init_mm);
	flags = xenpv_batch_begin();
	xenpv_batch_mmuext(MMUEXT_NEW_BASEPTR, HOOKS_DM_L4, _RET_IP_);
	xenpv_batch_callback(hooks_cr3_loaded,
			     (void *)(HOOKS_DM_L4 << PAGE_SHIFT));
	xenpv_batch_end(flags, XEN_LAZY_CPU);
}

void xenpv_park_table(struct page *page)
{
	hooks_parked++;
}

int smp_call_function_single(int cpu, void (*fn)(void *info), void *info,
			     int wait)
{
	BUG();
}

void smp_call_function_many(const struct cpumask *mask,
			    void (*fn)(void *info), void *info, bool wait)
{
	BUG();
}

/* The generic helpers, reaching the backend the way the pv-ops do. */
pte_t ptep_clear_flush(struct vm_area_struct *vma, unsigned long addr,
		       pte_t *ptep)
{
	return xenpv_ptep_get_and_clear(vma->vm_mm, addr, ptep);
}

void set_pte_at(struct mm_struct *mm, unsigned long addr, pte_t *ptep,
		pte_t pte)
{
	xenpv_set_pte(ptep, pte);
}

void pv_native_ptep_clear_flush_and_set(struct vm_area_struct *vma,
					unsigned long addr, pte_t *ptep,
					pte_t pte)
{
	ptep_clear_flush(vma, addr, ptep);
	set_pte_at(vma->vm_mm, addr, ptep, pte);
}

/* ---- physical memory ---- */

void *hooks_alloc_page(void)
{
	unsigned long pfn;

	for (pfn = 0; pfn < HOOKS_PAGES; pfn++) {
		if (used[pfn])
			continue;
		used[pfn] = true;
		memset(__va(PFN_PHYS(pfn)), 0, PAGE_SIZE);
		return __va(PFN_PHYS(pfn));
	}
	return NULL;
}

void hooks_free_page(void *p)
{
	unsigned long pfn = __pa(p) >> PAGE_SHIFT;

	BUG_ON(!used[pfn]);
	used[pfn] = false;
	pages[pfn].flags = 0;
	pages[pfn].private = 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return (unsigned long)hooks_alloc_page();
}

void free_pages(unsigned long addr, unsigned int order)
{
	BUG_ON(order);
	hooks_free_page((void *)addr);
}

unsigned long hooks_mfn(const void *p)
{
	return virt_to_mfn(p);
}

/* ---- the guest's stores, as Xen sees them ---- */

uint64_t hooks_dm_pte(const void *p)
{
	return M.f[HOOKS_DM_L1].e[__pa(p) >> PAGE_SHIFT];
}

static void sync_in_page(unsigned long pfn)
{
	uint64_t *g = __va(PFN_PHYS(pfn));
	struct model_frame *f = &M.f[HOOKS_MFN(pfn)];
	uint64_t dm = M.f[HOOKS_DM_L1].e[pfn];
	unsigned int i;

	if (!memcmp(g, f->e, PAGE_SIZE))
		return;
	if ((dm & (M_P | M_RW)) == (M_P | M_RW)) {
		memcpy(f->e, g, PAGE_SIZE);
		return;
	}
	if (!f->tcount || f->type != MT_L1) {
		violation("store into a page mapped read-only", pfn);
		memcpy(g, f->e, PAGE_SIZE);
		return;
	}
	for (i = 0; i < 512; i++) {
		if (g[i] == f->e[i])
			continue;
		hooks_emulated++;
		if (model_set_entry(HOOKS_MFN(pfn), i, g[i]))
			violation("emulated L1 store refused by Xen", pfn);
		g[i] = f->e[i];
	}
}

static void sync_in(void)
{
	unsigned long pfn;

	for (pfn = 0; pfn < HOOKS_PAGES; pfn++)
		sync_in_page(pfn);
}

static void sync_out(void)
{
	unsigned long pfn;

	for (pfn = 0; pfn < HOOKS_PAGES; pfn++)
		memcpy(__va(PFN_PHYS(pfn)), M.f[HOOKS_MFN(pfn)].e, PAGE_SIZE);
}

static void model_hook(bool before)
{
	if (before)
		sync_in();
	else
		sync_out();
}

void hooks_sync(void)
{
	sync_in();
	sync_out();
}

uint64_t hooks_xen_entry(const void *entry)
{
	unsigned long pa = __pa(entry);

	hooks_sync();
	return M.f[HOOKS_MFN(pa >> PAGE_SHIFT)].e[(pa & ~PAGE_MASK) / 8];
}

/* What the hardware does: set accessed/dirty bits, seen by both sides. */
void hooks_hw_set_ad(void *entry, uint64_t bits)
{
	unsigned long pa = __pa(entry);

	hooks_sync();
	model_hw_set_ad(HOOKS_MFN(pa >> PAGE_SHIFT), (pa & ~PAGE_MASK) / 8, bits);
	sync_out();
}

unsigned long hooks_hypercalls(void)
{
	unsigned long n = M.multicalls;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(M.direct); i++)
		n += M.direct[i];
	return n;
}

/* ---- hypercalls issued by direct.c ---- */

static int hypercall(struct multicall_entry *mc)
{
	sync_in();
	M.vcpu = plat_cpu;
	model_single(mc);
	sync_out();
	return mc->result;
}

int HYPERVISOR_mmu_update(struct mmu_update *req, int count,
			  int *success_count, domid_t domid)
{
	struct multicall_entry mc = {
		.op = __HYPERVISOR_mmu_update,
		.args = { (unsigned long)req, count,
			  (unsigned long)success_count, domid },
	};

	return hypercall(&mc);
}

int HYPERVISOR_mmuext_op(struct mmuext_op *op, int count,
			 int *success_count, domid_t domid)
{
	struct multicall_entry mc = {
		.op = __HYPERVISOR_mmuext_op,
		.args = { (unsigned long)op, count,
			  (unsigned long)success_count, domid },
	};

	return hypercall(&mc);
}

int HYPERVISOR_update_va_mapping(unsigned long va, pte_t new_val,
				 unsigned long flags)
{
	struct multicall_entry mc = {
		.op = __HYPERVISOR_update_va_mapping,
		.args = { va, new_val.pte, flags },
	};

	return hypercall(&mc);
}

/* ---- a fresh machine for each test ---- */

static void map_memory(void)
{
	unsigned char *p;
	uintptr_t a;

	if (shim_phys_base)
		return;
	p = mmap(NULL, MEM_BYTES + DM_SPAN, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		abort();
	a = ((uintptr_t)p + DM_SPAN - 1) & ~(uintptr_t)(DM_SPAN - 1);
	shim_phys_base = (unsigned char *)a;
}

static void direct_map(void)
{
	unsigned long base = (unsigned long)shim_phys_base, pfn;
	struct mmuext_op op = { .cmd = MMUEXT_NEW_BASEPTR };
	uint64_t table = M_P | M_RW | M_A | M_D;

	for (pfn = HOOKS_DM_L4; pfn <= HOOKS_DM_L1; pfn++)
		model_own(pfn, MODEL_DOM_SELF);
	M.f[HOOKS_DM_L4].e[pgd_index(base)] = (HOOKS_DM_L3 << 12) | table;
	M.f[HOOKS_DM_L3].e[pud_index(base)] = (HOOKS_DM_L2 << 12) | table;
	M.f[HOOKS_DM_L2].e[pmd_index(base)] = (HOOKS_DM_L1 << 12) | table;
	for (pfn = 0; pfn < HOOKS_PAGES; pfn++)
		M.f[HOOKS_DM_L1].e[pfn] = ((uint64_t)HOOKS_MFN(pfn) << 12) |
			pgprot_val(PAGE_KERNEL);
	BUG_ON(model_pin(4, HOOKS_DM_L4));
	op.arg1.mfn = HOOKS_DM_L4;
	BUG_ON(model_mmuext_op(&op, 1, NULL, DOMID_SELF));
}

/**
 * hooks_setup() - a fresh machine: memory, p2m, model, direct map
 *
 * Every page is free, zero and mapped writable; struct pages are trusted
 * (xenpv_trust_struct_pages() has run); no mm is loaded.  Call first in
 * every hooks test (after the runner's resets).
 */
void hooks_setup(void)
{
	unsigned long pfn, mfn;

	map_memory();
	memset(shim_phys_base, 0, MEM_BYTES);
	memset(pages, 0, sizeof(pages));
	memset(used, 0, sizeof(used));
	for (pfn = 0; pfn < HOOKS_PAGES; pfn++) {
		spin_lock_init(&pages[pfn].ptl);
		p2m_list[pfn] = HOOKS_MFN(pfn);
	}
	xenpv_p2m_init_flat(p2m_list, HOOKS_PAGES);

	for (mfn = 0; mfn < MODEL_FRAMES; mfn++)
		M.m2p[mfn] = ~0UL;
	for (pfn = 0; pfn < HOOKS_PAGES; pfn++) {
		model_own(HOOKS_MFN(pfn), MODEL_DOM_SELF);
		M.m2p[HOOKS_MFN(pfn)] = pfn;
	}
	machine_to_phys_mapping = (unsigned long *)M.m2p;
	machine_to_phys_nr = MODEL_FRAMES;
	direct_map();

	memset(&start_info, 0, sizeof(start_info));
	xen_start_info = &start_info;
	memset(&init_mm, 0, sizeof(init_mm));
	spin_lock_init(&init_mm.page_table_lock);
	INIT_LIST_HEAD(&pgd_list);
	cpu_tlbstate.loaded_mm = &init_mm;
	xen_current_cr3 = 0;
	xenpv_fused_invlpg = 0;
	shim_irqs_off = 0;
	shim_preempt_count = 0;
	shim_pr_errs = 0;
	hooks_emulated = 0;
	hooks_parked = 0;
	hooks_leave_mm = 0;

	shim_pv_mmu = (struct shim_pv_mmu) {
		.pte_val = xenpv_pte_val,
		.pmd_val = xenpv_pmd_val,
		.pud_val = xenpv_pud_val,
		.p4d_val = xenpv_p4d_val,
		.pgd_val = xenpv_pgd_val,
		.make_pte = xenpv_make_pte,
		.make_pmd = xenpv_make_pmd,
		.make_pud = xenpv_make_pud,
		.make_p4d = xenpv_make_p4d,
		.make_pgd = xenpv_make_pgd,
	};
	xenpv_pages_ready.enabled = false;
	xenpv_trust_struct_pages();
	plat_model_hook = model_hook;
}
