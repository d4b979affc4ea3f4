/*
 * Sleeping synchronization for threads: wait queues, mutexes, condition
 * variables and counting semaphores.  Deadlines are absolute times of the
 * monotonic clock in nanoseconds (time_monotonic_ns()); 0 means "forever".
 * None of these may be used from interrupt context except ksem_post() and
 * waitq_wake_*().
 */
#ifndef KERNEL_SYNC_H
#define KERNEL_SYNC_H

#include <stdint.h>

struct thread;

/* A FIFO of sleeping threads. */
struct waitq {
	struct thread *head, *tail;
};

#define WAITQ_INIT {NULL, NULL}

/* A non-recursive sleeping mutex. */
struct kmutex {
	struct thread *owner;
	struct waitq waiters;
};

#define KMUTEX_INIT {NULL, WAITQ_INIT}

void kmutex_init(struct kmutex *m);
void kmutex_lock(struct kmutex *m);
/* 0, or -EBUSY if another thread holds it. */
int kmutex_trylock(struct kmutex *m);
/* 0, or -ETIMEDOUT. */
int kmutex_lock_until(struct kmutex *m, uint64_t deadline_ns);
void kmutex_unlock(struct kmutex *m);
/* Returns 1 if the calling thread holds m. */
int kmutex_held(const struct kmutex *m);

struct kcond {
	struct waitq waiters;
};

#define KCOND_INIT {WAITQ_INIT}

void kcond_init(struct kcond *c);
/*
 * Atomically releases m and sleeps until signalled or the deadline passes,
 * then takes m again.  0 or -ETIMEDOUT.  Spurious wake-ups do not happen,
 * but callers should loop on their predicate anyway, as POSIX says.
 */
int kcond_wait(struct kcond *c, struct kmutex *m, uint64_t deadline_ns);
void kcond_signal(struct kcond *c);
void kcond_broadcast(struct kcond *c);

struct ksem {
	long count;
	struct waitq waiters;
};

void ksem_init(struct ksem *s, long count);
/* 0, or -ETIMEDOUT. */
int ksem_wait(struct ksem *s, uint64_t deadline_ns);
/* 0, or -EAGAIN if the count is 0. */
int ksem_trywait(struct ksem *s);
/* Safe from interrupt context. */
void ksem_post(struct ksem *s);
long ksem_value(const struct ksem *s);

#endif
