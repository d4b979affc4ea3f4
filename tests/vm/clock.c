/* Clocks move forward and sleeps last at least as long as asked. */
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "vmtest.h"

static long long ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

int main(void)
{
	struct timespec a, b, r;
	CHECK("monotonic", 1, clock_gettime(CLOCK_MONOTONIC, &a) == 0);
	CHECK("monotonic-again", 2, clock_gettime(CLOCK_MONOTONIC, &b) == 0 && ns(&b) >= ns(&a));
	struct timespec req = {0, 20 * 1000000};
	CHECK("nanosleep", 3, nanosleep(&req, NULL) == 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("nanosleep(20ms) took %lld us\n", (ns(&b) - ns(&a)) / 1000);
	CHECK("nanosleep-not-early", 4, ns(&b) - ns(&a) >= 20 * 1000000);
	CHECK("usleep", 5, usleep(1000) == 0);
	CHECK("realtime", 6, clock_gettime(CLOCK_REALTIME, &r) == 0);
	printf("realtime %lld s\n", (long long)r.tv_sec);
	CHECK("realtime-after-2020", 7, r.tv_sec > 1577836800LL); /* the RTC was read */
	struct timeval tv;
	CHECK("gettimeofday", 8, gettimeofday(&tv, NULL) == 0 && tv.tv_sec >= r.tv_sec);
	CHECK("time", 9, time(NULL) >= r.tv_sec);
	CHECK("bad-clock", 10, clock_gettime((clockid_t)999, &a) == -1);
	struct timespec bad = {0, 2000000000L};
	CHECK("bad-nanosleep", 11, nanosleep(&bad, NULL) == -1);
	CHECK("clock()", 12, clock() != (clock_t)-1);
	return vmtest_success();
}
