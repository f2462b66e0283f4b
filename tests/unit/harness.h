/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test harness: registration and checks for the unit tests, and the knobs
 * of the userspace platform (plat.c) that implements the hooks of
 * include/xen/xenpv/platform.h.
 */
#ifndef _XENPV_TEST_HARNESS_H
#define _XENPV_TEST_HARNESS_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/spinlock.h>
#include <xen/xenpv/platform.h>
#include <xen/xenpv/batch.h>
#include <xen/xenpv/p2m.h>
#include "p2m_harness.h"

/* ---- tests ---- */
struct test {
	const char *name;
	void (*fn)(void);
	struct test *next;
};

void test_register(struct test *t);
void test_fail(const char *file, int line, const char *what);
extern bool test_failed;

#define TEST(n)								\
	static void n(void);						\
	static struct test __test_##n = { #n, n, NULL };		\
	__attribute__((constructor)) static void __reg_##n(void)	\
	{ test_register(&__test_##n); }					\
	static void n(void)

#define CHECK(c) do {							\
	if (!(c)) {							\
		test_fail(__FILE__, __LINE__, #c);			\
		return;							\
	}								\
} while (0)

#define CHECK_EQ(a, b) do {						\
	unsigned long long __a = (unsigned long long)(a);		\
	unsigned long long __b = (unsigned long long)(b);		\
	if (__a != __b) {						\
		char __m[256];						\
		snprintf(__m, sizeof(__m), "%s == %s (0x%llx != 0x%llx)",\
			 #a, #b, __a, __b);				\
		test_fail(__FILE__, __LINE__, __m);			\
		return;							\
	}								\
} while (0)

/* ---- platform: p2m ---- */
#define PLAT_POOL_PAGES		16384
#define PLAT_MFN_BASE		0x100000UL

void plat_reset(void);
unsigned long plat_pages_in_use(void);
unsigned long plat_page_mfn(const void *p);
/* Fail the n-th allocation from now (1 = next); 0 disables. */
extern unsigned long plat_fail_alloc_nth;
/* Called once at the start of the next allocation (then cleared). */
extern void (*plat_alloc_hook)(void);
/* Fail every allocation with this probability (0..1000 per mille). */
extern unsigned int plat_fail_alloc_permille;
/* Fail the n-th map/split hook call from now; 0 disables. */
extern unsigned long plat_fail_map_nth;
extern int plat_fail_map_errno;
/* Add a mfn offset to every page, as if the domain had migrated. */
extern unsigned long plat_mfn_shift;
/* Extra-memory regions for xenpv_p2m_plat_extra_mem(). */
void plat_set_extra(unsigned long start, unsigned long end);
extern unsigned long plat_last_generation, plat_generation_calls;
extern unsigned long plat_last_max_pfn;
extern unsigned long plat_violations;	/* hook contract violations seen */
/* What the platform mapped at each leaf slot (checked against metadata). */
void *plat_slot_page(unsigned long leaf);
void plat_srand(unsigned long seed);
unsigned long plat_rand(void);

/* ---- platform: batch ---- */
#define PLAT_CPUS		4
extern unsigned int plat_cpu;
extern unsigned int plat_lazy[PLAT_CPUS];
extern struct xenpv_batch plat_batches[PLAT_CPUS];

struct plat_report {
	struct xenpv_batch_error err;
	union {
		struct mmu_update u;
		struct mmuext_op x;
	} rec;
};

#define PLAT_REPORTS		1024
extern struct plat_report plat_reports[PLAT_REPORTS];
extern unsigned int plat_nr_reports;
extern bool plat_quiet;
/* Called before (true) and after (false) every batch hypercall. */
extern void (*plat_model_hook)(bool before);

#endif
