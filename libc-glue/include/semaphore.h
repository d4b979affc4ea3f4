/*
 * POSIX unnamed semaphores over the kernel's counting semaphore
 * (libc-glue/semaphore.c).  These set errno and return -1 on failure.
 * Named semaphores (sem_open) are not supported: ENOSYS.
 */
#ifndef _TORO_SEMAPHORE_H
#define _TORO_SEMAPHORE_H

#include <sys/types.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SEM_VALUE_MAX 0x7fffffff
#define SEM_FAILED    ((sem_t *)0)

typedef struct {
	struct __toro_ksem __ksem; /* storage for the kernel's struct ksem */
	int __destroyed;
} sem_t;

int sem_init(sem_t *sem, int pshared, unsigned int value);
int sem_destroy(sem_t *sem);
int sem_wait(sem_t *sem);
int sem_trywait(sem_t *sem);
/* abstime is on CLOCK_REALTIME. */
int sem_timedwait(sem_t *sem, const struct timespec *abstime);
int sem_post(sem_t *sem);
int sem_getvalue(sem_t *sem, int *value);

sem_t *sem_open(const char *name, int oflag, ...);
int sem_close(sem_t *sem);
int sem_unlink(const char *name);

#ifdef __cplusplus
}
#endif

#endif
