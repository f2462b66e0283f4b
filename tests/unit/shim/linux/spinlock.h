/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/spinlock.h>: a pthread mutex, plus a
 * per-thread "atomic context" depth so the harness can catch sleeping
 * allocations under a lock.
 */
#ifndef _SHIM_LINUX_SPINLOCK_H
#define _SHIM_LINUX_SPINLOCK_H

#include <pthread.h>

typedef struct {
	pthread_mutex_t m;
} spinlock_t;

extern __thread int shim_atomic_depth;

#ifdef __CHECKER__
/* glibc's initializer is all zeroes but spelled with 0 for pointers. */
#define DEFINE_SPINLOCK(x)	spinlock_t x
#else
#define DEFINE_SPINLOCK(x)	spinlock_t x = { PTHREAD_MUTEX_INITIALIZER }
#endif

#define spin_lock_init(l)	pthread_mutex_init(&(l)->m, NULL)

static inline void spin_lock(spinlock_t *l)
{
	pthread_mutex_lock(&l->m);
	shim_atomic_depth++;
}

static inline void spin_unlock(spinlock_t *l)
{
	shim_atomic_depth--;
	pthread_mutex_unlock(&l->m);
}

#define spin_lock_nest_lock(l, nest)	spin_lock(l)

#define spin_lock_irqsave(l, flags) do {				\
	pthread_mutex_lock(&(l)->m);					\
	shim_atomic_depth++;						\
	(flags) = 0;							\
} while (0)

#define spin_unlock_irqrestore(l, flags) do {				\
	(void)(flags);							\
	shim_atomic_depth--;						\
	pthread_mutex_unlock(&(l)->m);					\
} while (0)

#endif
