/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xt.h - shared harness for the in-guest MMU test suite (xenpv-tests).
 *
 * Why this file exists: every test in tests/guest/src/ needs the same few
 * tools to turn a PV MMU backend bug into a clear FAIL line instead of a
 * silent corruption: a keyed page pattern (so a page that shows up at the
 * wrong address, or with old contents, is recognised), fault probes built on
 * sigsetjmp (so "this access must fault" and "this access must not fault"
 * are both checkable), a failure recorder shared by every process and thread
 * a test creates, and a scale knob so the same binary runs in seconds
 * natively and in minutes under QEMU TCG.
 */
#ifndef XENPV_XT_H
#define XENPV_XT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define XT_PAGE		4096UL
#define XT_WORDS	(XT_PAGE / sizeof(uint64_t))

/*
 * Forced single accesses: the compiler may neither drop, merge nor tear them
 * (the tests are about what the MMU does with each individual access).
 */
#define XT_LOAD(p)	__atomic_load_n((p), __ATOMIC_RELAXED)
#define XT_STORE(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELAXED)

/* The kernel's attribute spellings, for userspace. */
#define XT_ATTR(x)	__attribute__((x))
#define __printf(a, b)	XT_ATTR(format(printf, a, b))
#define __noreturn	XT_ATTR(noreturn)
#define noinline	XT_ATTR(noinline)

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/**
 * struct xt_test - one entry of the suite.
 * @name: name used on the command line and in PASS/FAIL lines.
 * @fn:   test body; runs in its own process; returns normally on success and
 *        reports failures through xt_fail(), which does not return.
 */
struct xt_test {
	const char *name;
	void (*fn)(void);
};

/* Scale factor: 1 normally, smaller with --quick (loop counts only). */
extern int xt_quick;
/* Directory holding xenpv-tests (and xenpv-true), found from /proc/self/exe. */
#define XT_BINDIR_LEN 4096
extern char xt_bindir[XT_BINDIR_LEN];

/* --- failure reporting ------------------------------------------------- */

/**
 * xt_fail() - record why the current test failed and end this process.
 * @fmt: printf-style reason.
 *
 * Usable from any process or thread a test creates: the first reason
 * recorded wins (it is kept in memory shared with the runner), and the
 * calling process exits with status 1, which its parent turns into a
 * failure of its own.
 */
void xt_fail(const char *fmt, ...)
	__noreturn __printf(1, 2);

/**
 * xt_note() - print an informational line ("# test: text") for the log.
 * @fmt: printf-style text.
 */
void xt_note(const char *fmt, ...) __printf(1, 2);

/**
 * xt_scaled() - scale a loop count down in quick mode.
 * @full: count used in a normal run.
 *
 * Return: @full, or a smaller count (at least 1) with --quick.
 */
long xt_scaled(long full);

/* --- keyed patterns ---------------------------------------------------- */

/**
 * xt_key() - 64-bit keyed value for one word of one page.
 * @seed: per-run or per-region random seed.
 * @page: page index inside the region.
 * @word: word index inside the page (or a generation number).
 *
 * Return: a well-mixed value; two different (seed, page, word) tuples give
 * different values with overwhelming probability, so a page showing up at
 * the wrong place is detected.
 */
static inline uint64_t xt_key(uint64_t seed, uint64_t page, uint64_t word)
{
	uint64_t z = seed ^ (page * 0x9e3779b97f4a7c15ULL) ^
		     (word * 0xc2b2ae3d27d4eb4fULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/**
 * xt_stamp() - write the keyed stamp into four spread-out words of each page.
 * @base:   start of the region (page aligned).
 * @npages: number of pages.
 * @seed:   region seed.
 * @gen:    generation (changes the stamp without changing the seed).
 *
 * Touching four words (first, last and two in the middle) makes every page
 * fault in and makes a wrong frame, a lost write or stale contents visible,
 * at a fraction of the cost of a full-page fill under emulation.
 */
void xt_stamp(void *base, size_t npages, uint64_t seed, uint64_t gen);

/**
 * xt_verify() - check stamps written by xt_stamp().
 * @base:   start of the region.
 * @npages: number of pages.
 * @seed:   region seed.
 * @gen:    generation expected.
 * @what:   label used in the failure reason.
 *
 * Calls xt_fail() with the first mismatching page, word, expected and
 * found values.
 */
void xt_verify(const void *base, size_t npages, uint64_t seed, uint64_t gen,
	       const char *what);

/**
 * xt_check_stamp() - like xt_verify() but reports instead of failing.
 * @base:   start of the region.
 * @npages: number of pages.
 * @seed:   region seed.
 * @gen:    generation expected.
 *
 * Return: -1 if all pages match, else the index of the first bad page.
 */
long xt_check_stamp(const void *base, size_t npages, uint64_t seed,
		    uint64_t gen);

/**
 * xt_check_range() - xt_check_stamp() on pages [first, first + npages).
 * @base:   start of the region the stamps were written from.
 * @first:  first page to check.
 * @npages: number of pages to check.
 * @seed:   region seed.
 * @gen:    generation expected.
 *
 * Return: -1 if all match, else the index of the first bad page.
 */
long xt_check_range(const void *base, size_t first, size_t npages,
		    uint64_t seed, uint64_t gen);

/**
 * xt_verify_range() - xt_verify() on pages [first, first + npages).
 * @base:   start of the region the stamps were written from.
 * @first:  first page to check.
 * @npages: number of pages to check.
 * @seed:   region seed.
 * @gen:    generation expected.
 * @what:   label used in the failure reason.
 */
void xt_verify_range(const void *base, size_t first, size_t npages,
		     uint64_t seed, uint64_t gen, const char *what);

/**
 * xt_page_is_zero() - whether the stamp positions of a page are all zero.
 * @base: start of the region.
 * @page: page index.
 *
 * Return: 1 if zero, else 0.
 */
int xt_page_is_zero(const void *base, size_t page);

/**
 * xt_check_zero() - check the stamp positions of each page read as zero.
 * @base:   start of the region.
 * @npages: number of pages.
 * @what:   label used in the failure reason.
 */
void xt_check_zero(const void *base, size_t npages, const char *what);

/**
 * xt_seed() - a fresh random 64-bit seed (getrandom, time as fallback).
 *
 * Return: the seed.
 */
uint64_t xt_seed(void);

/* --- fault probes ------------------------------------------------------ */

/**
 * xt_probe_read() - read one 64-bit word, catching SIGSEGV/SIGBUS.
 * @addr: address to read.
 * @val:  where to store the value read (may be NULL).
 *
 * Return: 0 if the read succeeded, else the signal number it raised.
 */
int xt_probe_read(const void *addr, uint64_t *val);

/**
 * xt_probe_write() - write one 64-bit word, catching SIGSEGV/SIGBUS.
 * @addr: address to write.
 * @val:  value to write.
 *
 * Return: 0 if the write succeeded, else the signal number it raised.
 */
int xt_probe_write(void *addr, uint64_t val);

/**
 * xt_probe_rmw() - atomic read-modify-write (add 0) of one word.
 * @addr: address to access; needs a writable mapping.
 * @old:  where to store the value seen (may be NULL).
 *
 * The locked add reads and writes through the same translation, so the
 * value seen tells which frame a successful write went to.
 *
 * Return: 0 if the access succeeded, else the signal number it raised.
 */
int xt_probe_rmw(void *addr, uint64_t *old);

/**
 * xt_must_fault_read() - fail the test unless reading @addr faults.
 * @addr: address that must not be readable.
 * @what: label used in the failure reason.
 */
void xt_must_fault_read(const void *addr, const char *what);

/**
 * xt_must_fault_write() - fail the test unless writing @addr faults.
 * @addr: address that must not be writable.
 * @what: label used in the failure reason.
 */
void xt_must_fault_write(void *addr, const char *what);

/**
 * xt_install_fault_handler() - install the SIGSEGV/SIGBUS handler.
 *
 * Called by the runner in each test process; faults outside a probe are
 * reported as failures with the faulting address.
 */
void xt_install_fault_handler(void);

/* --- small process and memory helpers ---------------------------------- */

/**
 * xt_map() - anonymous private read/write mapping; fails the test on error.
 * @npages: size in pages.
 *
 * Return: the mapping.
 */
void *xt_map(size_t npages);

/**
 * xt_wait_ok() - wait for a child and fail the test unless it exited 0.
 * @pid:  child to wait for.
 * @what: label used in the failure reason.
 */
void xt_wait_ok(pid_t pid, const char *what);

/**
 * xt_now_ms() - monotonic time in milliseconds.
 *
 * Return: the time.
 */
double xt_now_ms(void);

/**
 * xt_ncpus() - number of CPUs this process may run on.
 *
 * Return: at least 1.
 */
int xt_ncpus(void);

/**
 * xt_pin_cpu() - pin the calling thread to the n-th allowed CPU (modulo).
 * @n: index among the allowed CPUs.
 */
void xt_pin_cpu(int n);

/**
 * xt_true_path() - path of the tiny static helper used by exec loops.
 *
 * Return: the path; the test fails if the helper is missing.
 */
const char *xt_true_path(void);

/**
 * xt_shm_dir() - a directory on tmpfs (or ramfs) for MAP_SHARED files.
 *
 * Uses $XENPV_SHMDIR, /dev/shm, or a tmpfs mounted on /tmp/xenpv-shm.
 *
 * Return: the directory.
 */
const char *xt_shm_dir(void);

/* --- tests (grouped by file) ------------------------------------------- */
void t_fork_cow_1(void);
void t_fork_cow_1000(void);
void t_fork_cow_10000(void);
void t_fork_cow_thread(void);
void t_fork_nested(void);
void t_fork_many(void);
void t_vfork(void);
void t_clone_vm(void);

void t_mmap_basic(void);
void t_mmap_fixed(void);
void t_munmap_partial(void);
void t_mprotect(void);
void t_mremap(void);
void t_madv_dontneed(void);
void t_madv_free(void);
void t_mlock(void);
void t_msync(void);
void t_mincore(void);
void t_brk(void);
void t_file_private(void);
void t_mm_leak(void);

void t_exec_loop(void);
void t_vfork_exec(void);
void t_exec_self(void);

void t_tlb_munmap(void);
void t_tlb_remap(void);
void t_tlb_mprotect(void);

void t_shm_sysv(void);
void t_shm_memfd(void);
void t_shm_tmpfs(void);
void t_shm_anon(void);
void t_shm_uffd_wp(void);

void t_huge_hugetlb(void);
void t_huge_thp(void);

/* Entry points of the non-test modes. */
int xt_exec_probe_main(void);
int xt_integrity_main(int argc, char **argv);
int xt_stress_main(int argc, char **argv);

#endif /* XENPV_XT_H */
