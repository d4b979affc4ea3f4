/*
 * lwIP's operating-system layer on Toro's kernel threads (lwIP's
 * doc/sys_arch.txt is the contract): semaphores over ksem, mutexes over
 * kmutex, mailboxes as bounded rings, threads, time, critical sections,
 * random numbers and assertions.
 *
 * Timeouts are in milliseconds, 0 meaning "forever"; a wait that times out
 * returns SYS_ARCH_TIMEOUT, one that succeeds returns the milliseconds it
 * waited.
 */
#include <stdarg.h>
#include <stdlib.h>
#include "lwip/opt.h"
#include "lwip/sys.h"
#include "lwip/tcpip.h"
#include <kernel/console.h>
#include <kernel/irq.h>
#include <kernel/panic.h>
#include <kernel/random.h>
#include <kernel/sync.h>
#include <kernel/thread.h>
#include <kernel/time.h>

#define NS_PER_MS 1000000ULL
/* Mailboxes lwIP asks for with size 0 (a default left unset) get this. */
#define MBOX_DEFAULT_SIZE 64
#define MBOX_MAX_SIZE     (1 << 16)

struct sys_arch_sem {
	struct ksem ksem;
};

struct sys_arch_mutex {
	struct kmutex kmutex;
};

/*
 * A bounded FIFO of pointers.  "items" counts queued messages and "space"
 * free slots, so posters sleep on a full box and fetchers on an empty one.
 * head and tail move with interrupts off, which makes the try-variants safe
 * from an interrupt handler.
 */
struct sys_arch_mbox {
	struct ksem items; /* messages queued */
	struct ksem space; /* free slots */
	unsigned head;     /* next slot to read */
	unsigned tail;     /* next slot to write */
	unsigned size;     /* number of slots */
	void *slot[];      /* the ring */
};

/* ---- time -------------------------------------------------------------------- */

u32_t sys_now(void)
{
	return (u32_t)(time_monotonic_ns() / NS_PER_MS);
}

/* Milliseconds too: lwIP only uses it (in PPP) as a free-running counter. */
u32_t sys_jiffies(void)
{
	return sys_now();
}

static uint64_t deadline_after_ms(u32_t timeout_ms)
{
	return timeout_ms ? time_monotonic_ns() + timeout_ms * NS_PER_MS : 0;
}

/* Milliseconds since start, never SYS_ARCH_TIMEOUT itself. */
static u32_t elapsed_ms(uint64_t start_ns)
{
	uint64_t ms = (time_monotonic_ns() - start_ns) / NS_PER_MS;
	return ms >= SYS_ARCH_TIMEOUT ? SYS_ARCH_TIMEOUT - 1 : (u32_t)ms;
}

void sys_init(void)
{
}

/* ---- semaphores ---------------------------------------------------------------- */

err_t sys_sem_new(sys_sem_t *sem, u8_t count)
{
	struct sys_arch_sem *s = malloc(sizeof(*s));
	*sem = s;
	if (!s)
		return ERR_MEM;
	ksem_init(&s->ksem, count);
	return ERR_OK;
}

void sys_sem_signal(sys_sem_t *sem)
{
	ksem_post(&(*sem)->ksem);
}

u32_t sys_arch_sem_wait(sys_sem_t *sem, u32_t timeout_ms)
{
	uint64_t start = time_monotonic_ns();
	if (ksem_wait(&(*sem)->ksem, deadline_after_ms(timeout_ms)) < 0)
		return SYS_ARCH_TIMEOUT;
	return elapsed_ms(start);
}

void sys_sem_free(sys_sem_t *sem)
{
	free(*sem);
	*sem = NULL;
}

/* ---- mutexes --------------------------------------------------------------------- */

err_t sys_mutex_new(sys_mutex_t *mutex)
{
	struct sys_arch_mutex *m = malloc(sizeof(*m));
	*mutex = m;
	if (!m)
		return ERR_MEM;
	kmutex_init(&m->kmutex);
	return ERR_OK;
}

void sys_mutex_lock(sys_mutex_t *mutex)
{
	kmutex_lock(&(*mutex)->kmutex);
}

void sys_mutex_unlock(sys_mutex_t *mutex)
{
	kmutex_unlock(&(*mutex)->kmutex);
}

void sys_mutex_free(sys_mutex_t *mutex)
{
	free(*mutex);
	*mutex = NULL;
}

/*
 * LWIP_ASSERT_CORE_LOCKED(): the raw API must run under the core lock (the
 * tcpip thread holds it while it handles messages and timers).  Before
 * tcpip_init() has made the lock, lwip_init() runs alone and is let through.
 */
int sys_core_locked_by_me(void)
{
	return sys_mutex_valid(&lock_tcpip_core) && kmutex_held(&lock_tcpip_core->kmutex);
}

void sys_check_core_locking(void)
{
	if (!sys_mutex_valid(&lock_tcpip_core))
		return;
	if (!kmutex_held(&lock_tcpip_core->kmutex))
		sys_arch_assert("lwIP core used without the core lock", __FILE__, __LINE__);
}

/* ---- mailboxes ---------------------------------------------------------------------- */

err_t sys_mbox_new(sys_mbox_t *mbox, int size)
{
	if (size <= 0)
		size = MBOX_DEFAULT_SIZE;
	*mbox = NULL;
	if (size > MBOX_MAX_SIZE)
		return ERR_VAL;
	struct sys_arch_mbox *b = malloc(sizeof(*b) + (size_t)size * sizeof(b->slot[0]));
	if (!b)
		return ERR_MEM;
	ksem_init(&b->items, 0);
	ksem_init(&b->space, size);
	b->head = b->tail = 0;
	b->size = (unsigned)size;
	*mbox = b;
	return ERR_OK;
}

/* Stores msg in a slot the caller has reserved from "space", then wakes a fetcher. */
static void mbox_put(struct sys_arch_mbox *b, void *msg)
{
	unsigned long f = irq_save();
	b->slot[b->tail] = msg;
	b->tail = (b->tail + 1) % b->size;
	irq_restore(f);
	ksem_post(&b->items);
}

/* Takes the message the caller has claimed from "items", then frees its slot. */
static void *mbox_get(struct sys_arch_mbox *b)
{
	unsigned long f = irq_save();
	void *msg = b->slot[b->head];
	b->head = (b->head + 1) % b->size;
	irq_restore(f);
	ksem_post(&b->space);
	return msg;
}

void sys_mbox_post(sys_mbox_t *mbox, void *msg)
{
	ksem_wait(&(*mbox)->space, 0);
	mbox_put(*mbox, msg);
}

err_t sys_mbox_trypost(sys_mbox_t *mbox, void *msg)
{
	if (ksem_trywait(&(*mbox)->space) < 0)
		return ERR_MEM;
	mbox_put(*mbox, msg);
	return ERR_OK;
}

/* ksem_trywait() and ksem_post() only turn interrupts off: safe here too. */
err_t sys_mbox_trypost_fromisr(sys_mbox_t *mbox, void *msg)
{
	return sys_mbox_trypost(mbox, msg);
}

u32_t sys_arch_mbox_fetch(sys_mbox_t *mbox, void **msg, u32_t timeout_ms)
{
	uint64_t start = time_monotonic_ns();
	if (ksem_wait(&(*mbox)->items, deadline_after_ms(timeout_ms)) < 0)
		return SYS_ARCH_TIMEOUT;
	void *m = mbox_get(*mbox);
	if (msg)
		*msg = m;
	return elapsed_ms(start);
}

u32_t sys_arch_mbox_tryfetch(sys_mbox_t *mbox, void **msg)
{
	if (ksem_trywait(&(*mbox)->items) < 0)
		return SYS_MBOX_EMPTY;
	void *m = mbox_get(*mbox);
	if (msg)
		*msg = m;
	return 0;
}

/* lwIP drains a mailbox before freeing it; what is left would be leaked. */
void sys_mbox_free(sys_mbox_t *mbox)
{
	free(*mbox);
	*mbox = NULL;
}

/* ---- threads ---------------------------------------------------------------------------- */

/*
 * lwIP has no way to report a thread it could not start (tcpip_init() calls
 * this and goes on), so running out of memory here is fatal.
 */
sys_thread_t sys_thread_new(const char *name, lwip_thread_fn fn, void *arg, int stacksize, int prio)
{
	struct thread_attr attr = THREAD_ATTR_DEFAULT;
	attr.name = name;
	attr.detached = 1;
	if (stacksize > 0)
		attr.stack_size =
		    (size_t)stacksize < THREAD_STACK_MIN ? THREAD_STACK_MIN : (size_t)stacksize;
	if (prio >= THREAD_PRIO_MIN && prio <= THREAD_PRIO_MAX)
		attr.priority = prio;
	struct thread *t;
	int err = thread_create(&t, fn, arg, &attr);
	if (err < 0)
		panic("lwIP: cannot start thread '%s' (%d)", name ? name : "?", err);
	return t;
}

/* ---- critical sections, random numbers, diagnostics -------------------------------------- */

/* Toro runs code on CPU 0 only: interrupts off is mutual exclusion. */
sys_prot_t sys_arch_protect(void)
{
	return irq_save();
}

void sys_arch_unprotect(sys_prot_t was_enabled)
{
	irq_restore(was_enabled);
}

uint32_t sys_arch_rand(void)
{
	uint32_t v;
	random_bytes(&v, sizeof(v));
	return v;
}

void sys_arch_diag(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

void sys_arch_assert(const char *msg, const char *file, int line)
{
	panic("lwIP assertion \"%s\" failed at %s:%d", msg, file, line);
}
