/*
 * newlib's retargetable locks (sys/lock.h), over the kernel's kmutex:
 * malloc, stdio streams, atexit, environ, time zone... are thread-safe.
 *
 * newlib's own lock.o defines the static locks and the functions as no-ops
 * in one archive member, so all of them are defined here, or the link pulls
 * lock.o in too and fails with duplicates.  (The link must also pull this
 * file in before libc.a is searched: x86_64-toro-gcc must pass
 * -u __retarget_lock_acquire_recursive.)  Before the scheduler exists there
 * is one flow of control and no current thread: the locks do nothing then.
 */
#include <stdlib.h>
#include <malloc.h>
#include <sys/lock.h>
#include <kernel/sync.h>
#include <kernel/thread.h>

struct __lock {
	struct kmutex mutex;
	unsigned long depth; /* recursive locks: times the holder has taken it */
	int allocated;       /* by __retarget_lock_init: close frees it */
};

struct __lock __lock___sinit_recursive_mutex = {.mutex = KMUTEX_INIT};
struct __lock __lock___sfp_recursive_mutex = {.mutex = KMUTEX_INIT};
struct __lock __lock___atexit_recursive_mutex = {.mutex = KMUTEX_INIT};
struct __lock __lock___at_quick_exit_mutex = {.mutex = KMUTEX_INIT};
struct __lock __lock___malloc_recursive_mutex = {.mutex = KMUTEX_INIT};
struct __lock __lock___env_recursive_mutex = {.mutex = KMUTEX_INIT};
struct __lock __lock___tz_mutex = {.mutex = KMUTEX_INIT};
struct __lock __lock___dd_hash_mutex = {.mutex = KMUTEX_INIT};
struct __lock __lock___arc4random_mutex = {.mutex = KMUTEX_INIT};

/*
 * Shared by the streams whose lock could not be allocated: correct, if
 * coarser than one lock each.
 */
static struct __lock lock_fallback = {.mutex = KMUTEX_INIT};

void __retarget_lock_init(_LOCK_T *lock)
{
	struct __lock *l = malloc(sizeof(*l));
	if (!l) {
		*lock = &lock_fallback;
		return;
	}
	kmutex_init(&l->mutex);
	l->depth = 0;
	l->allocated = 1;
	*lock = l;
}

void __retarget_lock_init_recursive(_LOCK_T *lock)
{
	__retarget_lock_init(lock);
}

void __retarget_lock_close(_LOCK_T lock)
{
	if (lock && lock->allocated)
		free(lock);
}

void __retarget_lock_close_recursive(_LOCK_T lock)
{
	__retarget_lock_close(lock);
}

/* No current thread yet: early boot, before the scheduler. */
static int lock_early(void)
{
	return thread_self() == NULL;
}

void __retarget_lock_acquire(_LOCK_T lock)
{
	if (!lock_early())
		kmutex_lock(&lock->mutex);
}

/*
 * The try calls return 0 when they took the lock, like pthread_mutex_trylock()
 * and newlib's RTEMS and Linux ports (nothing in newlib's generic code calls them).
 */
int __retarget_lock_try_acquire(_LOCK_T lock)
{
	return lock_early() ? 0 : kmutex_trylock(&lock->mutex) < 0;
}

void __retarget_lock_release(_LOCK_T lock)
{
	if (!lock_early())
		kmutex_unlock(&lock->mutex);
}

/*
 * The mutex's owner is read without holding it: it equals the caller only
 * if the caller itself stored it, so a stale value never looks like ours.
 * NULL self: early boot, before the scheduler.
 */
static int lock_mine(_LOCK_T lock, struct thread *self)
{
	return __atomic_load_n(&lock->mutex.owner, __ATOMIC_RELAXED) == self;
}

void __retarget_lock_acquire_recursive(_LOCK_T lock)
{
	struct thread *self = thread_self();
	if (!self)
		return;
	if (!lock_mine(lock, self))
		kmutex_lock(&lock->mutex);
	lock->depth++;
}

int __retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
	struct thread *self = thread_self();
	if (!self)
		return 0;
	if (!lock_mine(lock, self) && kmutex_trylock(&lock->mutex) < 0)
		return 1;
	lock->depth++;
	return 0;
}

void __retarget_lock_release_recursive(_LOCK_T lock)
{
	if (lock_early() || --lock->depth > 0)
		return;
	kmutex_unlock(&lock->mutex);
}

/*
 * newlib's own __malloc_lock() (mlock.c) calls the function above; defining
 * it here saves a call on each of the two lock operations of every
 * allocation.  locks.o is linked before libc.a is searched (see the top), so
 * mlock.o is never pulled in.
 */
void __malloc_lock(struct _reent *r)
{
	(void)r;
	__retarget_lock_acquire_recursive(&__lock___malloc_recursive_mutex);
}

void __malloc_unlock(struct _reent *r)
{
	(void)r;
	__retarget_lock_release_recursive(&__lock___malloc_recursive_mutex);
}
