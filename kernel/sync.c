/*
 * Wait queues, mutexes, condition variables and semaphores.  Every state
 * change happens with interrupts off (one CPU), except a mutex's uncontended
 * lock and unlock (see kmutex_grab); a thread that must wait
 * sleeps on a FIFO wait queue and is woken in order.  Unlocking a mutex
 * frees it and wakes the first waiter, which competes again: handing it over
 * directly would cost a context switch for every contended unlock (a convoy).
 */
#include <errno.h>
#include <stddef.h>
#include <kernel/irq.h>
#include <kernel/panic.h>
#include <kernel/time.h>
#include "sched_priv.h"

static struct thread *timer_thread(struct ktimer *k)
{
	return (struct thread *)((char *)k - offsetof(struct thread, timeout));
}

void waitq_push(struct waitq *q, struct thread *t)
{
	t->wq_next = NULL;
	if (q->tail)
		q->tail->wq_next = t;
	else
		q->head = t;
	q->tail = t;
	t->waiting_on = q;
}

struct thread *waitq_pop(struct waitq *q)
{
	struct thread *t = q->head;
	if (!t)
		return NULL;
	q->head = t->wq_next;
	if (!q->head)
		q->tail = NULL;
	t->wq_next = NULL;
	t->waiting_on = NULL;
	return t;
}

void waitq_remove(struct waitq *q, struct thread *t)
{
	struct thread *prev = NULL;
	for (struct thread *it = q->head; it; prev = it, it = it->wq_next) {
		if (it != t)
			continue;
		if (prev)
			prev->wq_next = t->wq_next;
		else
			q->head = t->wq_next;
		if (q->tail == t)
			q->tail = prev;
		break;
	}
	t->wq_next = NULL;
	t->waiting_on = NULL;
}

static void wait_timeout(struct ktimer *k)
{
	sched_wake(timer_thread(k), -ETIMEDOUT);
}

int waitq_sleep(struct waitq *q, uint64_t deadline_ns)
{
	KASSERT(!irq_enabled());
	struct thread *t = thread_self();
	if (deadline_ns && deadline_ns <= time_monotonic_ns())
		return -ETIMEDOUT;
	waitq_push(q, t);
	t->wake_result = 0;
	if (deadline_ns) {
		t->timeout.deadline = deadline_ns;
		t->timeout.fn = wait_timeout;
		sched_timer_add(&t->timeout);
	}
	return sched_block();
}

int waitq_wake_one(struct waitq *q)
{
	struct thread *t = waitq_pop(q);
	if (t)
		sched_wake(t, 0);
	return t != NULL;
}

void waitq_wake_all(struct waitq *q)
{
	while (waitq_wake_one(q))
		;
}

void kmutex_init(struct kmutex *m)
{
	m->owner = NULL;
	m->waiters.head = m->waiters.tail = NULL;
}

/* Takes m if it is free: the swap of kmutex_lock()'s fast path. */
static int kmutex_grab(struct kmutex *m, struct thread *self)
{
	struct thread *free_ = NULL;
	return __atomic_compare_exchange_n(&m->owner, &free_, self, 0, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

/* Waiters queue with interrupts off and retry the swap there (sync.h). */
int kmutex_lock_until(struct kmutex *m, uint64_t deadline_ns)
{
	struct thread *self = thread_self();
	KASSERT(m->owner != self);
	if (kmutex_grab(m, self))
		return 0;
	unsigned long f = irq_save();
	int err = 0;
	while (!kmutex_grab(m, self)) {
		if (err) { /* the deadline passed and it is still held */
			irq_restore(f);
			return err;
		}
		err = waitq_sleep(&m->waiters, deadline_ns);
	}
	irq_restore(f);
	return 0;
}

void kmutex_lock_slow(struct kmutex *m)
{
	kmutex_lock_until(m, 0);
}

int kmutex_trylock(struct kmutex *m)
{
	return kmutex_grab(m, thread_self()) ? 0 : -EBUSY;
}

/* Frees m and wakes the first waiter; interrupts off. */
static void kmutex_release(struct kmutex *m)
{
	KASSERT(m->owner == thread_self());
	__atomic_store_n(&m->owner, NULL, __ATOMIC_SEQ_CST);
	waitq_wake_one(&m->waiters);
}

void kmutex_unlock_unheld(struct kmutex *m)
{
	panic("kmutex_unlock: mutex %p is held by %p, not by the caller %p", (void *)m,
	      (void *)m->owner, (void *)thread_self());
}

void kmutex_wake_waiter(struct kmutex *m)
{
	unsigned long f = irq_save();
	waitq_wake_one(&m->waiters);
	sched_unlock(f);
}

int kmutex_held(const struct kmutex *m)
{
	return m->owner == thread_self();
}

void kcond_init(struct kcond *c)
{
	c->waiters.head = c->waiters.tail = NULL;
}

int kcond_wait(struct kcond *c, struct kmutex *m, uint64_t deadline_ns)
{
	unsigned long f = irq_save();
	kmutex_release(m);
	int r = waitq_sleep(&c->waiters, deadline_ns);
	irq_restore(f);
	kmutex_lock(m);
	return r < 0 ? -ETIMEDOUT : 0;
}

void kcond_signal(struct kcond *c)
{
	unsigned long f = irq_save();
	waitq_wake_one(&c->waiters);
	sched_unlock(f);
}

void kcond_broadcast(struct kcond *c)
{
	unsigned long f = irq_save();
	waitq_wake_all(&c->waiters);
	sched_unlock(f);
}

void ksem_init(struct ksem *s, long count)
{
	s->count = count;
	s->waiters.head = s->waiters.tail = NULL;
}

int ksem_wait(struct ksem *s, uint64_t deadline_ns)
{
	unsigned long f = irq_save();
	int err = 0;
	while (s->count == 0 && err == 0)
		err = waitq_sleep(&s->waiters, deadline_ns);
	if (s->count > 0) {
		s->count--;
		err = 0; /* a post raced with the timeout: take it */
	}
	irq_restore(f);
	return err;
}

int ksem_trywait(struct ksem *s)
{
	unsigned long f = irq_save();
	int err = s->count > 0 ? 0 : -EAGAIN;
	if (!err)
		s->count--;
	irq_restore(f);
	return err;
}

void ksem_post(struct ksem *s)
{
	unsigned long f = irq_save();
	s->count++;
	waitq_wake_one(&s->waiters);
	sched_unlock(f);
}

long ksem_value(const struct ksem *s)
{
	return s->count;
}
