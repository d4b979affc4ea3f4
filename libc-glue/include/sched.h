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

#if __GNU_VISIBLE
/*
 * CPU sets, as glibc's.  Only CPU 0 runs code today: sched_setaffinity()
 * accepts any set that holds CPU 0 (libc-glue/affinity.c).
 */
#define CPU_SETSIZE 1024
typedef struct {
	unsigned long __bits[CPU_SETSIZE / (8 * sizeof(unsigned long))];
} cpu_set_t;

#define __CPU_WORD(cpu) ((cpu) / (8 * sizeof(unsigned long)))
#define __CPU_BIT(cpu)  (1UL << ((cpu) % (8 * sizeof(unsigned long))))
#define CPU_ZERO(set)   __builtin_memset((set), 0, sizeof(cpu_set_t))
#define CPU_SET(cpu, set)                                                                          \
	((void)((unsigned)(cpu) < CPU_SETSIZE &&                                                   \
	        ((set)->__bits[__CPU_WORD(cpu)] |= __CPU_BIT(cpu))))
#define CPU_CLR(cpu, set)                                                                          \
	((void)((unsigned)(cpu) < CPU_SETSIZE &&                                                   \
	        ((set)->__bits[__CPU_WORD(cpu)] &= ~__CPU_BIT(cpu))))
#define CPU_ISSET(cpu, set)                                                                        \
	((unsigned)(cpu) < CPU_SETSIZE && ((set)->__bits[__CPU_WORD(cpu)] & __CPU_BIT(cpu)) != 0)
int __sched_cpucount(size_t setsize, const cpu_set_t *set);
#define CPU_COUNT(set) __sched_cpucount(sizeof(cpu_set_t), (set))

/* 0, or -1 with EINVAL (no CPU of the set runs code) or ESRCH (pid not 0) */
int sched_setaffinity(pid_t pid, size_t setsize, const cpu_set_t *set);
/* 0 and the set {0}, or -1 with EINVAL (setsize too small) or ESRCH */
int sched_getaffinity(pid_t pid, size_t setsize, cpu_set_t *set);
#endif

#ifdef __cplusplus
}
#endif

#endif
