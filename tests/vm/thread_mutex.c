/*
 * Mutex contention and preemption.  16 threads each add 1 to a shared
 * counter INCREMENTS times under one mutex and the total must be exact.
 * Then threads that never block or yield must not starve the others: main
 * busy-waits for a flag that only another thread sets while a third spins;
 * without a preemptive scheduler this test hangs and the harness times out.
 */
#include <pthread.h>
#include <time.h>
#include "vmtest.h"

#define NTHREADS   16
#define INCREMENTS 100000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static volatile unsigned long counter;
static pthread_barrier_t start;

static void *incrementer(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&start);
	for (int i = 0; i < INCREMENTS; i++) {
		pthread_mutex_lock(&lock);
		counter = counter + 1; /* a read-modify-write that races without the lock */
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void check_contention(void)
{
	pthread_t t[NTHREADS];
	pthread_barrier_init(&start, NULL, NTHREADS + 1);
	for (int i = 0; i < NTHREADS; i++)
		CHECK("create", 1, pthread_create(&t[i], NULL, incrementer, NULL) == 0);
	double t0 = now_s();
	pthread_barrier_wait(&start);
	for (int i = 0; i < NTHREADS; i++)
		CHECK("join", 2, pthread_join(t[i], NULL) == 0);
	printf("%d x %d locked increments in %.2f s\n", NTHREADS, INCREMENTS, now_s() - t0);
	CHECK("exact-sum", 3, counter == (unsigned long)NTHREADS * INCREMENTS);
}

static volatile int stop_spinner, flag;
static volatile unsigned long spins;

static void *spinner(void *arg)
{
	(void)arg;
	while (!stop_spinner)
		spins++;
	return NULL;
}

static void *flag_setter(void *arg)
{
	(void)arg;
	flag = 1;
	return NULL;
}

static void check_preemption(void)
{
	pthread_t s, f;
	CHECK("create-spinner", 10, pthread_create(&s, NULL, spinner, NULL) == 0);
	CHECK("create-setter", 11, pthread_create(&f, NULL, flag_setter, NULL) == 0);
	double t0 = now_s();
	while (!flag)
		; /* neither this loop nor the spinner ever gives up the CPU */
	printf("flag seen after %.3f s, spinner ran %lu loops\n", now_s() - t0, spins);
	unsigned long before = spins;
	t0 = now_s();
	while (now_s() - t0 < 0.1)
		;
	CHECK("spinner-shares-cpu", 12, spins != before);
	stop_spinner = 1;
	CHECK("join", 13, pthread_join(s, NULL) == 0 && pthread_join(f, NULL) == 0);
	CHECK("flag", 14, flag == 1);
}

int main(void)
{
	check_contention();
	check_preemption();
	return vmtest_success();
}
