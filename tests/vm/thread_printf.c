/*
 * printf from several threads at once: stdout is one stream with a lock,
 * so every line arrives whole (the harness counts them).
 */
#include <pthread.h>
#include <stdio.h>
#include "vmtest.h"

#define NTHREADS 8
#define LINES    100

static pthread_barrier_t start;

static void *printer(void *arg)
{
	int id = (int)(long)arg;
	pthread_barrier_wait(&start);
	for (int i = 0; i < LINES; i++)
		printf("line %d %d %s\n", id, i,
		       "padding-to-make-the-line-long-enough-to-be-preempted");
	fflush(stdout);
	return NULL;
}

int main(void)
{
	pthread_t t[NTHREADS];
	pthread_barrier_init(&start, NULL, NTHREADS);
	for (long i = 0; i < NTHREADS; i++)
		CHECK("create", 1, pthread_create(&t[i], NULL, printer, (void *)i) == 0);
	for (int i = 0; i < NTHREADS; i++)
		CHECK("join", 2, pthread_join(t[i], NULL) == 0);
	fprintf(stderr, "stderr from main after the threads\n");
	return vmtest_success();
}
