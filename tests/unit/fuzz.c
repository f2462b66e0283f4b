// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the first byte picks the p2m or the batch property
 * driver (prop.c), the rest is its operation stream.  Any broken property
 * aborts, so the fuzzer reports it with the input that caused it.
 */
#include <stdio.h>
#include <stdlib.h>
#include "harness.h"
#include "model.h"
#include "prop.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char *err;

	if (len < 1)
		return 0;
	plat_reset();
	err = (data[0] & 1) ? prop_batch(data + 1, len - 1) :
			      prop_p2m(data + 1, len - 1);
	if (err) {
		fprintf(stderr, "property broken: %s\n", err);
		abort();
	}
	xenpv_p2m_teardown();
	return 0;
}
