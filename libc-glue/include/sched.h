/*
 * newlib's <sched.h>, plus the priority range calls, which it declares only
 * with _POSIX_PRIORITY_SCHEDULING (process scheduling, which Toro lacks).
 * Thread priorities: libc-glue/sched.c.
 */
#ifndef _TORO_SCHED_H
#define _TORO_SCHED_H

#include_next <sched.h>

#ifdef __cplusplus
extern "C" {
#endif

#if !defined(_POSIX_PRIORITY_SCHEDULING)
int sched_get_priority_max(int policy);
int sched_get_priority_min(int policy);
#endif

#ifdef __cplusplus
}
#endif

#endif
