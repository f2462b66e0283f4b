// SPDX-License-Identifier: GPL-2.0
/*
 * Randomized property tests: the p2m against a reference array under
 * random set/get/allocate sequences with injected failures, and the batch
 * queue against direct execution of the same operations (prop.c).
 */
#include <stdlib.h>
#include "harness.h"
#include "model.h"
#include "prop.h"

#define SEEDS	60

static uint8_t buf[8192];

static size_t fill(unsigned long seed, size_t len)
{
	size_t i;

	plat_srand(seed);
	for (i = 0; i < len; i++)
		buf[i] = plat_rand() >> 24;
	return len;
}

TEST(prop_p2m_matches_reference)
{
	unsigned long seed;
	const char *err;

	for (seed = 1; seed <= SEEDS; seed++) {
		size_t len = fill(seed, 600 + seed * 60);

		err = prop_p2m(buf, len);
		if (err) {
			char m[160];

			snprintf(m, sizeof(m), "seed %lu: %s", seed, err);
			test_fail(__FILE__, __LINE__, m);
			return;
		}
	}
}

TEST(prop_batch_matches_direct_execution)
{
	unsigned long seed;
	const char *err;

	for (seed = 1; seed <= 2 * SEEDS; seed++) {
		size_t len = fill(seed * 7919, 200 + seed * 30);

		err = prop_batch(buf, len);
		if (err) {
			char m[160];

			snprintf(m, sizeof(m), "seed %lu: %s", seed, err);
			test_fail(__FILE__, __LINE__, m);
			return;
		}
	}
}
