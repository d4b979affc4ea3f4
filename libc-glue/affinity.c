/*
 * CPU affinity.  Only CPU 0 runs code today, so a thread may be bound to
 * any set that holds CPU 0 and its set always reads back as {0}.
 */
#define _GNU_SOURCE /* cpu_set_t */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>
#include "glue.h"

int __sched_cpucount(size_t setsize, const cpu_set_t *set)
{
	int n = 0;
	for (size_t i = 0; i < setsize / sizeof(set->__bits[0]); i++)
		n += __builtin_popcountl(set->__bits[i]);
	return n;
}

static int affinity_check(size_t setsize, const cpu_set_t *set)
{
	if (!set || setsize < sizeof(set->__bits[0]))
		return EINVAL;
	return (set->__bits[0] & 1) ? 0 : EINVAL;
}

static int affinity_get(size_t setsize, cpu_set_t *set)
{
	if (!set || setsize < sizeof(set->__bits[0]))
		return EINVAL;
	memset(set, 0, setsize);
	set->__bits[0] = 1;
	return 0;
}

int sched_setaffinity(pid_t pid, size_t setsize, const cpu_set_t *set)
{
	if (pid != 0 && pid != getpid())
		return (int)glue_ret(-ESRCH);
	return (int)glue_ret(-affinity_check(setsize, set));
}

int sched_getaffinity(pid_t pid, size_t setsize, cpu_set_t *set)
{
	if (pid != 0 && pid != getpid())
		return (int)glue_ret(-ESRCH);
	return (int)glue_ret(-affinity_get(setsize, set));
}

int pthread_setaffinity_np(pthread_t thread, size_t setsize, const cpu_set_t *set)
{
	return thread ? affinity_check(setsize, set) : ESRCH;
}

int pthread_getaffinity_np(pthread_t thread, size_t setsize, cpu_set_t *set)
{
	return thread ? affinity_get(setsize, set) : ESRCH;
}
