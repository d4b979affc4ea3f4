/*
 * POSIX mutexes, condition variables, read-write locks, spin locks, barriers
 * and pthread_once, over the kernel's kmutex and kcond (kernel/sync.h).
 *
 * The pthread types hold the kernel objects in place (sys/_pthreadtypes.h):
 * an all-zero object is an unlocked kmutex / an empty kcond, which is what
 * the static initializers give.  Ownership checks use the kernel's owner, so
 * a bad unlock returns EPERM instead of reaching a kernel assertion.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <kernel/console.h>
#include <kernel/time.h>
#include "pthread_impl.h"

#define NSEC 1000000000ULL

_Static_assert(sizeof(struct __toro_kmutex) == sizeof(struct kmutex) &&
                   offsetof(struct __toro_kmutex, __owner) == offsetof(struct kmutex, owner),
               "pthread_mutex_t storage does not match struct kmutex");
_Static_assert(sizeof(struct __toro_kcond) == sizeof(struct kcond),
               "pthread_cond_t storage does not match struct kcond");

/* The kernel objects inside the pthread types. */
static struct kmutex *kmutex_of(struct __toro_kmutex *m)
{
	return (struct kmutex *)m;
}

static struct kcond *kcond_of(struct __toro_kcond *c)
{
	return (struct kcond *)c;
}

/* ---- deadlines ---- */

static uint64_t clock_now_ns(clockid_t clock)
{
	return clock == CLOCK_MONOTONIC ? time_monotonic_ns() : time_realtime_ns();
}

int pthread_deadline(clockid_t clock, const struct timespec *abstime, uint64_t *deadline)
{
	if (!abstime || abstime->tv_nsec < 0 || (uint64_t)abstime->tv_nsec >= NSEC)
		return EINVAL;
	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC)
		return EINVAL;
	uint64_t now = clock_now_ns(clock);
	uint64_t mono = time_monotonic_ns();
	if (abstime->tv_sec < 0) {
		*deadline = mono ? mono : 1; /* long past */
		return 0;
	}
	if ((uint64_t)abstime->tv_sec >= (UINT64_MAX - NSEC) / NSEC) {
		*deadline = 0; /* beyond the clock's range: never */
		return 0;
	}
	uint64_t at = (uint64_t)abstime->tv_sec * NSEC + (uint64_t)abstime->tv_nsec;
	if (at <= now)
		*deadline = mono ? mono : 1;
	else if (at - now > UINT64_MAX - mono)
		*deadline = 0;
	else
		*deadline = mono + (at - now);
	return 0;
}

int pthread_deadline_reached(clockid_t clock, const struct timespec *abstime)
{
	if (abstime->tv_sec < 0)
		return 1;
	uint64_t at = (uint64_t)abstime->tv_sec * NSEC + (uint64_t)abstime->tv_nsec;
	return clock_now_ns(clock) >= at;
}

/* ---- mutexes ---- */

static int mutex_type_valid(int type)
{
	return type == PTHREAD_MUTEX_NORMAL || type == PTHREAD_MUTEX_RECURSIVE ||
	       type == PTHREAD_MUTEX_ERRORCHECK;
}

int pthread_mutexattr_init(pthread_mutexattr_t *attr)
{
	if (!attr)
		return EINVAL;
	attr->__initialized = 1;
	attr->__type = PTHREAD_MUTEX_DEFAULT;
	attr->__pshared = PTHREAD_PROCESS_PRIVATE;
	attr->__protocol = PTHREAD_PRIO_NONE;
	return 0;
}

int pthread_mutexattr_destroy(pthread_mutexattr_t *attr)
{
	if (!attr || !attr->__initialized)
		return EINVAL;
	attr->__initialized = 0;
	return 0;
}

int pthread_mutexattr_gettype(const pthread_mutexattr_t *attr, int *type)
{
	if (!attr || !attr->__initialized || !type)
		return EINVAL;
	*type = attr->__type;
	return 0;
}

int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type)
{
	if (!attr || !attr->__initialized || !mutex_type_valid(type))
		return EINVAL;
	attr->__type = type;
	return 0;
}

int pthread_mutexattr_getpshared(const pthread_mutexattr_t *attr, int *pshared)
{
	if (!attr || !attr->__initialized || !pshared)
		return EINVAL;
	*pshared = attr->__pshared;
	return 0;
}

/* One process: a shared mutex is a private one. */
int pthread_mutexattr_setpshared(pthread_mutexattr_t *attr, int pshared)
{
	if (!attr || !attr->__initialized ||
	    (pshared != PTHREAD_PROCESS_PRIVATE && pshared != PTHREAD_PROCESS_SHARED))
		return EINVAL;
	attr->__pshared = pshared;
	return 0;
}

int pthread_mutexattr_getprotocol(const pthread_mutexattr_t *attr, int *protocol)
{
	if (!attr || !attr->__initialized || !protocol)
		return EINVAL;
	*protocol = attr->__protocol;
	return 0;
}

/* Priority inheritance and ceilings are not implemented. */
int pthread_mutexattr_setprotocol(pthread_mutexattr_t *attr, int protocol)
{
	if (!attr || !attr->__initialized)
		return EINVAL;
	if (protocol == PTHREAD_PRIO_INHERIT || protocol == PTHREAD_PRIO_PROTECT)
		return ENOTSUP;
	if (protocol != PTHREAD_PRIO_NONE)
		return EINVAL;
	attr->__protocol = protocol;
	return 0;
}

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr)
{
	if (!m || (attr && !attr->__initialized))
		return EINVAL;
	kmutex_init(kmutex_of(&m->__kmutex));
	m->__type = attr ? attr->__type : PTHREAD_MUTEX_DEFAULT;
	m->__count = 0;
	return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
	if (!m || !mutex_type_valid(m->__type))
		return EINVAL;
	if (__atomic_load_n(&kmutex_of(&m->__kmutex)->owner, __ATOMIC_RELAXED))
		return EBUSY;
	m->__type = -1;
	return 0;
}

/* A NORMAL mutex locked again by its owner deadlocks, as POSIX says; say so once. */
static void mutex_deadlock(void)
{
	kprintf("toro: thread %d locked a normal mutex it holds: deadlock\n",
	        thread_id(thread_self()));
	for (;;)
		thread_sleep_ns(UINT64_MAX / 2);
}

/* The caller holds m already; deadline as for the kernel (0: never). */
static int mutex_relock(pthread_mutex_t *m, uint64_t deadline)
{
	switch (m->__type) {
	case PTHREAD_MUTEX_RECURSIVE:
		if (m->__count == UINT_MAX)
			return EAGAIN;
		m->__count++;
		return 0;
	case PTHREAD_MUTEX_ERRORCHECK:
		return EDEADLK;
	default:
		if (!deadline)
			mutex_deadlock();
		thread_sleep_until(deadline);
		return ETIMEDOUT;
	}
}

/* Locks m, waiting until deadline (0: never); 0, ETIMEDOUT, EDEADLK or EAGAIN. */
static int mutex_lock_until(pthread_mutex_t *m, uint64_t deadline)
{
	struct kmutex *km = kmutex_of(&m->__kmutex);
	if (kmutex_held(km))
		return mutex_relock(m, deadline);
	if (!deadline)
		kmutex_lock(km);
	else if (kmutex_lock_until(km, deadline) < 0)
		return ETIMEDOUT;
	m->__count = 1;
	return 0;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
	if (!m || !mutex_type_valid(m->__type))
		return EINVAL;
	return mutex_lock_until(m, 0);
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
	if (!m || !mutex_type_valid(m->__type))
		return EINVAL;
	struct kmutex *km = kmutex_of(&m->__kmutex);
	if (kmutex_held(km))
		return m->__type == PTHREAD_MUTEX_RECURSIVE ? mutex_relock(m, 0) : EBUSY;
	if (kmutex_trylock(km) < 0)
		return EBUSY;
	m->__count = 1;
	return 0;
}

/* As POSIX says, the time is not looked at when the mutex is free. */
int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abstime)
{
	uint64_t deadline;
	int err = pthread_mutex_trylock(m);
	if (err != EBUSY)
		return err;
	if (m->__type == PTHREAD_MUTEX_ERRORCHECK && kmutex_held(kmutex_of(&m->__kmutex)))
		return EDEADLK;
	do {
		err = pthread_deadline(CLOCK_REALTIME, abstime, &deadline);
		if (err)
			return err;
		err = mutex_lock_until(m, deadline);
	} while (err == ETIMEDOUT && !pthread_deadline_reached(CLOCK_REALTIME, abstime));
	return err;
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
	if (!m || !mutex_type_valid(m->__type))
		return EINVAL;
	struct kmutex *km = kmutex_of(&m->__kmutex);
	if (!kmutex_held(km))
		return EPERM;
	if (m->__type == PTHREAD_MUTEX_RECURSIVE && --m->__count > 0)
		return 0;
	m->__count = 0;
	kmutex_unlock(km);
	return 0;
}

/* ---- condition variables ---- */

int pthread_condattr_init(pthread_condattr_t *attr)
{
	if (!attr)
		return EINVAL;
	attr->__initialized = 1;
	attr->__monotonic = 0;
	attr->__pshared = PTHREAD_PROCESS_PRIVATE;
	return 0;
}

int pthread_condattr_destroy(pthread_condattr_t *attr)
{
	if (!attr || !attr->__initialized)
		return EINVAL;
	attr->__initialized = 0;
	return 0;
}

int pthread_condattr_getclock(const pthread_condattr_t *attr, clockid_t *clock)
{
	if (!attr || !attr->__initialized || !clock)
		return EINVAL;
	*clock = attr->__monotonic ? CLOCK_MONOTONIC : CLOCK_REALTIME;
	return 0;
}

int pthread_condattr_setclock(pthread_condattr_t *attr, clockid_t clock)
{
	if (!attr || !attr->__initialized || (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC))
		return EINVAL;
	attr->__monotonic = clock == CLOCK_MONOTONIC;
	return 0;
}

int pthread_condattr_getpshared(const pthread_condattr_t *attr, int *pshared)
{
	if (!attr || !attr->__initialized || !pshared)
		return EINVAL;
	*pshared = attr->__pshared;
	return 0;
}

int pthread_condattr_setpshared(pthread_condattr_t *attr, int pshared)
{
	if (!attr || !attr->__initialized ||
	    (pshared != PTHREAD_PROCESS_PRIVATE && pshared != PTHREAD_PROCESS_SHARED))
		return EINVAL;
	attr->__pshared = pshared;
	return 0;
}

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr)
{
	if (!c || (attr && !attr->__initialized))
		return EINVAL;
	kcond_init(kcond_of(&c->__kcond));
	c->__monotonic = attr ? attr->__monotonic : 0;
	return 0;
}

int pthread_cond_destroy(pthread_cond_t *c)
{
	if (!c)
		return EINVAL;
	if (__atomic_load_n(&kcond_of(&c->__kcond)->waiters.head, __ATOMIC_RELAXED))
		return EBUSY;
	return 0;
}

/* The kernel releases the kmutex whatever the recursion count; keep the count. */
static int cond_wait_until(pthread_cond_t *c, pthread_mutex_t *m, uint64_t deadline)
{
	if (!c || !m || !mutex_type_valid(m->__type))
		return EINVAL;
	if (!kmutex_held(kmutex_of(&m->__kmutex)))
		return EPERM;
	unsigned int count = m->__count;
	int r = kcond_wait(kcond_of(&c->__kcond), kmutex_of(&m->__kmutex), deadline);
	m->__count = count;
	return r == -ETIMEDOUT ? ETIMEDOUT : 0;
}

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	return cond_wait_until(c, m, 0);
}

/* A wake-up before abstime on the caller's clock counts as a spurious one. */
int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime)
{
	uint64_t deadline;
	if (!c)
		return EINVAL;
	clockid_t clock = c->__monotonic ? CLOCK_MONOTONIC : CLOCK_REALTIME;
	int err = pthread_deadline(clock, abstime, &deadline);
	if (err)
		return err;
	err = cond_wait_until(c, m, deadline);
	if (err == ETIMEDOUT && !pthread_deadline_reached(clock, abstime))
		return 0;
	return err;
}

int pthread_cond_signal(pthread_cond_t *c)
{
	if (!c)
		return EINVAL;
	kcond_signal(kcond_of(&c->__kcond));
	return 0;
}

int pthread_cond_broadcast(pthread_cond_t *c)
{
	if (!c)
		return EINVAL;
	kcond_broadcast(kcond_of(&c->__kcond));
	return 0;
}

/* ---- once ---- */

enum { ONCE_NEW, ONCE_RUNNING, ONCE_DONE };

static struct kmutex once_lock = KMUTEX_INIT;
static struct kcond once_done = KCOND_INIT;

int pthread_once(pthread_once_t *once, void (*fn)(void))
{
	if (!once || !fn)
		return EINVAL;
	if (__atomic_load_n(&once->__state, __ATOMIC_ACQUIRE) == ONCE_DONE)
		return 0;
	kmutex_lock(&once_lock);
	while (once->__state == ONCE_RUNNING)
		kcond_wait(&once_done, &once_lock, 0);
	if (once->__state == ONCE_DONE) {
		kmutex_unlock(&once_lock);
		return 0;
	}
	once->__state = ONCE_RUNNING;
	kmutex_unlock(&once_lock);
	fn();
	kmutex_lock(&once_lock);
	/* Release: a thread that sees DONE without the lock sees what fn() wrote. */
	__atomic_store_n(&once->__state, ONCE_DONE, __ATOMIC_RELEASE);
	kcond_broadcast(&once_done);
	kmutex_unlock(&once_lock);
	return 0;
}
