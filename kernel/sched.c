/*
 * The scheduler: per-CPU run queue and timers, context switches, blocking
 * and waking, time slices and the idle loop.  Only CPU 0 runs today; every
 * piece of state is reached through cpu_this() so that SMP adds CPUs, not a
 * rewrite.  Mutual exclusion is "interrupts off" on this CPU.
 */
#include <errno.h>
#include <string.h>
#include <kernel/cpu.h>
#include <kernel/irq.h>
#include <kernel/panic.h>
#include <kernel/time.h>
#include "sched_priv.h"

#define MSR_FS_BASE 0xc0000100

struct cpu cpu0;
struct thread *thread_running;
static struct thread idle_thread;
static uint64_t armed_deadline; /* what the LAPIC timer is set to, in ns; 0 = off */

void arch_context_switch(uint64_t *save_rsp, uint64_t load_rsp);

static void fpu_save(struct thread *t)
{
	__asm__ volatile("fxsaveq %0" : "=m"(t->fpu));
}

static void fpu_restore(const struct thread *t)
{
	__asm__ volatile("fxrstorq %0" : : "m"(t->fpu));
}

/* The next deadline the timer must fire at: a timer, or the end of the slice. */
static uint64_t next_event(struct cpu *c)
{
	uint64_t next = timerq_next_deadline(&c->timers);
	int cur = thread_running == c->idle ? -1 : thread_running->rq.prio;
	if (cur >= 0 && runq_top_prio(&c->rq) >= cur) { /* someone of equal priority waits */
		uint64_t end = time_tsc_to_monotonic_ns(c->slice_start) + SCHED_SLICE_NS;
		if (end < next)
			next = end;
	}
	return next;
}

/*
 * The timer is only ever moved earlier.  A deadline that went away or moved
 * later leaves it armed: it fires early, finds nothing due, and is set to the
 * real next event then.  A server that waits with a timeout and is woken by
 * I/O would otherwise arm and disarm the timer on every wait, and each is an
 * MSR write (a VM exit on KVM).
 */
static void timer_reprogram(struct cpu *c)
{
	uint64_t next = next_event(c);
	if (next == UINT64_MAX || (armed_deadline && next >= armed_deadline))
		return;
	armed_deadline = next;
	lapic_timer_arm(time_ns_to_tsc(next));
}

/* In the context of the thread that was just switched to. */
void sched_finish_switch(void)
{
	struct cpu *c = cpu_this();
	fpu_restore(thread_running);
	struct thread *prev = c->prev;
	c->prev = NULL;
	if (prev && prev->state == THREAD_ZOMBIE && prev->detached)
		thread_queue_reap(prev);
	timer_reprogram(c);
}

static void switch_to(struct cpu *c, struct thread *next)
{
	struct thread *prev = thread_running;
	c->slice_start = rdtsc();
	if (next == prev) {
		timer_reprogram(c);
		return;
	}
	fpu_save(prev);
	c->prev = prev;
	thread_running = next;
	wrmsr(MSR_FS_BASE, next->tls_tp);
	arch_context_switch(&prev->rsp, next->rsp);
	sched_finish_switch();
}

void schedule(void)
{
	struct cpu *c = cpu_this();
	KASSERT(!irq_enabled());
	c->need_resched = 0;
	struct thread *prev = thread_running;
	if (prev != c->idle && prev->state == THREAD_RUNNABLE)
		runq_push(&c->rq, &prev->rq);
	struct runq_node *n = runq_pop(&c->rq);
	struct thread *next = n ? (struct thread *)((char *)n - offsetof(struct thread, rq)) : c->idle;
	switch_to(c, next);
}

void sched_make_runnable(struct thread *t)
{
	struct cpu *c = cpu_this();
	t->state = THREAD_RUNNABLE;
	runq_push(&c->rq, &t->rq);
	if (thread_running == c->idle || t->rq.prio > thread_running->rq.prio)
		c->need_resched = 1;
	timer_reprogram(c);
}

int sched_block(void)
{
	struct thread *t = thread_running;
	KASSERT(t != cpu_this()->idle);
	t->state = THREAD_BLOCKED;
	schedule();
	return t->wake_result;
}

void sched_wake(struct thread *t, int result)
{
	if (t->state != THREAD_BLOCKED)
		return;
	if (t->waiting_on)
		waitq_remove(t->waiting_on, t);
	sched_timer_remove(&t->timeout);
	t->wake_result = result;
	sched_make_runnable(t);
}

void sched_timer_add(struct ktimer *t)
{
	struct cpu *c = cpu_this();
	timerq_add(&c->timers, t);
	timer_reprogram(c);
}

void sched_timer_remove(struct ktimer *t)
{
	struct cpu *c = cpu_this();
	timerq_remove(&c->timers, t);
	timer_reprogram(c);
}

/* The LAPIC timer fired: run expired timers, end the slice if it is over. */
void sched_timer_interrupt(void)
{
	struct cpu *c = cpu_this();
	uint64_t now = time_monotonic_ns();
	struct ktimer *t;
	armed_deadline = 0; /* one-shot: it is off now */
	while ((t = timerq_pop_expired(&c->timers, now)) != NULL)
		t->fn(t);
	int cur = thread_running == c->idle ? -1 : thread_running->rq.prio;
	uint64_t slice_end = time_tsc_to_monotonic_ns(c->slice_start) + SCHED_SLICE_NS;
	if (now >= slice_end && runq_top_prio(&c->rq) >= cur)
		c->need_resched = 1;
	timer_reprogram(c);
}

/* Restores interrupts, switching first if a wake-up asked for it. */
void sched_unlock(unsigned long flags)
{
	if (flags && cpu_this()->need_resched)
		schedule();
	irq_restore(flags);
}

void sched_init(void)
{
	struct cpu *c = cpu_this();
	memset(c, 0, sizeof(*c));
	idle_thread.state = THREAD_RUNNABLE;
	idle_thread.rq.prio = 0;
	strcpy(idle_thread.name, "idle");
	thread_running = c->idle = &idle_thread;
	thread_init_fpu_template();
}

void sched_idle_loop(void)
{
	struct cpu *c = cpu_this();
	for (;;) {
		__asm__ volatile("cli");
		if (c->rq.bitmap) {
			schedule();
			continue;
		}
		/* sti takes effect after hlt starts: no wake-up slips in between */
		__asm__ volatile("sti; hlt" : : : "memory");
	}
}
