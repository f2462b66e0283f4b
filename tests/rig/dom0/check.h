/* SPDX-License-Identifier: GPL-2.0 */
/*
 * check.h - the CHECK() of the rig's dom0 test programs (tests/rig/dom0/).
 *
 * Why this file exists: each program counts failed checks and prints one
 * "NAME: FAIL function:line: message" line per failure, under the name
 * the program defines as TEST_NAME; they share this one definition.
 */
#ifndef XENPV_RIG_CHECK_H
#define XENPV_RIG_CHECK_H

#include <stdio.h>

static int failures;

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		failures++;						\
		printf(TEST_NAME ": FAIL %s:%d: ", __func__, __LINE__);\
		printf(__VA_ARGS__);					\
		printf("\n");						\
	}								\
} while (0)

#endif /* XENPV_RIG_CHECK_H */
