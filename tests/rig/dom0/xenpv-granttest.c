// SPDX-License-Identifier: GPL-2.0
/*
 * xenpv-granttest - grant mappings through gntdev in dom0, good and bad.
 *
 * Why this file exists: a dom0's backends and QEMU map other domains'
 * grants, and in a PV dom0 the MMU layer records every mapped frame in the
 * p2m (set_foreign_p2m_mapping) and forgets it at unmap; a map that fails,
 * wholly or for one slot of a batch, must leave nothing mapped behind.
 * The rig runs this in dom0 (tests/rig/recipe.sh, step dom0-grants).  dom0
 * grants pages of its own to itself through gntalloc, so no second domain
 * is needed, then:
 *   1. maps them all through gntdev and checks the content both ways;
 *   2. maps references that were never granted: each map must fail;
 *   3. maps ROUNDS batches of good references with a bad one among them:
 *      each must fail as a whole (gntdev takes down the slots that did map);
 *   4. copies out of the grants with gntdev's grant copy;
 *   5. maps the good references once more, checks, unmaps and unshares.
 * A mapping left behind keeps its grant busy: the kernel then cannot end
 * the grant at unshare and logs "g.e. ... still pending", which the recipe
 * looks for afterwards.  Exit status 0 only if every check held.
 *
 *   xenpv-granttest [ROUNDS]
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xengnttab.h>
#include <xentoollog.h>

#define NPAGES		8
#define PAGE		4096u
#define SELF		0	/* DOMID_SELF is not accepted by gntalloc */

#define TEST_NAME "granttest"
#include "check.h"

static uint32_t word(unsigned int page, unsigned int i, uint32_t salt)
{
	return (page * 0x9e3779b9u) ^ (i * 0x85ebca6bu) ^ salt;
}

static void fill(uint8_t *base, uint32_t salt)
{
	for (unsigned int p = 0; p < NPAGES; p++) {
		uint32_t *w = (uint32_t *)(base + p * PAGE);

		for (unsigned int i = 0; i < PAGE / 4; i++)
			w[i] = word(p, i, salt);
	}
}

/* index of the first page whose content differs, or -1 */
static int differs(const uint8_t *base, uint32_t salt)
{
	for (unsigned int p = 0; p < NPAGES; p++) {
		const uint32_t *w = (const uint32_t *)(base + p * PAGE);

		for (unsigned int i = 0; i < PAGE / 4; i++)
			if (w[i] != word(p, i, salt))
				return p;
	}
	return -1;
}

/* 1 and 5: map every good reference, check both directions, unmap */
static void map_good(xengnttab_handle *xgt, const uint32_t *refs,
		     uint8_t *shared, uint32_t salt)
{
	uint8_t *m;
	int bad;

	fill(shared, salt);
	m = xengnttab_map_domain_grant_refs(xgt, NPAGES, SELF, (uint32_t *)refs,
					    PROT_READ | PROT_WRITE);
	CHECK(m, "map of %d granted pages failed: %s", NPAGES, strerror(errno));
	if (!m)
		return;
	bad = differs(m, salt);
	CHECK(bad < 0, "mapped page %d does not hold the granted content", bad);
	fill(m, salt + 1);
	bad = differs(shared, salt + 1);
	CHECK(bad < 0, "a write through the mapping did not reach page %d", bad);
	CHECK(xengnttab_unmap(xgt, m, NPAGES) == 0, "unmap: %s", strerror(errno));
}

/* 2 and 3: maps that must fail */
static void map_bad(xengnttab_handle *xgt, const uint32_t *refs,
		    unsigned int rounds)
{
	/* never granted: beyond the table, and (most likely) unused in it */
	const uint32_t never[] = { 0x7ffffff0u, refs[NPAGES - 1] + 3001 };
	uint32_t batch[NPAGES + 1];
	void *m;

	for (unsigned int i = 0; i < 2; i++) {
		m = xengnttab_map_grant_ref(xgt, SELF, never[i], PROT_READ);
		CHECK(!m, "map of never-granted reference %#x succeeded", never[i]);
		if (m)
			xengnttab_unmap(xgt, m, 1);
	}
	for (unsigned int r = 0; r < rounds; r++) {
		unsigned int at = r % (NPAGES + 1);

		for (unsigned int i = 0, j = 0; i <= NPAGES; i++)
			batch[i] = i == at ? never[r & 1] : refs[j++];
		m = xengnttab_map_domain_grant_refs(xgt, NPAGES + 1, SELF, batch,
						    PROT_READ | PROT_WRITE);
		CHECK(!m, "a batch with a bad reference at %u mapped", at);
		if (m) {
			xengnttab_unmap(xgt, m, NPAGES + 1);
			return;
		}
	}
}

/* 4: gntdev's grant copy out of every granted page */
static void copy_out(xengnttab_handle *xgt, const uint32_t *refs,
		     uint8_t *shared, uint32_t salt)
{
	xengnttab_grant_copy_segment_t seg[NPAGES];
	uint8_t *buf;
	int bad;

	buf = aligned_alloc(PAGE, NPAGES * PAGE);
	if (!buf) {
		CHECK(0, "out of memory");
		return;
	}
	memset(buf, 0, NPAGES * PAGE);
	fill(shared, salt);
	memset(seg, 0, sizeof(seg));
	for (unsigned int p = 0; p < NPAGES; p++) {
		seg[p].flags = GNTCOPY_source_gref;
		seg[p].source.foreign.ref = refs[p];
		seg[p].source.foreign.domid = SELF;
		seg[p].dest.virt = buf + p * PAGE;
		seg[p].len = PAGE;
	}
	CHECK(xengnttab_grant_copy(xgt, NPAGES, seg) == 0, "grant copy: %s",
	      strerror(errno));
	for (unsigned int p = 0; p < NPAGES; p++)
		CHECK(seg[p].status == GNTST_okay, "copy of page %u: status %d",
		      p, seg[p].status);
	bad = differs(buf, salt);
	CHECK(bad < 0, "grant copy of page %d differs", bad);
	free(buf);
}

int main(int argc, char **argv)
{
	unsigned int rounds = argc > 1 ? strtoul(argv[1], NULL, 0) : 100;
	xengnttab_handle *xgt;
	xengntshr_handle *xgs;
	uint32_t refs[NPAGES];
	uint8_t *shared;
	xentoollog_logger *log;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* the maps meant to fail would each log an error */
	log = (xentoollog_logger *)xtl_createlogger_stdiostream(stderr,
								 XTL_CRITICAL, 0);
	xgt = xengnttab_open(log, 0);
	xgs = xengntshr_open(log, 0);
	if (!xgt || !xgs) {
		printf("granttest: FAIL cannot open gntdev/gntalloc: %s\n",
		       strerror(errno));
		return 1;
	}
	shared = xengntshr_share_pages(xgs, SELF, NPAGES, refs, 1);
	if (!shared) {
		printf("granttest: FAIL gntalloc share: %s\n", strerror(errno));
		return 1;
	}
	printf("granttest: %d pages granted, references %u..%u\n", NPAGES,
	       refs[0], refs[NPAGES - 1]);

	map_good(xgt, refs, shared, 0x1234);
	map_bad(xgt, refs, rounds);
	copy_out(xgt, refs, shared, 0x5678);
	map_good(xgt, refs, shared, 0x9abc);

	CHECK(xengntshr_unshare(xgs, shared, NPAGES) == 0, "unshare: %s",
	      strerror(errno));
	xengntshr_close(xgs);
	xengnttab_close(xgt);
	printf("granttest: %u failing batches; %s\n", rounds,
	       failures ? "FAILED" : "all checks held");
	return failures ? 1 : 0;
}
