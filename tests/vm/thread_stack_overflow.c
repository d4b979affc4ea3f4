/* Unbounded recursion in a named thread hits its guard page; the report names the thread. */
#include <pthread.h>
#include "vmtest.h"

#pragma GCC diagnostic ignored "-Winfinite-recursion"

__attribute__((noinline)) static int recurse(int n)
{
	volatile char pad[512];
	pad[0] = (char)n;
	return recurse(n + 1) + pad[0];
}

static void *deep(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "deep-diver");
	printf("recursing in a thread\n");
	fflush(stdout);
	return (void *)(long)recurse(0);
}

int main(void)
{
	pthread_t t;
	CHECK("create", 1, pthread_create(&t, NULL, deep, NULL) == 0);
	pthread_join(t, NULL);
	printf("the overflow was not caught\n");
	return 2;
}
