/*
 * Kernel threads and the scheduler.
 *
 * Preemptive, priority-based: the highest-priority runnable thread runs;
 * threads of equal priority share the CPU round-robin in time slices of
 * SCHED_SLICE_NS.  Each thread has its own stack with unmapped guard pages
 * below it (backed page by page on first touch, so a large stack costs only
 * what is used: kernel/kstack.c), its own FPU/SSE state and its own TLS
 * block (FS base).
 *
 * Usage:
 *   struct thread *t;
 *   struct thread_attr a = THREAD_ATTR_DEFAULT;
 *   a.name = "worker";
 *   thread_create(&t, fn, arg, &a);   // runs fn(arg); returning = thread_exit()
 *   thread_join(t);                   // waits for it, then frees it
 */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include <stddef.h>
#include <stdint.h>

#define THREAD_NAME_MAX	    16 /* with the NUL */
#define THREAD_PRIO_MIN	    1
#define THREAD_PRIO_DEFAULT 16
#define THREAD_PRIO_MAX	    31
#define THREAD_STACK_DEFAULT (256UL << 10)
#define THREAD_STACK_MIN     (16UL << 10)
#define SCHED_SLICE_NS	     (10ULL * 1000 * 1000)

struct thread;

/*
 * The first field of struct thread (sched_priv.h), public so that the calls
 * newlib makes on every allocation and errno access (thread_self(),
 * thread_libc_data()) are a load each, not a call.
 */
struct thread_head {
	void *libc_data; /* the libc layer's per-thread data */
};

/* The running thread.  One CPU: a global (sched.c); SMP would make it per-CPU. */
extern struct thread *thread_running;

struct thread_attr {
	size_t stack_size; /* bytes; 0 means THREAD_STACK_DEFAULT */
	int priority;	   /* THREAD_PRIO_MIN..THREAD_PRIO_MAX; 0 means default */
	int detached;	   /* freed at exit, cannot be joined */
	const char *name;  /* copied; NULL means "thread" */
};

#define THREAD_ATTR_DEFAULT {0, 0, 0, NULL}

/*
 * Creates a thread running fn(arg) and makes it runnable.  Returns 0 and sets
 * *out, -EINVAL for a bad attribute, -ENOMEM (or -EAGAIN when the thread
 * table is full) when resources run out.
 */
int thread_create(struct thread **out, void (*fn)(void *), void *arg,
		  const struct thread_attr *attr);
/* The calling thread; NULL before the scheduler starts. */
static inline struct thread *thread_self(void)
{
	return thread_running;
}
/* Ends the calling thread. */
void thread_exit(void) __attribute__((noreturn));
/*
 * Waits for t to exit and frees it.  0, -EDEADLK (t is the caller) or -EINVAL
 * (t is detached or already being joined).
 */
int thread_join(struct thread *t);
/* Frees t when it exits (now, if it has).  0 or -EINVAL if already detached. */
int thread_detach(struct thread *t);
/* Gives the CPU to another runnable thread of the same or higher priority. */
void thread_yield(void);
/* Sleeps until the monotonic clock reaches deadline_ns. */
void thread_sleep_until(uint64_t deadline_ns);
void thread_sleep_ns(uint64_t ns);

/* A small unique number for the thread; the main thread is 1. */
int thread_id(const struct thread *t);
const char *thread_name(const struct thread *t);
void thread_set_name(struct thread *t, const char *name);
int thread_priority(const struct thread *t);
/* 0 or -EINVAL. */
int thread_set_priority(struct thread *t, int prio);
/* A pointer-sized slot the libc layer owns (its per-thread data). */
static inline void *thread_libc_data(const struct thread *t)
{
	return ((const struct thread_head *)(const void *)t)->libc_data;
}
void thread_set_libc_data(struct thread *t, void *p);
/* Number of threads that exist now, counting the main and idle threads. */
int thread_count(void);

#endif
