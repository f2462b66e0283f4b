/* SPDX-License-Identifier: GPL-2.0 */
/* Property drivers shared by test_prop.c and the fuzzer (see prop.c). */
#ifndef _XENPV_TEST_PROP_H
#define _XENPV_TEST_PROP_H
#include <linux/types.h>

/* Return NULL if every property held, else what broke. */
const char *prop_p2m(const u8 *data, size_t len);
const char *prop_batch(const u8 *data, size_t len);

#endif
