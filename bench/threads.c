/*
 * Thread figures, built both as a Toro image and natively on the host:
 *   - context switch: two threads ping-pong on a pair of semaphores;
 *     one round trip is two switches;
 *   - thread create + join latency;
 *   - nanosleep(1 ms) lateness, median and p99.
 * Prints "figure value" lines for bench/threads.sh.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define PINGS	  20000
#define CREATES	  2000
#define SLEEPS	  200

static sem_t ping, pong;

static long long now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void *ponger(void *arg)
{
	for (int i = 0; i < PINGS; i++) {
		sem_wait(&ping);
		sem_post(&pong);
	}
	return arg;
}

static double switch_ns(void)
{
	pthread_t t;
	sem_init(&ping, 0, 0);
	sem_init(&pong, 0, 0);
	pthread_create(&t, NULL, ponger, NULL);
	long long t0 = now_ns();
	for (int i = 0; i < PINGS; i++) {
		sem_post(&ping);
		sem_wait(&pong);
	}
	long long t1 = now_ns();
	pthread_join(t, NULL);
	return (double)(t1 - t0) / (2.0 * PINGS);
}

static void *nothing(void *arg)
{
	return arg;
}

static double create_join_ns(void)
{
	long long t0 = now_ns();
	for (int i = 0; i < CREATES; i++) {
		pthread_t t;
		if (pthread_create(&t, NULL, nothing, NULL) != 0)
			return -1;
		pthread_join(t, NULL);
	}
	return (double)(now_ns() - t0) / CREATES;
}

static int cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

static void sleep_lateness(long long *median, long long *p99)
{
	static long long late[SLEEPS];
	struct timespec ms = {0, 1000000};
	for (int i = 0; i < SLEEPS; i++) {
		long long t0 = now_ns();
		nanosleep(&ms, NULL);
		late[i] = now_ns() - t0 - 1000000;
	}
	qsort(late, SLEEPS, sizeof(late[0]), cmp);
	*median = late[SLEEPS / 2];
	*p99 = late[SLEEPS * 99 / 100];
}

int main(void)
{
	long long med, p99;
	printf("switch_ns %.0f\n", switch_ns());
	printf("create_join_ns %.0f\n", create_join_ns());
	sleep_lateness(&med, &p99);
	printf("sleep_late_median_ns %lld\n", med);
	printf("sleep_late_p99_ns %lld\n", p99);
	return 0;
}
