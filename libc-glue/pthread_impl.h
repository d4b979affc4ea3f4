/*
 * Private to libc-glue's threads: the per-thread descriptor that pthread_t
 * points to, kept in the kernel thread's libc slot (thread_libc_data()).
 */
#ifndef LIBC_GLUE_PTHREAD_IMPL_H
#define LIBC_GLUE_PTHREAD_IMPL_H

#include <pthread.h>
#include <reent.h>
#include <stdint.h>
#include <time.h>
#include <kernel/sync.h>
#include <kernel/thread.h>

#define PTHREAD_MAGIC 0x70746872u /* "pthr": a live descriptor */

/* A thread's value for one key; seq tells a value of a deleted key from a live one. */
struct pthread_specific {
	const void *value;
	unsigned int seq;
};

struct __pthread {
	unsigned int magic;   /* PTHREAD_MAGIC while the descriptor is live */
	struct thread *kt;    /* the kernel thread */
	struct _reent *reent; /* newlib's state: &own_reent, or _impure_ptr */
	void *(*start)(void *);
	void *arg;
	void *retval;
	size_t stack_size;
	struct ksem started; /* posted once kt and the libc slot are set */
	/* Under pthread_state_lock (pthread.c): who frees the descriptor. */
	int detached;                      /* no one joins: the thread frees itself */
	int joining;                       /* pthread_join() has claimed it */
	int exited;                        /* past its last use of the descriptor */
	struct __pthread_cleanup *cleanup; /* pthread_cleanup_push() stack */
	struct pthread_specific specific[PTHREAD_KEYS_MAX];
	struct _reent own_reent;
};

/* The calling thread's descriptor, or NULL for a kernel thread libc never saw. */
static inline struct __pthread *pthread_current(void)
{
	struct thread *t = thread_self();
	return t ? thread_libc_data(t) : NULL;
}

/* Runs the key destructors of the calling thread (pthread_key.c). */
void pthread_keys_destruct(struct __pthread *self);

/*
 * Turns an absolute time on clock (CLOCK_REALTIME or CLOCK_MONOTONIC) into a
 * kernel deadline: monotonic nanoseconds, 0 meaning never.  0 or EINVAL.
 */
int pthread_deadline(clockid_t clock, const struct timespec *abstime, uint64_t *deadline);
/* 1 once clock has reached abstime: ETIMEDOUT may be reported. */
int pthread_deadline_reached(clockid_t clock, const struct timespec *abstime);

#endif
