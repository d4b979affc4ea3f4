/* POSIX clocks and sleeps over the kernel's time source. */
#include <stdint.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include "glue.h"

#define NSEC 1000000000LL

static void ns_to_timespec(uint64_t ns, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ns / NSEC);
	ts->tv_nsec = (long)(ns % NSEC);
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
	if (!ts)
		return (int)glue_ret(-EFAULT);
	switch (id) {
	case CLOCK_REALTIME:
		ns_to_timespec(time_realtime_ns(), ts);
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		ns_to_timespec(time_monotonic_ns(), ts);
		return 0;
	default:
		return (int)glue_ret(-EINVAL);
	}
}

int clock_getres(clockid_t id, struct timespec *res)
{
	if (id != CLOCK_REALTIME && id != CLOCK_MONOTONIC && id != CLOCK_PROCESS_CPUTIME_ID &&
	    id != CLOCK_THREAD_CPUTIME_ID)
		return (int)glue_ret(-EINVAL);
	if (res) {
		res->tv_sec = 0;
		res->tv_nsec = 1;
	}
	return 0;
}

int clock_settime(clockid_t id, const struct timespec *ts)
{
	if (id != CLOCK_REALTIME)
		return (int)glue_ret(-EINVAL);
	if (!ts || ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= NSEC)
		return (int)glue_ret(-EINVAL);
	time_set_realtime_ns((uint64_t)ts->tv_sec * NSEC + (uint64_t)ts->tv_nsec);
	return 0;
}

int gettimeofday(struct timeval *tv, void *tz)
{
	(void)tz;
	if (tv) {
		uint64_t ns = time_realtime_ns();
		tv->tv_sec = (time_t)(ns / NSEC);
		tv->tv_usec = (suseconds_t)((ns % NSEC) / 1000);
	}
	return 0;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	if (!req || req->tv_sec < 0 || req->tv_nsec < 0 || req->tv_nsec >= NSEC)
		return (int)glue_ret(-EINVAL);
	thread_sleep_ns((uint64_t)req->tv_sec * NSEC + (uint64_t)req->tv_nsec);
	if (rem)
		rem->tv_sec = rem->tv_nsec = 0;
	return 0;
}

int usleep(useconds_t us)
{
	struct timespec ts = {(time_t)(us / 1000000), (long)(us % 1000000) * 1000};
	return nanosleep(&ts, NULL);
}

unsigned sleep(unsigned s)
{
	struct timespec ts = {(time_t)s, 0};
	nanosleep(&ts, NULL);
	return 0;
}
