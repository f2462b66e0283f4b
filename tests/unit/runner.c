// SPDX-License-Identifier: GPL-2.0
/*
 * Test runner: runs every registered test with a fresh model, platform and
 * p2m, checks that no test leaked pool pages or broke a hook contract, and
 * prints the final "N passed, N failed" line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "model.h"

static struct test *tests, **tail = &tests;
bool test_failed;
static const char *current;

void test_register(struct test *t)
{
	*tail = t;
	tail = &t->next;
}

void test_fail(const char *file, int line, const char *what)
{
	if (!test_failed)
		printf("FAIL %s\n", current);
	printf("  %s:%d: %s\n", file, line, what);
	test_failed = true;
}

int main(int argc, char **argv)
{
	unsigned int passed = 0, failed = 0;
	struct test *t;

	for (t = tests; t; t = t->next) {
		if (argc > 1 && !strstr(t->name, argv[1]))
			continue;
		current = t->name;
		test_failed = false;
		model_reset();
		xenpv_p2m_teardown();
		plat_reset();
		t->fn();
		xenpv_p2m_teardown();
		if (plat_pages_in_use())
			test_fail(__FILE__, __LINE__, "pool pages leaked");
		if (plat_violations)
			test_fail(__FILE__, __LINE__, "platform contract violated");
		if (test_failed)
			failed++;
		else
			passed++;
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
