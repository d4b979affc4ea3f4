/*
 * prctl(2), Linux's values.  PR_SET_NAME/PR_GET_NAME name the calling
 * thread; the other options fail with EINVAL (libc-glue/prctl.c).
 */
#ifndef TORO_SYS_PRCTL_H
#define TORO_SYS_PRCTL_H

#ifdef __cplusplus
extern "C" {
#endif

#define PR_SET_PDEATHSIG   1
#define PR_GET_PDEATHSIG   2
#define PR_GET_DUMPABLE    3
#define PR_SET_DUMPABLE    4
#define PR_SET_NAME        15
#define PR_GET_NAME        16
#define PR_SET_TIMERSLACK  29
#define PR_SET_THP_DISABLE 41
#define PR_GET_THP_DISABLE 42

int prctl(int option, ...);

#ifdef __cplusplus
}
#endif

#endif
