/*
 * newlib's <sys/features.h>, plus the POSIX options Toro implements.  newlib
 * sets these only for the systems it knows (RTEMS, Cygwin); without them
 * <time.h> hides CLOCK_MONOTONIC, clock_gettime() and friends.
 */
#ifndef TORO_SYS_FEATURES_H
#define TORO_SYS_FEATURES_H

/*
 * newlib reaches the current struct _reent (errno, stdio state) through
 * __getreent(), answered per thread by libc-glue (reent.c); newlib itself is
 * built with the same define (tools/build-newlib.sh).
 */
#ifndef __DYNAMIC_REENT__
#define __DYNAMIC_REENT__ 1
#endif

#include_next <sys/features.h>

#ifndef _POSIX_TIMERS
#define _POSIX_TIMERS 200809L
#endif
#ifndef _POSIX_MONOTONIC_CLOCK
#define _POSIX_MONOTONIC_CLOCK 200809L
#endif
#ifndef _POSIX_CLOCK_SELECTION
#define _POSIX_CLOCK_SELECTION 200809L
#endif
#ifndef _POSIX_CPUTIME
#define _POSIX_CPUTIME 200809L
#endif
#ifndef _POSIX_THREAD_CPUTIME
#define _POSIX_THREAD_CPUTIME 200809L
#endif
#ifndef _POSIX_TIMEOUTS
#define _POSIX_TIMEOUTS 200809L
#endif

/* Threads: libc-glue/pthread*.c, semaphore.c, over the kernel's scheduler. */
/* read() and write() return ssize_t, as POSIX says (newlib's default is int) */
#ifndef _READ_WRITE_RETURN_TYPE
#define _READ_WRITE_RETURN_TYPE _ssize_t
#endif

/* select() on descriptors up to 1023, as on Linux (newlib's default is 64) */
#ifndef FD_SETSIZE
#define FD_SETSIZE 1024
#endif

#ifndef _POSIX_THREADS
#define _POSIX_THREADS 200809L
#endif
#ifndef _POSIX_THREAD_SAFE_FUNCTIONS
#define _POSIX_THREAD_SAFE_FUNCTIONS 200809L
#endif
#ifndef _POSIX_READER_WRITER_LOCKS
#define _POSIX_READER_WRITER_LOCKS 200809L
#endif
#ifndef _POSIX_SPIN_LOCKS
#define _POSIX_SPIN_LOCKS 200809L
#endif
#ifndef _POSIX_BARRIERS
#define _POSIX_BARRIERS 200809L
#endif
#ifndef _POSIX_SEMAPHORES
#define _POSIX_SEMAPHORES 200809L
#endif
#ifndef _POSIX_THREAD_ATTR_STACKSIZE
#define _POSIX_THREAD_ATTR_STACKSIZE 200809L
#endif
#ifndef _UNIX98_THREAD_MUTEX_ATTRIBUTES
#define _UNIX98_THREAD_MUTEX_ATTRIBUTES 1
#endif

#endif
