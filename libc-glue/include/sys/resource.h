/*
 * newlib's <sys/resource.h> (getrusage), plus resource limits.  Limits are
 * what the kernel really has: RLIMIT_NOFILE is the descriptor table size,
 * the others are unlimited.  A limit can be lowered, not raised above its
 * maximum (libc-glue/resource.c).
 */
#ifndef TORO_SYS_RESOURCE_H
#define TORO_SYS_RESOURCE_H

#include_next <sys/resource.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned long rlim_t;

#define RLIM_INFINITY  (~0UL)
#define RLIM_SAVED_MAX RLIM_INFINITY
#define RLIM_SAVED_CUR RLIM_INFINITY

/* Linux's numbering */
#define RLIMIT_CPU     0
#define RLIMIT_FSIZE   1
#define RLIMIT_DATA    2
#define RLIMIT_STACK   3
#define RLIMIT_CORE    4
#define RLIMIT_RSS     5
#define RLIMIT_NPROC   6
#define RLIMIT_NOFILE  7
#define RLIMIT_MEMLOCK 8
#define RLIMIT_AS      9
#define RLIM_NLIMITS   16

struct rlimit {
	rlim_t rlim_cur; /* soft limit */
	rlim_t rlim_max; /* hard limit */
};

/* 0, or -1 with EINVAL (unknown resource) or EFAULT (NULL) */
int getrlimit(int resource, struct rlimit *rl);
/* 0, or -1 with EINVAL (unknown, or cur > max) or EPERM (max raised) */
int setrlimit(int resource, const struct rlimit *rl);

#define PRIO_PROCESS 0
#define PRIO_PGRP    1
#define PRIO_USER    2
/* The one process has priority 0: getpriority() returns 0, setpriority()
 * accepts 0 only (EACCES otherwise). */
int getpriority(int which, id_t who);
int setpriority(int which, id_t who, int prio);

#ifdef __cplusplus
}
#endif

#endif
