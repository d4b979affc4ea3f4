/*
 * Many threads: 1000 created and joined in batches; then threads with 1 MiB
 * stacks, all blocked, until pthread_create() says EAGAIN; after they are
 * released and joined, threads and malloc work again.  Run with -m 32M.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>
#include "vmtest.h"

#define TOTAL       1000
#define BATCH       50
#define MAX_BLOCKED 4096

static int ran;

static void *count_me(void *arg)
{
	__atomic_add_fetch(&ran, 1, __ATOMIC_RELAXED);
	return arg;
}

static void check_thousand(void)
{
	pthread_t t[BATCH];
	int joined_ok = 1;
	for (int done = 0; done < TOTAL; done += BATCH) {
		for (long i = 0; i < BATCH; i++)
			CHECK("create-batch", 1,
			      pthread_create(&t[i], NULL, count_me, (void *)i) == 0);
		for (long i = 0; i < BATCH; i++) {
			void *ret;
			joined_ok &= pthread_join(t[i], &ret) == 0 && ret == (void *)i;
		}
	}
	CHECK("thousand-joined", 2, joined_ok);
	CHECK("thousand-ran", 3, ran == TOTAL);
}

static sem_t release;

static void *blocked(void *arg)
{
	sem_wait(&release);
	return arg;
}

static pthread_t blocked_threads[MAX_BLOCKED];

static int create_until_eagain(int *err)
{
	pthread_attr_t a;
	int n = 0;
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 1 << 20);
	while (n < MAX_BLOCKED) {
		*err = pthread_create(&blocked_threads[n], &a, blocked, (void *)(long)n);
		if (*err)
			break;
		n++;
	}
	pthread_attr_destroy(&a);
	return n;
}

static void check_exhaustion(void)
{
	int err = 0;
	sem_init(&release, 0, 0);
	int n = create_until_eagain(&err);
	printf("created %d threads with 1 MiB stacks, then error %d\n", n, err);
	CHECK("exhaustion-eagain", 10, err == EAGAIN);
	CHECK("exhaustion-some", 11, n > 4 && n < MAX_BLOCKED);
	for (int i = 0; i < n; i++)
		sem_post(&release);
	int joined_ok = 1;
	for (long i = 0; i < n; i++) {
		void *ret;
		joined_ok &= pthread_join(blocked_threads[i], &ret) == 0 && ret == (void *)i;
	}
	CHECK("exhaustion-joined", 12, joined_ok);

	pthread_attr_t a;
	pthread_t t;
	void *ret;
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 1 << 20);
	CHECK("create-after", 13, pthread_create(&t, &a, count_me, (void *)7) == 0);
	CHECK("join-after", 14, pthread_join(t, &ret) == 0 && ret == (void *)7);
	char *p = malloc(64 * 1024);
	CHECK("malloc-after", 15, p != NULL);
	memset(p, 1, 64 * 1024);
	free(p);
	/* and the same again: nothing leaked that stops a second round */
	int n2 = create_until_eagain(&err);
	printf("second round: %d threads\n", n2);
	CHECK("exhaustion-again", 16, err == EAGAIN && n2 >= n - 2);
	for (int i = 0; i < n2; i++)
		sem_post(&release);
	for (int i = 0; i < n2; i++)
		pthread_join(blocked_threads[i], NULL);
}

int main(void)
{
	check_thousand();
	check_exhaustion();
	return vmtest_success();
}
