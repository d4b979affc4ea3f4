/*
 * The POSIX thread types, replacing newlib's (4-byte handles looked up in a
 * table).  Every synchronization object holds its kernel object in place, so
 * the static initializers need no allocation, and an all-zero object is a
 * valid default one (as with PTHREAD_MUTEX_INITIALIZER).
 *
 * The __toro_k* structs are storage for the kernel's struct waitq, kmutex,
 * kcond and ksem (kernel/include/kernel/sync.h), whose initial state is all
 * zeros; libc-glue checks at compile time that sizes and layouts agree.
 */
#ifndef _SYS__PTHREADTYPES_H_
#define _SYS__PTHREADTYPES_H_

#include <sys/sched.h>

struct __toro_waitq {
	void *__head, *__tail;
};

struct __toro_kmutex {
	void *__owner;
	struct __toro_waitq __waiters;
};

struct __toro_kcond {
	struct __toro_waitq __waiters;
};

struct __toro_ksem {
	long __count;
	struct __toro_waitq __waiters;
};

/* A thread: its descriptor in libc-glue (pthread.c). */
typedef struct __pthread *pthread_t;

#define PTHREAD_SCOPE_SYSTEM  0
#define PTHREAD_SCOPE_PROCESS 1

#define PTHREAD_INHERIT_SCHED  0
#define PTHREAD_EXPLICIT_SCHED 1

#define PTHREAD_CREATE_JOINABLE 0
#define PTHREAD_CREATE_DETACHED 1

#define PTHREAD_PROCESS_PRIVATE 0
#define PTHREAD_PROCESS_SHARED  1

#define PTHREAD_PRIO_NONE    0
#define PTHREAD_PRIO_INHERIT 1
#define PTHREAD_PRIO_PROTECT 2

/* As in glibc: the default type is the normal one, and it is 0. */
#define PTHREAD_MUTEX_NORMAL     0
#define PTHREAD_MUTEX_RECURSIVE  1
#define PTHREAD_MUTEX_ERRORCHECK 2
#define PTHREAD_MUTEX_DEFAULT    PTHREAD_MUTEX_NORMAL

typedef struct {
	int __initialized;
	int __detachstate;
	int __inheritsched;
	int __schedpolicy;
	int __scope;
	struct sched_param __schedparam;
	__SIZE_TYPE__ __stacksize; /* 0: the default */
	__SIZE_TYPE__ __guardsize;
} pthread_attr_t;

typedef struct {
	struct __toro_kmutex __kmutex;
	int __type;           /* PTHREAD_MUTEX_*, or -1 once destroyed */
	unsigned int __count; /* times the owner has locked it */
} pthread_mutex_t;

typedef struct {
	int __initialized;
	int __type;
	int __pshared;
	int __protocol;
} pthread_mutexattr_t;

typedef struct {
	struct __toro_kcond __kcond;
	int __monotonic; /* deadlines on CLOCK_MONOTONIC, not CLOCK_REALTIME */
} pthread_cond_t;

typedef struct {
	int __initialized;
	int __monotonic;
	int __pshared;
} pthread_condattr_t;

typedef unsigned int pthread_key_t;

typedef struct {
	int __state; /* 0: not run, 1: running, 2: done */
} pthread_once_t;

typedef struct {
	struct __toro_kmutex __lock;
	struct __toro_kcond __readers, __writers;
	void *__writer;          /* the kernel thread holding it for writing */
	unsigned int __nreaders; /* read locks held */
	unsigned int __wwaiting; /* writers waiting: they keep new readers out */
	int __destroyed;
} pthread_rwlock_t;

typedef struct {
	int __initialized;
	int __pshared;
} pthread_rwlockattr_t;

typedef struct {
	struct __toro_kmutex __lock;
	struct __toro_kcond __cond;
	unsigned int __count;      /* threads to wait for */
	unsigned int __waiting;    /* threads waiting now */
	unsigned int __generation; /* bumped each time the barrier opens */
} pthread_barrier_t;

typedef struct {
	int __initialized;
	int __pshared;
} pthread_barrierattr_t;

/* 0 when free, else the id of the thread holding it. */
typedef int pthread_spinlock_t;

#endif
