/*
 * The link takes libc-glue's __getreent and newlib locks, not the no-op
 * defaults in newlib's libc.a (getreent.o, lock.o).  This program names
 * neither stdin/stdout/stderr nor _REENT itself (no vmtest.h), so nothing in
 * it pulls libc-glue's reent.c or locks.c in: only the toolchain can.
 *   1. errno is per thread;
 *   2. while main holds newlib's malloc lock, another thread's malloc waits.
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void check(const char *name, int code, int ok)
{
	printf("TEST %s: %s\n", name, ok ? "OK" : "FAILED");
	if (!ok)
		exit(code);
}

static sem_t errno_set, main_set;

static void *set_errno(void *arg)
{
	(void)arg;
	errno = 1234;
	sem_post(&errno_set);
	sem_wait(&main_set);
	return (void *)(long)errno;
}

static volatile int malloc_done;

static void *do_malloc(void *arg)
{
	(void)arg;
	void *volatile p = malloc(100); /* volatile: the pair must not be optimized away */
	free(p);
	malloc_done = 1;
	return NULL;
}

int main(void)
{
	pthread_t t;
	void *ret;
	sem_init(&errno_set, 0, 0);
	sem_init(&main_set, 0, 0);
	errno = 0;
	pthread_create(&t, NULL, set_errno, NULL);
	sem_wait(&errno_set);
	check("errno-not-shared", 1, errno == 0);
	errno = 99;
	sem_post(&main_set);
	pthread_join(t, &ret);
	check("errno-kept", 2, ret == (void *)1234L && errno == 99);

	__malloc_lock(NULL); /* newlib's recursive malloc lock; it ignores the argument */
	pthread_create(&t, NULL, do_malloc, NULL);
	usleep(50000);
	int waited = !malloc_done;
	__malloc_unlock(NULL);
	pthread_join(t, NULL);
	check("malloc-lock-excludes", 3, waited && malloc_done);
	printf("SUCCESS\n");
	return 0;
}
