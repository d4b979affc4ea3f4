/*
 * POSIX unnamed semaphores over the kernel's ksem.  Unlike the pthread
 * calls, these set errno and return -1, as POSIX says.
 */
#include <errno.h>
#include <semaphore.h>
#include <stddef.h>
#include "glue.h"
#include "pthread_impl.h"

_Static_assert(sizeof(struct __toro_ksem) == sizeof(struct ksem) &&
                   offsetof(struct __toro_ksem, __waiters) == offsetof(struct ksem, waiters),
               "sem_t storage does not match struct ksem");

static struct ksem *ksem_of(sem_t *sem)
{
	return (struct ksem *)&sem->__ksem;
}

static int sem_valid(sem_t *sem)
{
	return sem && !sem->__destroyed;
}

int sem_init(sem_t *sem, int pshared, unsigned int value)
{
	if (!sem || value > SEM_VALUE_MAX)
		return (int)glue_ret(-EINVAL);
	ksem_init(ksem_of(sem), (long)value);
	sem->__destroyed = 0;
	return 0;
}

int sem_destroy(sem_t *sem)
{
	if (!sem_valid(sem))
		return (int)glue_ret(-EINVAL);
	if (__atomic_load_n(&ksem_of(sem)->waiters.head, __ATOMIC_RELAXED))
		return (int)glue_ret(-EBUSY);
	sem->__destroyed = 1;
	return 0;
}

int sem_wait(sem_t *sem)
{
	if (!sem_valid(sem))
		return (int)glue_ret(-EINVAL);
	return (int)glue_ret(ksem_wait(ksem_of(sem), 0));
}

int sem_trywait(sem_t *sem)
{
	if (!sem_valid(sem))
		return (int)glue_ret(-EINVAL);
	return (int)glue_ret(ksem_trywait(ksem_of(sem)) < 0 ? -EAGAIN : 0);
}

/* ETIMEDOUT only once CLOCK_REALTIME has reached abstime. */
int sem_timedwait(sem_t *sem, const struct timespec *abstime)
{
	uint64_t deadline;
	int r;
	if (!sem_valid(sem))
		return (int)glue_ret(-EINVAL);
	if (ksem_trywait(ksem_of(sem)) == 0)
		return 0;
	do {
		int err = pthread_deadline(CLOCK_REALTIME, abstime, &deadline);
		if (err)
			return (int)glue_ret(-err);
		r = ksem_wait(ksem_of(sem), deadline);
	} while (r == -ETIMEDOUT && !pthread_deadline_reached(CLOCK_REALTIME, abstime));
	return (int)glue_ret(r);
}

int sem_post(sem_t *sem)
{
	if (!sem_valid(sem))
		return (int)glue_ret(-EINVAL);
	if (ksem_value(ksem_of(sem)) >= SEM_VALUE_MAX)
		return (int)glue_ret(-EOVERFLOW);
	ksem_post(ksem_of(sem));
	return 0;
}

int sem_getvalue(sem_t *sem, int *value)
{
	if (!sem_valid(sem) || !value)
		return (int)glue_ret(-EINVAL);
	long v = ksem_value(ksem_of(sem));
	*value = v > 0 ? (int)v : 0;
	return 0;
}

sem_t *sem_open(const char *name, int oflag, ...)
{
	glue_enosys("sem_open");
	return SEM_FAILED;
}

int sem_close(sem_t *sem)
{
	return glue_enosys("sem_close");
}

int sem_unlink(const char *name)
{
	return glue_enosys("sem_unlink");
}
