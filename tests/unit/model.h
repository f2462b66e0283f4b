/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A model of Xen's PV MMU hypercalls, typed with Xen's own public headers.
 *
 * Why: mm/batch.c must be tested against the hypercall ABI it will meet in
 * Xen 4.17 - including its error codes - without booting anything.  The
 * model keeps a small simulated machine: frames owned by domains, page
 * types with type counts (writable, L1-L4 tables), pinning, base pointers,
 * and the checks Xen's arch/x86/mm.c makes (ownership, read-only page
 * tables, no PSE in L2, L1TF-safe non-present entries, A/D preservation).
 * TLB flushes are recorded, not simulated.
 */
#ifndef _XENPV_TEST_MODEL_H
#define _XENPV_TEST_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/interface/xen.h>
#include <xen/errno.h>

#define MODEL_FRAMES		4096
#define MODEL_VCPUS		4
#define MODEL_DOM_SELF		1
#define MODEL_DOM_OTHER		2
#define MODEL_DOM_NONE		0xffff
#define MODEL_LOG		512

/* x86 PTE bits (Xen's asm/x86_64/page.h is not part of the public ABI). */
#define M_P		0x001ULL
#define M_RW		0x002ULL
#define M_US		0x004ULL
#define M_PWT		0x008ULL
#define M_PCD		0x010ULL
#define M_A		0x020ULL
#define M_D		0x040ULL
#define M_PSE		0x080ULL
#define M_PAT		0x080ULL
#define M_G		0x100ULL
#define M_AVAIL		0xe00ULL
#define M_AVAIL_HIGH	(0x7ffULL << 52)
#define M_NX		(1ULL << 63)
#define M_ADDR		0x000ffffffffff000ULL
/* Non-present entries with an address in [1, this) are L1TF-unsafe. */
#define M_L1TF_SAFE	(1ULL << 44)

enum model_type { MT_NONE, MT_WRITABLE, MT_L1, MT_L2, MT_L3, MT_L4 };

struct model_frame {
	uint16_t owner;
	uint8_t type;
	bool pinned;
	uint32_t tcount;
	uint64_t e[512];
};

struct model_flush {
	unsigned int cmd;		/* MMUEXT_* or 1000 + UVMF flush type */
	unsigned long addr;
	unsigned long mask;		/* first word of the vcpumask, or ~0 */
};

struct model {
	struct model_frame *f;
	unsigned int nframes;
	bool privileged;		/* may use a foreign domid */
	bool io_caps;			/* relaxes L1 cache attribute checks */
	bool crashed;
	unsigned int vcpu;
	unsigned long cr3[MODEL_VCPUS];
	unsigned long ucr3[MODEL_VCPUS];
	struct model_flush log[MODEL_LOG];
	unsigned int nlog;
	uint64_t m2p[MODEL_FRAMES];
	/* counters */
	unsigned long multicalls, direct[64], mc_entries;
	/* fault injection */
	long multicall_fault;		/* nonzero: multicall returns this */
	int abort_after;		/* >0: multicall stops after N entries */
};

extern struct model M;

void model_reset(void);
/* Faster reset for the fuzzer: only the first @nframes frames exist. */
void model_reset_frames(unsigned int nframes);
void model_own(unsigned long mfn, uint16_t dom);
uint64_t model_pte(unsigned long mfn, unsigned long mfn_target, uint64_t flags);

long model_mmu_update(const struct mmu_update *req, unsigned int count,
		      unsigned int *done, domid_t dom);
long model_mmuext_op(const struct mmuext_op *op, unsigned int count,
		     unsigned int *done, domid_t dom);
long model_update_va_mapping(unsigned long va, uint64_t val,
			     unsigned long flags);
long model_multicall(struct multicall_entry *mc, unsigned int nr);
void model_single(struct multicall_entry *mc);

/* What the hardware does: set accessed/dirty bits in a live PTE. */
void model_hw_set_ad(unsigned long mfn, unsigned int idx, uint64_t bits);

/* Convenience for tests: build page tables with direct hypercalls. */
long model_pin(unsigned int level, unsigned long mfn);
long model_unpin(unsigned long mfn);
long model_set_entry(unsigned long table, unsigned int idx, uint64_t val);

#endif
