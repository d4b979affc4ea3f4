/*
 * Scheduling calls and system limits: sched_yield, the priority range,
 * sysconf, gettid.  One CPU; thread priorities are the kernel's
 * THREAD_PRIO_MIN..THREAD_PRIO_MAX for every policy.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <kernel/mm.h>
#include <kernel/thread.h>
#include "glue.h"

int sched_yield(void)
{
	thread_yield();
	return 0;
}

static int sched_policy_valid(int policy)
{
	return policy == SCHED_OTHER || policy == SCHED_FIFO || policy == SCHED_RR;
}

int sched_get_priority_max(int policy)
{
	return sched_policy_valid(policy) ? THREAD_PRIO_MAX : (int)glue_ret(-EINVAL);
}

int sched_get_priority_min(int policy)
{
	return sched_policy_valid(policy) ? THREAD_PRIO_MIN : (int)glue_ret(-EINVAL);
}

int sched_getcpu(void)
{
	return 0;
}

pid_t gettid(void)
{
	return thread_id(thread_self());
}

/* The POSIX options Toro has (sys/features.h) report this version. */
#define POSIX_V 200809L

struct sysconf_entry {
	int name;
	long value;
};

/* Fixed answers; names newlib defines but this table lacks answer -1 ("none"). */
static const struct sysconf_entry sysconf_table[] = {
    {_SC_NPROCESSORS_CONF, 1},
    {_SC_NPROCESSORS_ONLN, 1},
    {_SC_PAGESIZE, PAGE_SIZE},
    {_SC_CLK_TCK, CLOCKS_PER_SEC}, /* the unit of times() */
    {_SC_OPEN_MAX, OPEN_MAX},
    {_SC_ARG_MAX, ARG_MAX},
    {_SC_CHILD_MAX, 1},
    {_SC_NGROUPS_MAX, 0},
    {_SC_STREAM_MAX, FOPEN_MAX},
    {_SC_HOST_NAME_MAX, 255},
    {_SC_LOGIN_NAME_MAX, 32},
    {_SC_TTY_NAME_MAX, 32},
    {_SC_IOV_MAX, IOV_MAX},
    {_SC_LINE_MAX, LINE_MAX},
    {_SC_THREAD_KEYS_MAX, PTHREAD_KEYS_MAX},
    {_SC_THREAD_STACK_MIN, PTHREAD_STACK_MIN},
    {_SC_THREAD_DESTRUCTOR_ITERATIONS, PTHREAD_DESTRUCTOR_ITERATIONS},
    {_SC_SEM_VALUE_MAX, SEM_VALUE_MAX},
    {_SC_VERSION, POSIX_V},
    {_SC_THREADS, POSIX_V},
    {_SC_THREAD_SAFE_FUNCTIONS, POSIX_V},
    {_SC_THREAD_ATTR_STACKSIZE, POSIX_V},
    {_SC_READER_WRITER_LOCKS, POSIX_V},
    {_SC_SPIN_LOCKS, POSIX_V},
    {_SC_BARRIERS, POSIX_V},
    {_SC_SEMAPHORES, POSIX_V},
    {_SC_TIMEOUTS, POSIX_V},
    {_SC_TIMERS, POSIX_V},
    {_SC_MONOTONIC_CLOCK, POSIX_V},
    {_SC_CLOCK_SELECTION, POSIX_V},
    {_SC_CPUTIME, POSIX_V},
    {_SC_THREAD_CPUTIME, POSIX_V},
};

long sysconf(int name)
{
	if (name < 0 || name > _SC_THREAD_ROBUST_PRIO_PROTECT)
		return glue_ret(-EINVAL);
	switch (name) {
	case _SC_PHYS_PAGES:
		return (long)(pmem_total_bytes() / PAGE_SIZE);
	case _SC_AVPHYS_PAGES:
		return (long)(pmem_free_bytes() / PAGE_SIZE);
	}
	for (size_t i = 0; i < sizeof(sysconf_table) / sizeof(sysconf_table[0]); i++)
		if (sysconf_table[i].name == name)
			return sysconf_table[i].value;
	return -1;
}
