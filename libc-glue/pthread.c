/*
 * POSIX threads: creation, exit, join and detach, attributes, names.
 *
 * Each pthread is a kernel thread plus a descriptor (struct __pthread) in the
 * thread's libc slot: its own newlib state (errno, strtok, ...), its key
 * values and its return value.  The main thread and kernel threads that call
 * in get a descriptor on first use, sharing newlib's global state.
 *
 * Who frees a descriptor: pthread_join() for a joinable thread; the thread
 * itself on exit when detached; pthread_detach() when the thread has already
 * exited.  pthread_state_lock orders those decisions.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/console.h>
#include "pthread_impl.h"

static struct kmutex pthread_state_lock = KMUTEX_INIT;
static struct kcond pthread_state_cond = KCOND_INIT; /* a pthread has exited */
static int pthread_live;                             /* pthreads created, not yet exited */

static struct __pthread pthread_main;

/* A descriptor for a thread pthread_create() did not make; NULL without memory. */
static struct __pthread *pthread_adopt(struct thread *t)
{
	struct __pthread *pt = thread_id(t) == 1 ? &pthread_main : calloc(1, sizeof(*pt));
	if (!pt)
		return NULL;
	pt->magic = PTHREAD_MAGIC;
	pt->kt = t;
	pt->reent = _impure_ptr;
	pt->detached = 1; /* nothing to join: it was not started by pthread_create */
	thread_set_libc_data(t, pt);
	return pt;
}

pthread_t pthread_self(void)
{
	struct thread *t = thread_self();
	struct __pthread *pt = thread_libc_data(t);
	if (!pt)
		pt = pthread_adopt(t);
	if (!pt) {
		kprintf("toro: pthread_self: no memory for a thread descriptor\n");
		abort();
	}
	return pt;
}

int pthread_equal(pthread_t a, pthread_t b)
{
	return a == b;
}

static int pthread_valid(pthread_t t)
{
	return t && t->magic == PTHREAD_MAGIC;
}

/* Entry of every pthread: waits until pthread_create() has filled in kt. */
static void pthread_start(void *arg)
{
	struct __pthread *self = arg;
	ksem_wait(&self->started, 0);
	pthread_exit(self->start(self->arg));
}

/* New threads inherit the creator's priority unless attr says PTHREAD_EXPLICIT_SCHED. */
static int pthread_attr_to_kernel(const pthread_attr_t *attr, struct thread_attr *ka)
{
	ka->priority = thread_priority(thread_self());
	if (!attr)
		return 0;
	if (!attr->__initialized)
		return EINVAL;
	ka->stack_size = attr->__stacksize;
	ka->detached = attr->__detachstate == PTHREAD_CREATE_DETACHED;
	if (attr->__inheritsched == PTHREAD_EXPLICIT_SCHED)
		ka->priority = attr->__schedparam.sched_priority;
	return 0;
}

static struct __pthread *pthread_alloc(const struct thread_attr *ka, void *(*fn)(void *), void *arg)
{
	struct __pthread *pt = calloc(1, sizeof(*pt));
	if (!pt)
		return NULL;
	pt->magic = PTHREAD_MAGIC;
	pt->start = fn;
	pt->arg = arg;
	pt->stack_size = ka->stack_size ? ka->stack_size : THREAD_STACK_DEFAULT;
	pt->detached = ka->detached;
	pt->reent = &pt->own_reent;
	_REENT_INIT_PTR(pt->reent);
	ksem_init(&pt->started, 0);
	return pt;
}

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
	struct thread_attr ka = THREAD_ATTR_DEFAULT;
	struct thread *kt;
	if (!thread || !fn)
		return EINVAL;
	int err = pthread_attr_to_kernel(attr, &ka);
	if (err)
		return err;
	struct __pthread *pt = pthread_alloc(&ka, fn, arg);
	if (!pt)
		return EAGAIN;
	__atomic_add_fetch(&pthread_live, 1, __ATOMIC_RELAXED);
	int r = thread_create(&kt, pthread_start, pt, &ka);
	if (r < 0) {
		__atomic_sub_fetch(&pthread_live, 1, __ATOMIC_RELAXED);
		free(pt);
		return r == -EINVAL ? EINVAL : EAGAIN;
	}
	pt->kt = kt;
	thread_set_libc_data(kt, pt);
	*thread = pt;
	/* From here a detached thread may exit and free pt at any time. */
	ksem_post(&pt->started);
	return 0;
}

static void pthread_cleanup_run(struct __pthread *self)
{
	while (self->cleanup) {
		struct __pthread_cleanup *c = self->cleanup;
		self->cleanup = c->__prev;
		c->__routine(c->__arg);
	}
}

/* main() called pthread_exit(): the program ends when the last pthread does. */
static void pthread_exit_main(void)
{
	kmutex_lock(&pthread_state_lock);
	while (__atomic_load_n(&pthread_live, __ATOMIC_RELAXED) > 0)
		kcond_wait(&pthread_state_cond, &pthread_state_lock, 0);
	kmutex_unlock(&pthread_state_lock);
	exit(0);
}

/* Hands the descriptor over to whoever frees it; the thread must not touch it after. */
static void pthread_release(struct __pthread *self)
{
	kmutex_lock(&pthread_state_lock);
	if (self->detached) {
		self->magic = 0;
		free(self);
	} else {
		self->exited = 1;
	}
	__atomic_sub_fetch(&pthread_live, 1, __ATOMIC_RELAXED);
	kcond_broadcast(&pthread_state_cond);
	kmutex_unlock(&pthread_state_lock);
}

/* The streams are global: their buffers outlive the thread, exit() flushes them. */
static void reent_keep_streams(struct _reent *r)
{
	(void)r;
}

void pthread_exit(void *retval)
{
	struct __pthread *self = pthread_self();
	pthread_cleanup_run(self);
	pthread_keys_destruct(self);
	if (self == &pthread_main)
		pthread_exit_main();
	if (self->reent != &self->own_reent) { /* an adopted kernel thread */
		thread_set_libc_data(self->kt, NULL);
		free(self);
		thread_exit();
	}
	self->retval = retval;
	/*
	 * stdin/stdout/stderr are global (newlib's global stdio streams): the
	 * thread's cleanup hook would fclose them for everyone.
	 */
	self->reent->__cleanup = reent_keep_streams;
	_reclaim_reent(self->reent);
	/* From here newlib uses the global state for this thread (__getreent). */
	thread_set_libc_data(self->kt, NULL);
	pthread_release(self);
	thread_exit();
}

int pthread_join(pthread_t t, void **retval)
{
	if (!pthread_valid(t))
		return ESRCH;
	if (t->kt == thread_self())
		return EDEADLK;
	kmutex_lock(&pthread_state_lock);
	int busy = t->detached || t->joining;
	t->joining = 1;
	kmutex_unlock(&pthread_state_lock);
	if (busy)
		return EINVAL;
	int r = thread_join(t->kt);
	if (r < 0) {
		kprintf("toro: pthread_join: kernel thread_join failed (%d)\n", r);
		return -r;
	}
	if (retval)
		*retval = t->retval;
	t->magic = 0;
	free(t);
	return 0;
}

int pthread_detach(pthread_t t)
{
	if (!pthread_valid(t))
		return ESRCH;
	kmutex_lock(&pthread_state_lock);
	int err = t->detached || t->joining ? EINVAL : 0;
	if (!err) {
		t->detached = 1;
		thread_detach(t->kt);
		if (t->exited) {
			t->magic = 0;
			free(t);
		}
	}
	kmutex_unlock(&pthread_state_lock);
	return err;
}

void __pthread_cleanup_push(struct __pthread_cleanup *c, void (*routine)(void *), void *arg)
{
	struct __pthread *self = pthread_self();
	c->__routine = routine;
	c->__arg = arg;
	c->__prev = self->cleanup;
	self->cleanup = c;
}

void __pthread_cleanup_pop(struct __pthread_cleanup *c, int execute)
{
	struct __pthread *self = pthread_self();
	self->cleanup = c->__prev;
	if (execute)
		c->__routine(c->__arg);
}

int pthread_setname_np(pthread_t t, const char *name)
{
	if (!pthread_valid(t) || !name)
		return !name ? EINVAL : ESRCH;
	if (strlen(name) >= THREAD_NAME_MAX)
		return ERANGE;
	thread_set_name(t->kt, name);
	return 0;
}

int pthread_getname_np(pthread_t t, char *buf, size_t len)
{
	if (!pthread_valid(t) || !buf)
		return !buf ? EINVAL : ESRCH;
	const char *name = thread_name(t->kt);
	size_t n = strlen(name);
	if (n >= len)
		return ERANGE;
	memcpy(buf, name, n + 1);
	return 0;
}

static int pthread_policy_valid(int policy)
{
	return policy == SCHED_OTHER || policy == SCHED_FIFO || policy == SCHED_RR;
}

int pthread_getschedparam(pthread_t t, int *policy, struct sched_param *param)
{
	if (!pthread_valid(t))
		return ESRCH;
	if (!policy || !param)
		return EINVAL;
	*policy = SCHED_OTHER;
	memset(param, 0, sizeof(*param));
	param->sched_priority = thread_priority(t->kt);
	return 0;
}

int pthread_setschedprio(pthread_t t, int prio)
{
	if (!pthread_valid(t))
		return ESRCH;
	return thread_set_priority(t->kt, prio) < 0 ? EINVAL : 0;
}

int pthread_setschedparam(pthread_t t, int policy, const struct sched_param *param)
{
	if (!param || !pthread_policy_valid(policy))
		return EINVAL;
	return pthread_setschedprio(t, param->sched_priority);
}

int pthread_getconcurrency(void)
{
	return 0;
}

int pthread_setconcurrency(int level)
{
	return level < 0 ? EINVAL : 0;
}

int pthread_getattr_np(pthread_t t, pthread_attr_t *attr)
{
	if (!pthread_valid(t))
		return ESRCH;
	if (!attr)
		return EINVAL;
	pthread_attr_init(attr);
	attr->__detachstate = t->detached ? PTHREAD_CREATE_DETACHED : PTHREAD_CREATE_JOINABLE;
	attr->__stacksize = t->stack_size;
	attr->__schedparam.sched_priority = thread_priority(t->kt);
	return 0;
}

int pthread_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void))
{
	return 0; /* there is no fork() */
}

int pthread_cancel(pthread_t t)
{
	static int logged;
	if (!pthread_valid(t))
		return ESRCH;
	if (!__atomic_exchange_n(&logged, 1, __ATOMIC_RELAXED))
		kprintf("toro: pthread_cancel is not implemented (ENOSYS)\n");
	return ENOSYS;
}

int pthread_setcancelstate(int state, int *oldstate)
{
	if (state != PTHREAD_CANCEL_ENABLE && state != PTHREAD_CANCEL_DISABLE)
		return EINVAL;
	if (oldstate)
		*oldstate = PTHREAD_CANCEL_ENABLE;
	return 0;
}

int pthread_setcanceltype(int type, int *oldtype)
{
	if (type != PTHREAD_CANCEL_DEFERRED && type != PTHREAD_CANCEL_ASYNCHRONOUS)
		return EINVAL;
	if (oldtype)
		*oldtype = PTHREAD_CANCEL_DEFERRED;
	return 0;
}

void pthread_testcancel(void)
{
}
