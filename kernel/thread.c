/*
 * Threads: creation with a guarded stack (backed on first touch, see
 * kstack.c) and a TLS block, exit, join, detach, names and priorities.
 *
 * TLS follows the x86-64 ELF ABI ("variant II"): the thread pointer (FS base)
 * points at a small TCB whose first word points to itself; the TLS block
 * (.tdata copied, .tbss zeroed) sits just below it.  Both live at the top of
 * the thread's stack allocation, above the initial stack pointer.
 */
#include <errno.h>
#include <malloc.h>
#include <string.h>
#include <kernel/console.h>
#include <kernel/irq.h>
#include <kernel/panic.h>
#include <kernel/time.h>
#include "sched_priv.h"

#define THREAD_MAX   100000
#define TCB_SIZE     64
#define TCB_CANARY   0x28 /* where glibc-style -fstack-protector code looks */

extern char __tdata_start[], __tdata_end[], __tbss_start[], __tbss_end[], __tls_align[];
extern uintptr_t __stack_chk_guard;
void arch_thread_entry(void);

static uint8_t fpu_template[512] __attribute__((aligned(16)));
static struct thread *all_threads;
static struct thread *reap_list;
static int nr_threads = 1; /* idle */
static int nr_alive;	   /* created and not yet exited */
static int next_id = 1;

void thread_init_fpu_template(void)
{
	/* x87 reset state; MXCSR is still its reset value 0x1f80 (all exceptions masked) */
	__asm__ volatile("fninit; fxsaveq %0" : "=m"(fpu_template));
}

/* PT_TLS alignment: the linker placed variables at tp - round_up(memsz, this). */
static size_t tls_align(void)
{
	size_t a = (uintptr_t)__tls_align;
	return a ? a : 1;
}

static size_t tls_memsz(void)
{
	uintptr_t bss_end = (uintptr_t)__tbss_end, data_end = (uintptr_t)__tdata_end;
	return (bss_end > data_end ? bss_end : data_end) - (uintptr_t)__tdata_start;
}

static size_t tls_block_size(void)
{
	size_t a = tls_align();
	return (tls_memsz() + a - 1) & ~(a - 1);
}

/* The thread pointer is aligned to this (at least 16, for the TCB). */
static size_t tp_align(void)
{
	return tls_align() < 16 ? 16 : tls_align();
}

/* Bytes at the top of a stack allocation taken by the TLS block and TCB. */
static size_t tls_area_size(void)
{
	return tls_block_size() + TCB_SIZE + tp_align();
}

/* Lays out TLS below top; returns the thread pointer. */
static uintptr_t tls_setup(uintptr_t top)
{
	uintptr_t tp = (top - TCB_SIZE) & ~(uintptr_t)(tp_align() - 1);
	char *start = (char *)(tp - tls_block_size());
	size_t tdata = (size_t)(__tdata_end - __tdata_start);
	memcpy(start, __tdata_start, tdata);
	memset(start + tdata, 0, (size_t)((char *)tp - start) - tdata);
	memset((void *)tp, 0, TCB_SIZE);
	*(uintptr_t *)tp = tp;
	*(uintptr_t *)(tp + TCB_CANARY) = __stack_chk_guard;
	return tp;
}

/* The first C code of every new thread (from arch_thread_entry). */
void thread_start(void)
{
	sched_finish_switch();
	__asm__ volatile("sti");
	struct thread *t = thread_self();
	t->fn(t->arg);
	thread_exit();
}

static void initial_frame(struct thread *t, uintptr_t stack_top)
{
	uint64_t *sp = (uint64_t *)(stack_top & ~15UL);
	*--sp = 0;				/* padding */
	*--sp = (uintptr_t)arch_thread_entry; /* "return address" of the switch */
	for (int i = 0; i < 6; i++)
		*--sp = 0;			/* rbp rbx r12 r13 r14 r15 */
	t->rsp = (uintptr_t)sp;
}

static int attr_check(const struct thread_attr *a, size_t *stack, int *prio)
{
	*stack = a && a->stack_size ? a->stack_size : THREAD_STACK_DEFAULT;
	*prio = a && a->priority ? a->priority : THREAD_PRIO_DEFAULT;
	if (*stack < THREAD_STACK_MIN || *stack > (1UL << 32))
		return -EINVAL;
	if (*prio < THREAD_PRIO_MIN || *prio > THREAD_PRIO_MAX)
		return -EINVAL;
	return 0;
}

static void thread_link(struct thread *t)
{
	unsigned long f = irq_save();
	t->id = next_id++;
	t->all_next = all_threads;
	all_threads = t;
	nr_threads++;
	nr_alive++;
	irq_restore(f);
}

int thread_create(struct thread **out, void (*fn)(void *), void *arg,
		  const struct thread_attr *attr)
{
	size_t stack;
	int prio, err = attr_check(attr, &stack, &prio);
	if (err < 0)
		return err;
	thread_reap();
	if (nr_threads >= THREAD_MAX)
		return -EAGAIN;
	struct thread *t = memalign(64, sizeof(*t));
	if (!t)
		return -ENOMEM;
	memset(t, 0, sizeof(*t));
	thread_set_name(t, attr && attr->name ? attr->name : "thread");
	/* back what thread_create() writes: TLS, TCB and the start frame */
	size_t commit = tls_area_size() + 128;
	if ((err = kstack_alloc(&t->stack, stack + tls_area_size(), commit, t->name)) < 0)
		goto err_free_thread;
	uintptr_t top = (uintptr_t)t->stack.base + t->stack.size;
	t->tls_tp = tls_setup(top);
	initial_frame(t, t->tls_tp - tls_block_size() - 16);
	memcpy(t->fpu, fpu_template, sizeof(t->fpu));
	t->fn = fn;
	t->arg = arg;
	t->rq.prio = prio;
	t->detached = attr ? attr->detached : 0;
	thread_link(t);
	*out = t;
	unsigned long f = irq_save();
	sched_make_runnable(t);
	sched_unlock(f);
	return 0;

err_free_thread:
	free(t);
	return err;
}

void thread_exit(void)
{
	unsigned long f = irq_save();
	(void)f;
	struct thread *t = thread_self();
	t->state = THREAD_ZOMBIE;
	if (--nr_alive == 0) {
		kprintf("toro: the last thread exited\n");
		machine_exit(0);
	}
	waitq_wake_all(&t->join_wq);
	schedule();
	panic("a zombie thread was scheduled");
}

void thread_queue_reap(struct thread *t)
{
	t->reap_next = reap_list;
	reap_list = t;
}

void thread_free(struct thread *t)
{
	unsigned long f = irq_save();
	struct thread **pp = &all_threads;
	while (*pp && *pp != t)
		pp = &(*pp)->all_next;
	KASSERT(*pp == t);
	*pp = t->all_next;
	nr_threads--;
	irq_restore(f);
	kstack_free(&t->stack);
	free(t);
}

void thread_reap(void)
{
	for (;;) {
		unsigned long f = irq_save();
		struct thread *t = reap_list;
		if (t)
			reap_list = t->reap_next;
		irq_restore(f);
		if (!t)
			return;
		thread_free(t);
	}
}

int thread_join(struct thread *t)
{
	if (t == thread_self())
		return -EDEADLK;
	unsigned long f = irq_save();
	if (t->detached || t->joining) {
		irq_restore(f);
		return -EINVAL;
	}
	t->joining = 1;
	while (t->state != THREAD_ZOMBIE)
		waitq_sleep(&t->join_wq, 0);
	irq_restore(f);
	thread_free(t);
	return 0;
}

int thread_detach(struct thread *t)
{
	unsigned long f = irq_save();
	if (t->detached || t->joining) {
		irq_restore(f);
		return -EINVAL;
	}
	t->detached = 1;
	int dead = t->state == THREAD_ZOMBIE;
	irq_restore(f);
	if (dead)
		thread_free(t);
	return 0;
}

void thread_yield(void)
{
	unsigned long f = irq_save();
	schedule();
	irq_restore(f);
}

static void sleep_timeout(struct ktimer *k)
{
	sched_wake((struct thread *)((char *)k - offsetof(struct thread, timeout)), 0);
}

void thread_sleep_until(uint64_t deadline_ns)
{
	unsigned long f = irq_save();
	struct thread *t = thread_self();
	if (deadline_ns > time_monotonic_ns()) {
		t->timeout.deadline = deadline_ns;
		t->timeout.fn = sleep_timeout;
		sched_timer_add(&t->timeout);
		sched_block();
	}
	irq_restore(f);
}

void thread_sleep_ns(uint64_t ns)
{
	uint64_t now = time_monotonic_ns();
	thread_sleep_until(ns > UINT64_MAX - now ? UINT64_MAX : now + ns);
}

int thread_id(const struct thread *t)
{
	return t->id;
}

const char *thread_name(const struct thread *t)
{
	return t->name;
}

void thread_set_name(struct thread *t, const char *name)
{
	strncpy(t->name, name, THREAD_NAME_MAX - 1);
	t->name[THREAD_NAME_MAX - 1] = '\0';
}

int thread_priority(const struct thread *t)
{
	return t->rq.prio;
}

int thread_set_priority(struct thread *t, int prio)
{
	if (prio < THREAD_PRIO_MIN || prio > THREAD_PRIO_MAX)
		return -EINVAL;
	unsigned long f = irq_save();
	struct cpu *c = cpu_this();
	int queued = t != thread_running && runq_remove(&c->rq, &t->rq);
	t->rq.prio = prio;
	if (queued)
		runq_push(&c->rq, &t->rq);
	if (runq_top_prio(&c->rq) > thread_self()->rq.prio)
		c->need_resched = 1;
	sched_unlock(f);
	return 0;
}

void thread_set_libc_data(struct thread *t, void *p)
{
	t->head.libc_data = p;
}

int thread_count(void)
{
	return nr_threads;
}
