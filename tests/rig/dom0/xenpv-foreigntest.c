// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv-foreigntest - foreign mappings of a PV domU's frames from dom0.
 *
 * Why this file exists: the toolstack maps guest frames through privcmd
 * (mmapbatch), which in a PV dom0 lands in the MMU layer's xen_remap_pfn():
 * a batch may hold frames that cannot be mapped, and each of those must
 * come back as an error in its own slot while the others map.  The rig runs
 * this in dom0 against the running domU (tests/rig/recipe.sh, step
 * dom0-foreign).  It reads the domU's p2m the way the save tools do
 * (shared info -> frame-list list -> frame list -> p2m page), which also
 * checks what the domU's kernel published there, then maps ROUNDS batches
 * in which every other frame is one the domU does not own, checks the
 * per-frame errors, and reads the frames that mapped.
 *
 *   xenpv-foreigntest DOMID [ROUNDS]
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <xenctrl.h>
#include <xenforeignmemory.h>
#include <xentoollog.h>

#define PAGE		4096u
#define BATCH		64
#define PER_PAGE	(PAGE / sizeof(xen_pfn_t))

#define TEST_NAME "foreigntest"
#include "check.h"

static struct xenforeignmemory_handle *fmem;
static uint32_t dom;
static unsigned long sum;	/* of words read through the mappings */

/* map one frame of the domU read-only, or NULL */
static void *map1(xen_pfn_t mfn)
{
	int err = 0;
	void *p = xenforeignmemory_map(fmem, dom, PROT_READ, 1, &mfn, &err);

	if (p && err) {
		xenforeignmemory_unmap(fmem, p, 1);
		return NULL;
	}
	return p;
}

/*
 * The first page of the domU's p2m, found through the published frame
 * lists; fills mfns[] with the frames of pfns 0..PER_PAGE-1.
 */
static int first_p2m_page(unsigned long shinfo_mfn, xen_pfn_t *mfns)
{
	const shared_info_t *sh;
	const xen_pfn_t *fll, *fl, *p2m;
	unsigned long max_pfn;
	xen_pfn_t fll_mfn;

	sh = map1(shinfo_mfn);
	if (!sh)
		return -1;
	max_pfn = sh->arch.max_pfn;
	fll_mfn = sh->arch.pfn_to_mfn_frame_list_list;
	xenforeignmemory_unmap(fmem, (void *)sh, 1);
	printf("foreigntest: domU publishes max_pfn %#lx, frame-list list at mfn %#lx\n",
	       max_pfn, (unsigned long)fll_mfn);
	if (max_pfn < PER_PAGE || !fll_mfn || fll_mfn == ~(xen_pfn_t)0)
		return -1;

	fll = map1(fll_mfn);
	if (!fll)
		return -1;
	fl = map1(fll[0]);
	xenforeignmemory_unmap(fmem, (void *)fll, 1);
	if (!fl)
		return -1;
	p2m = map1(fl[0]);
	xenforeignmemory_unmap(fmem, (void *)fl, 1);
	if (!p2m)
		return -1;
	memcpy(mfns, p2m, PAGE);
	xenforeignmemory_unmap(fmem, (void *)p2m, 1);
	return 0;
}

/* a batch where every odd slot names a frame the domU does not own */
static void mixed_batch(const xen_pfn_t *mfns, unsigned int round)
{
	/* beyond any RAM the rig has; a low frame that belongs to Xen */
	const xen_pfn_t foreign[] = { 0xfffffff0ul, 1 };
	xen_pfn_t arr[BATCH];
	int err[BATCH];
	const unsigned long *p;
	unsigned int i, valid = 0;

	for (i = 0; i < BATCH; i++) {
		arr[i] = i & 1 ? foreign[(i / 2 + round) & 1] :
				 mfns[(round * 7 + i) % PER_PAGE];
		err[i] = -12345;
	}
	p = xenforeignmemory_map(fmem, dom, PROT_READ, BATCH, arr, err);
	CHECK(p, "a mixed batch did not map at all: %s", strerror(errno));
	if (!p)
		return;
	for (i = 0; i < BATCH; i++) {
		if (i & 1) {
			CHECK(err[i] != 0, "slot %u (mfn %#lx, not the domU's) mapped",
			      i, (unsigned long)arr[i]);
			continue;
		}
		CHECK(err[i] == 0, "slot %u (mfn %#lx, the domU's) failed: %d",
		      i, (unsigned long)arr[i], err[i]);
		if (!err[i]) {
			sum += p[i * PAGE / sizeof(*p)];	/* must be readable */
			valid++;
		}
	}
	CHECK(valid == BATCH / 2, "%u of %u good frames mapped", valid, BATCH / 2);
	CHECK(xenforeignmemory_unmap(fmem, (void *)p, BATCH) == 0, "unmap: %s",
	      strerror(errno));
}

int main(int argc, char **argv)
{
	unsigned int rounds = argc > 2 ? strtoul(argv[2], NULL, 0) : 100;
	xen_pfn_t *mfns = calloc(PER_PAGE, sizeof(*mfns));
	xentoollog_logger *log;
	xc_dominfo_t info;
	xc_interface *xch;

	if (argc < 2 || !mfns) {
		fprintf(stderr, "usage: xenpv-foreigntest DOMID [ROUNDS]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	dom = strtoul(argv[1], NULL, 0);
	/* the slots meant to fail would each log an error */
	log = (xentoollog_logger *)xtl_createlogger_stdiostream(stderr,
								 XTL_CRITICAL, 0);
	xch = xc_interface_open(log, log, 0);
	fmem = xenforeignmemory_open(log, 0);
	if (!xch || !fmem) {
		printf("foreigntest: FAIL cannot open privcmd: %s\n", strerror(errno));
		return 1;
	}
	if (xc_domain_getinfo(xch, dom, 1, &info) != 1 || info.domid != dom) {
		printf("foreigntest: FAIL no domain %u\n", dom);
		return 1;
	}
	if (first_p2m_page(info.shared_info_frame, mfns)) {
		printf("foreigntest: FAIL cannot follow the domU's p2m frame lists\n");
		return 1;
	}
	for (unsigned int r = 0; r < rounds && !failures; r++)
		mixed_batch(mfns, r);
	xenforeignmemory_close(fmem);
	xc_interface_close(xch);
	printf("foreigntest: %u batches of %u frames, every other one not the domU's (read sum %#lx); %s\n",
	       rounds, BATCH, sum, failures ? "FAILED" : "all checks held");
	return failures ? 1 : 0;
}
