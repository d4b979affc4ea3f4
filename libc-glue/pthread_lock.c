/*
 * POSIX read-write locks, spin locks and barriers.
 *
 * Read-write locks prefer writers: once a writer waits, new readers wait
 * too, so a stream of readers cannot starve it.  (A thread that takes a read
 * lock again while a writer waits therefore waits as well.)
 *
 * Spin locks: with one CPU, spinning cannot help the holder finish, so a
 * waiter yields the CPU, and after a while sleeps so that a holder of lower
 * priority gets to run too.
 */
#include <errno.h>
#include <limits.h>
#include "pthread_impl.h"

static struct kmutex *kmutex_of(struct __toro_kmutex *m)
{
	return (struct kmutex *)m;
}

static struct kcond *kcond_of(struct __toro_kcond *c)
{
	return (struct kcond *)c;
}

/* ---- read-write locks ---- */

int pthread_rwlockattr_init(pthread_rwlockattr_t *attr)
{
	if (!attr)
		return EINVAL;
	attr->__initialized = 1;
	attr->__pshared = PTHREAD_PROCESS_PRIVATE;
	return 0;
}

int pthread_rwlockattr_destroy(pthread_rwlockattr_t *attr)
{
	if (!attr || !attr->__initialized)
		return EINVAL;
	attr->__initialized = 0;
	return 0;
}

int pthread_rwlockattr_getpshared(const pthread_rwlockattr_t *attr, int *pshared)
{
	if (!attr || !attr->__initialized || !pshared)
		return EINVAL;
	*pshared = attr->__pshared;
	return 0;
}

int pthread_rwlockattr_setpshared(pthread_rwlockattr_t *attr, int pshared)
{
	if (!attr || !attr->__initialized ||
	    (pshared != PTHREAD_PROCESS_PRIVATE && pshared != PTHREAD_PROCESS_SHARED))
		return EINVAL;
	attr->__pshared = pshared;
	return 0;
}

int pthread_rwlock_init(pthread_rwlock_t *rw, const pthread_rwlockattr_t *attr)
{
	if (!rw || (attr && !attr->__initialized))
		return EINVAL;
	kmutex_init(kmutex_of(&rw->__lock));
	kcond_init(kcond_of(&rw->__readers));
	kcond_init(kcond_of(&rw->__writers));
	rw->__writer = NULL;
	rw->__nreaders = rw->__wwaiting = 0;
	rw->__destroyed = 0;
	return 0;
}

int pthread_rwlock_destroy(pthread_rwlock_t *rw)
{
	if (!rw || rw->__destroyed)
		return EINVAL;
	int err = 0;
	kmutex_lock(kmutex_of(&rw->__lock));
	if (rw->__writer || rw->__nreaders || rw->__wwaiting)
		err = EBUSY;
	else
		rw->__destroyed = 1;
	kmutex_unlock(kmutex_of(&rw->__lock));
	return err;
}

/* Waits on c with rw's lock held; 0 or ETIMEDOUT. */
static int rwlock_sleep(pthread_rwlock_t *rw, struct __toro_kcond *c, uint64_t deadline)
{
	return kcond_wait(kcond_of(c), kmutex_of(&rw->__lock), deadline) < 0 ? ETIMEDOUT : 0;
}

/* try: fail with EBUSY instead of waiting; deadline as for the kernel (0: never). */
static int rwlock_rdlock(pthread_rwlock_t *rw, int try, uint64_t deadline)
{
	if (!rw || rw->__destroyed)
		return EINVAL;
	int err = 0;
	kmutex_lock(kmutex_of(&rw->__lock));
	if (rw->__writer == thread_self())
		err = EDEADLK;
	while (!err && (rw->__writer || rw->__wwaiting))
		err = try ? EBUSY : rwlock_sleep(rw, &rw->__readers, deadline);
	if (!err && rw->__nreaders == UINT_MAX)
		err = EAGAIN;
	if (!err)
		rw->__nreaders++;
	kmutex_unlock(kmutex_of(&rw->__lock));
	return err;
}

/* A writer gave up waiting: readers it kept out may go on. */
static void rwlock_writer_gave_up(pthread_rwlock_t *rw)
{
	if (--rw->__wwaiting == 0 && !rw->__writer)
		kcond_broadcast(kcond_of(&rw->__readers));
}

static int rwlock_wrlock(pthread_rwlock_t *rw, int try, uint64_t deadline)
{
	if (!rw || rw->__destroyed)
		return EINVAL;
	int err = 0;
	kmutex_lock(kmutex_of(&rw->__lock));
	if (rw->__writer == thread_self())
		err = EDEADLK;
	else if (try && (rw->__writer || rw->__nreaders))
		err = EBUSY;
	rw->__wwaiting++;
	while (!err && (rw->__writer || rw->__nreaders))
		err = rwlock_sleep(rw, &rw->__writers, deadline);
	if (err) {
		rwlock_writer_gave_up(rw);
	} else {
		rw->__wwaiting--;
		rw->__writer = thread_self();
	}
	kmutex_unlock(kmutex_of(&rw->__lock));
	return err;
}

int pthread_rwlock_rdlock(pthread_rwlock_t *rw)
{
	return rwlock_rdlock(rw, 0, 0);
}

int pthread_rwlock_tryrdlock(pthread_rwlock_t *rw)
{
	return rwlock_rdlock(rw, 1, 0);
}

int pthread_rwlock_wrlock(pthread_rwlock_t *rw)
{
	return rwlock_wrlock(rw, 0, 0);
}

int pthread_rwlock_trywrlock(pthread_rwlock_t *rw)
{
	return rwlock_wrlock(rw, 1, 0);
}

/* Retries while a kernel timeout comes before abstime on CLOCK_REALTIME. */
static int rwlock_timed(pthread_rwlock_t *rw, const struct timespec *abstime,
                        int (*lock)(pthread_rwlock_t *, int, uint64_t))
{
	uint64_t deadline;
	int err = lock(rw, 1, 0);
	if (err != EBUSY)
		return err;
	do {
		err = pthread_deadline(CLOCK_REALTIME, abstime, &deadline);
		if (err)
			return err;
		err = lock(rw, 0, deadline);
	} while (err == ETIMEDOUT && !pthread_deadline_reached(CLOCK_REALTIME, abstime));
	return err;
}

int pthread_rwlock_timedrdlock(pthread_rwlock_t *rw, const struct timespec *abstime)
{
	return rwlock_timed(rw, abstime, rwlock_rdlock);
}

int pthread_rwlock_timedwrlock(pthread_rwlock_t *rw, const struct timespec *abstime)
{
	return rwlock_timed(rw, abstime, rwlock_wrlock);
}

/* A waiting writer goes first; with none, all waiting readers go. */
int pthread_rwlock_unlock(pthread_rwlock_t *rw)
{
	if (!rw || rw->__destroyed)
		return EINVAL;
	int err = 0;
	kmutex_lock(kmutex_of(&rw->__lock));
	if (rw->__writer == thread_self())
		rw->__writer = NULL;
	else if (rw->__nreaders > 0 && !rw->__writer)
		rw->__nreaders--;
	else
		err = EPERM;
	if (!err && !rw->__writer && rw->__nreaders == 0) {
		if (rw->__wwaiting)
			kcond_signal(kcond_of(&rw->__writers));
		else
			kcond_broadcast(kcond_of(&rw->__readers));
	}
	kmutex_unlock(kmutex_of(&rw->__lock));
	return err;
}

/* ---- spin locks ---- */

#define SPIN_YIELDS   100          /* yields before a waiter starts to sleep */
#define SPIN_SLEEP_NS (100 * 1000) /* lets a holder of lower priority run */

int pthread_spin_init(pthread_spinlock_t *lock, int pshared)
{
	if (!lock || (pshared != PTHREAD_PROCESS_PRIVATE && pshared != PTHREAD_PROCESS_SHARED))
		return EINVAL;
	__atomic_store_n(lock, 0, __ATOMIC_RELEASE);
	return 0;
}

int pthread_spin_destroy(pthread_spinlock_t *lock)
{
	if (!lock)
		return EINVAL;
	return __atomic_load_n(lock, __ATOMIC_RELAXED) ? EBUSY : 0;
}

int pthread_spin_trylock(pthread_spinlock_t *lock)
{
	if (!lock)
		return EINVAL;
	int me = thread_id(thread_self());
	int free_ = 0;
	/* Acquire: the holder's writes before its unlock are seen after this. */
	if (__atomic_compare_exchange_n(lock, &free_, me, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return 0;
	return free_ == me ? EDEADLK : EBUSY;
}

int pthread_spin_lock(pthread_spinlock_t *lock)
{
	int err;
	for (unsigned int n = 0; (err = pthread_spin_trylock(lock)) == EBUSY; n++) {
		if (n < SPIN_YIELDS)
			thread_yield();
		else
			thread_sleep_ns(SPIN_SLEEP_NS);
	}
	return err;
}

int pthread_spin_unlock(pthread_spinlock_t *lock)
{
	if (!lock)
		return EINVAL;
	if (__atomic_load_n(lock, __ATOMIC_RELAXED) != thread_id(thread_self()))
		return EPERM;
	/* Release: orders the critical section's writes before the lock is seen free. */
	__atomic_store_n(lock, 0, __ATOMIC_RELEASE);
	return 0;
}

/* ---- barriers ---- */

int pthread_barrierattr_init(pthread_barrierattr_t *attr)
{
	if (!attr)
		return EINVAL;
	attr->__initialized = 1;
	attr->__pshared = PTHREAD_PROCESS_PRIVATE;
	return 0;
}

int pthread_barrierattr_destroy(pthread_barrierattr_t *attr)
{
	if (!attr || !attr->__initialized)
		return EINVAL;
	attr->__initialized = 0;
	return 0;
}

int pthread_barrierattr_getpshared(const pthread_barrierattr_t *attr, int *pshared)
{
	if (!attr || !attr->__initialized || !pshared)
		return EINVAL;
	*pshared = attr->__pshared;
	return 0;
}

int pthread_barrierattr_setpshared(pthread_barrierattr_t *attr, int pshared)
{
	if (!attr || !attr->__initialized ||
	    (pshared != PTHREAD_PROCESS_PRIVATE && pshared != PTHREAD_PROCESS_SHARED))
		return EINVAL;
	attr->__pshared = pshared;
	return 0;
}

int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *attr,
                         unsigned int count)
{
	if (!b || count == 0 || (attr && !attr->__initialized))
		return EINVAL;
	kmutex_init(kmutex_of(&b->__lock));
	kcond_init(kcond_of(&b->__cond));
	b->__count = count;
	b->__waiting = 0;
	b->__generation = 0;
	return 0;
}

int pthread_barrier_destroy(pthread_barrier_t *b)
{
	if (!b || b->__count == 0)
		return EINVAL;
	int err = 0;
	kmutex_lock(kmutex_of(&b->__lock));
	if (b->__waiting)
		err = EBUSY;
	else
		b->__count = 0;
	kmutex_unlock(kmutex_of(&b->__lock));
	return err;
}

/* The last thread to arrive opens the barrier and gets PTHREAD_BARRIER_SERIAL_THREAD. */
int pthread_barrier_wait(pthread_barrier_t *b)
{
	if (!b || b->__count == 0)
		return EINVAL;
	int ret = 0;
	kmutex_lock(kmutex_of(&b->__lock));
	unsigned int gen = b->__generation;
	if (++b->__waiting == b->__count) {
		b->__generation++;
		b->__waiting = 0;
		kcond_broadcast(kcond_of(&b->__cond));
		ret = PTHREAD_BARRIER_SERIAL_THREAD;
	}
	while (gen == b->__generation)
		kcond_wait(kcond_of(&b->__cond), kmutex_of(&b->__lock), 0);
	kmutex_unlock(kmutex_of(&b->__lock));
	return ret;
}
