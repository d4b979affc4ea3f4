/*
 * Private to the scheduler files (sched.c, thread.c, sync.c, runq.c,
 * timerq.c): the thread structure, per-CPU state, run queue and timers.
 */
#ifndef KERNEL_SCHED_PRIV_H
#define KERNEL_SCHED_PRIV_H

#include <stdint.h>
#include <kernel/mm.h>
#include <kernel/sync.h>
#include <kernel/thread.h>

enum thread_state {
	THREAD_RUNNABLE, /* on a run queue, or running */
	THREAD_BLOCKED,	 /* on a wait queue or sleeping */
	THREAD_ZOMBIE,	 /* exited, not yet freed */
};

/* A one-shot timer; fn runs in interrupt context with interrupts off. */
struct ktimer {
	uint64_t deadline; /* monotonic ns */
	void (*fn)(struct ktimer *t);
	struct ktimer *next; /* sorted by deadline */
	int armed;
};

/* Sorted list of armed timers. */
struct timerq {
	struct ktimer *head;
};

void timerq_add(struct timerq *q, struct ktimer *t);
void timerq_remove(struct timerq *q, struct ktimer *t);
/* The earliest timer with deadline <= now, removed from q; or NULL. */
struct ktimer *timerq_pop_expired(struct timerq *q, uint64_t now);
/* The earliest deadline, or UINT64_MAX when empty. */
uint64_t timerq_next_deadline(const struct timerq *q);

#define NR_PRIOS (THREAD_PRIO_MAX + 1)

struct runq_node {
	struct runq_node *next;
	int prio;
};

/* One FIFO per priority, and a bitmap of the non-empty ones. */
struct runq {
	uint32_t bitmap;
	struct runq_node *head[NR_PRIOS], *tail[NR_PRIOS];
};

void runq_push(struct runq *q, struct runq_node *n);
/* Removes and returns the first node of the highest priority, or NULL. */
struct runq_node *runq_pop(struct runq *q);
/* Highest non-empty priority, or -1. */
int runq_top_prio(const struct runq *q);
/* Removes n if queued; returns 1 if it was. */
int runq_remove(struct runq *q, struct runq_node *n);

struct thread {
	struct thread_head head;   /* first: thread.h's inline calls read it */
	uint64_t rsp;		   /* saved stack pointer while switched out */
	uint8_t fpu[512] __attribute__((aligned(16))); /* fxsave area */
	struct runq_node rq;	   /* run-queue link and priority */
	enum thread_state state;
	int id;
	char name[THREAD_NAME_MAX];
	struct kstack stack;
	uintptr_t tls_tp;	   /* thread pointer: FS base */
	void (*fn)(void *);
	void *arg;
	/* waiting */
	struct thread *wq_next;	   /* link in a wait queue */
	struct waitq *waiting_on;  /* the wait queue we sleep on, or NULL */
	int wake_result;	   /* 0, or -ETIMEDOUT from the timeout timer */
	struct ktimer timeout;
	/* exit and join */
	int detached;
	int joining;
	struct waitq join_wq;
	struct thread *all_next;   /* list of all threads */
	struct thread *reap_next;  /* detached zombies waiting to be freed */
};

/* The running thread is thread_running (thread.h), not a field: one CPU. */
struct cpu {
	struct thread *idle;
	struct thread *prev;	/* the thread switched away from, for finish_switch */
	struct runq rq;
	struct timerq timers;
	uint64_t slice_start;	/* TSC when current was switched in */
	int need_resched;
};

/* One CPU today; with SMP this becomes a %gs-relative read. */
extern struct cpu cpu0;

static inline struct cpu *cpu_this(void)
{
	return &cpu0;
}

/* All of these are called with interrupts disabled. */
void sched_make_runnable(struct thread *t);
/* Blocks current until woken; returns its wake_result. */
int sched_block(void);
/* Wakes a blocked thread with result r (removing it from its wait queue). */
void sched_wake(struct thread *t, int r);
void schedule(void);
/* Arms/disarms a timer and reprograms the LAPIC. */
void sched_timer_add(struct ktimer *t);
void sched_timer_remove(struct ktimer *t);

void waitq_push(struct waitq *q, struct thread *t);
struct thread *waitq_pop(struct waitq *q);
void waitq_remove(struct waitq *q, struct thread *t);

/* Blocks current on q until woken or the deadline passes: 0 or -ETIMEDOUT. */
int waitq_sleep(struct waitq *q, uint64_t deadline_ns);
/* Wakes the first waiter (returns 1) or nobody (0); interrupts off. */
int waitq_wake_one(struct waitq *q);
void waitq_wake_all(struct waitq *q);

/* From kernel_main: turns the boot context into the idle thread. */
void sched_init(void);
/* Never returns: the idle loop. */
void sched_idle_loop(void) __attribute__((noreturn));
/* Restores interrupts (irq_save's value), first switching if a wake-up asked to. */
void sched_unlock(unsigned long flags);
void sched_finish_switch(void);
void thread_init_fpu_template(void);
/* Queues a detached zombie for thread_reap(); interrupts off. */
void thread_queue_reap(struct thread *t);
/* Frees detached zombies; thread context, interrupts on. */
void thread_reap(void);
void thread_free(struct thread *t);

#endif
