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
#include <kernel/thread.h>

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
/* 0, or -EBUSY if another thread holds it. */
int kmutex_trylock(struct kmutex *m);
/* 0, or -ETIMEDOUT. */
int kmutex_lock_until(struct kmutex *m, uint64_t deadline_ns);
/* The out-of-line halves of kmutex_lock() and kmutex_unlock() (sync.c). */
void kmutex_lock_slow(struct kmutex *m);
void kmutex_unlock_unheld(struct kmutex *m) __attribute__((noreturn));
void kmutex_wake_waiter(struct kmutex *m);

/*
 * owner is the lock word.  Taking a free mutex is a compare-and-swap and
 * releasing one nobody waits for is a store, inline and with interrupts left
 * on: newlib takes the malloc lock twice per allocation.  The releaser clears
 * owner before it looks at the queue (a seq_cst store), and a waiter retries
 * the swap after it queued (sync.c), so no release is missed.
 */
static inline void kmutex_lock(struct kmutex *m)
{
	struct thread *free_ = NULL;
	if (!__atomic_compare_exchange_n(&m->owner, &free_, thread_self(), 0, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED))
		kmutex_lock_slow(m);
}

static inline void kmutex_unlock(struct kmutex *m)
{
	if (__builtin_expect(m->owner != thread_self(), 0))
		kmutex_unlock_unheld(m);
	__atomic_store_n(&m->owner, NULL, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&m->waiters.head, __ATOMIC_RELAXED))
		kmutex_wake_waiter(m);
}
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
