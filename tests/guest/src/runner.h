/* SPDX-License-Identifier: GPL-2.0 */
/*
 * runner.h - the record a test process shares with the runner.
 *
 * Why this file exists: a test may fail in a grandchild or in a thread that
 * then takes its whole process down; the reason has to reach the runner
 * anyway, so it lives in a MAP_SHARED page created before the test forks.
 */
#ifndef XENPV_RUNNER_H
#define XENPV_RUNNER_H

/**
 * struct xt_result - failure record shared by all processes of one test.
 * @claimed: set by the first process that records a reason.
 * @ready:   set once @reason is complete.
 * @name:    name of the running test (for notes).
 * @reason:  the failure reason.
 */
struct xt_result {
	int claimed;
	int ready;
	char name[64];
	char reason[480];
};

extern struct xt_result *xt_result;

#endif /* XENPV_RUNNER_H */
