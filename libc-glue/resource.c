/*
 * Resource limits and usage.  The only real limit is the descriptor table
 * (RLIMIT_NOFILE); the rest are unlimited.  CPU time is the process CPU
 * clock, all of it counted as user time (no system-call boundary).
 */
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <fs/file.h>
#include "glue.h"

static struct rlimit rlimits[RLIM_NLIMITS];
static int rlimits_ready;

static void rlimits_init(void)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		rlimits[i].rlim_cur = rlimits[i].rlim_max = RLIM_INFINITY;
	rlimits[RLIMIT_NOFILE].rlim_cur = rlimits[RLIMIT_NOFILE].rlim_max = FD_MAX;
	rlimits[RLIMIT_CORE].rlim_cur = rlimits[RLIMIT_CORE].rlim_max = 0; /* no core files */
	rlimits_ready = 1;
}

int getrlimit(int resource, struct rlimit *rl)
{
	if (resource < 0 || resource >= RLIM_NLIMITS)
		return (int)glue_ret(-EINVAL);
	if (!rl)
		return (int)glue_ret(-EFAULT);
	if (!rlimits_ready)
		rlimits_init();
	*rl = rlimits[resource];
	return 0;
}

int setrlimit(int resource, const struct rlimit *rl)
{
	if (resource < 0 || resource >= RLIM_NLIMITS)
		return (int)glue_ret(-EINVAL);
	if (!rl)
		return (int)glue_ret(-EFAULT);
	if (rl->rlim_cur > rl->rlim_max)
		return (int)glue_ret(-EINVAL);
	if (!rlimits_ready)
		rlimits_init();
	if (rl->rlim_max > rlimits[resource].rlim_max)
		return (int)glue_ret(-EPERM);
	rlimits[resource] = *rl;
	return 0;
}

int getrusage(int who, struct rusage *ru)
{
	struct timespec ts;
	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN)
		return (int)glue_ret(-EINVAL);
	if (!ru)
		return (int)glue_ret(-EFAULT);
	memset(ru, 0, sizeof(*ru));
	if (who == RUSAGE_CHILDREN) /* there are none */
		return 0;
	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) < 0)
		return -1;
	ru->ru_utime.tv_sec = ts.tv_sec;
	ru->ru_utime.tv_usec = (suseconds_t)(ts.tv_nsec / 1000);
	return 0;
}

int getpriority(int which, id_t who)
{
	if (which != PRIO_PROCESS && which != PRIO_PGRP && which != PRIO_USER)
		return (int)glue_ret(-EINVAL);
	(void)who;
	errno = 0; /* -1 is a valid priority: callers check errno */
	return 0;
}

int setpriority(int which, id_t who, int prio)
{
	if (which != PRIO_PROCESS && which != PRIO_PGRP && which != PRIO_USER)
		return (int)glue_ret(-EINVAL);
	(void)who;
	return prio == 0 ? 0 : (int)glue_ret(-EACCES);
}
