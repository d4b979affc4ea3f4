/*
 * Thread attributes.  The kernel takes a stack size, a priority and the
 * detached flag (kernel/thread.h); scope and policy are recorded only, since
 * there is one scheduler and one process.  Every stack has a one-page guard.
 */
#include <errno.h>
#include <string.h>
#include <kernel/mm.h>
#include "pthread_impl.h"

_Static_assert(PTHREAD_STACK_MIN >= THREAD_STACK_MIN, "<pthread.h> promises too small a stack");

static int attr_valid(const pthread_attr_t *attr)
{
	return attr && attr->__initialized;
}

int pthread_attr_init(pthread_attr_t *attr)
{
	if (!attr)
		return EINVAL;
	memset(attr, 0, sizeof(*attr));
	attr->__initialized = 1;
	attr->__detachstate = PTHREAD_CREATE_JOINABLE;
	attr->__inheritsched = PTHREAD_INHERIT_SCHED;
	attr->__schedpolicy = SCHED_OTHER;
	attr->__scope = PTHREAD_SCOPE_SYSTEM;
	attr->__schedparam.sched_priority = THREAD_PRIO_DEFAULT;
	attr->__guardsize = PAGE_SIZE;
	return 0;
}

int pthread_attr_destroy(pthread_attr_t *attr)
{
	if (!attr_valid(attr))
		return EINVAL;
	attr->__initialized = 0;
	return 0;
}

int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state)
{
	if (!attr_valid(attr) || !state)
		return EINVAL;
	*state = attr->__detachstate;
	return 0;
}

int pthread_attr_setdetachstate(pthread_attr_t *attr, int state)
{
	if (!attr_valid(attr) ||
	    (state != PTHREAD_CREATE_JOINABLE && state != PTHREAD_CREATE_DETACHED))
		return EINVAL;
	attr->__detachstate = state;
	return 0;
}

int pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *size)
{
	if (!attr_valid(attr) || !size)
		return EINVAL;
	*size = attr->__stacksize ? attr->__stacksize : THREAD_STACK_DEFAULT;
	return 0;
}

int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size)
{
	if (!attr_valid(attr) || size < PTHREAD_STACK_MIN)
		return EINVAL;
	attr->__stacksize = size;
	return 0;
}

int pthread_attr_getguardsize(const pthread_attr_t *attr, size_t *size)
{
	if (!attr_valid(attr) || !size)
		return EINVAL;
	*size = attr->__guardsize;
	return 0;
}

/* Recorded only: the kernel puts one unmapped page under every stack. */
int pthread_attr_setguardsize(pthread_attr_t *attr, size_t size)
{
	if (!attr_valid(attr))
		return EINVAL;
	attr->__guardsize = size;
	return 0;
}

int pthread_attr_getschedparam(const pthread_attr_t *attr, struct sched_param *param)
{
	if (!attr_valid(attr) || !param)
		return EINVAL;
	*param = attr->__schedparam;
	return 0;
}

/* Priority 0 means the default, as for SCHED_OTHER elsewhere. */
int pthread_attr_setschedparam(pthread_attr_t *attr, const struct sched_param *param)
{
	if (!attr_valid(attr) || !param)
		return EINVAL;
	int prio = param->sched_priority;
	if (prio != 0 && (prio < THREAD_PRIO_MIN || prio > THREAD_PRIO_MAX))
		return EINVAL;
	attr->__schedparam = *param;
	return 0;
}

int pthread_attr_getschedpolicy(const pthread_attr_t *attr, int *policy)
{
	if (!attr_valid(attr) || !policy)
		return EINVAL;
	*policy = attr->__schedpolicy;
	return 0;
}

int pthread_attr_setschedpolicy(pthread_attr_t *attr, int policy)
{
	if (!attr_valid(attr))
		return EINVAL;
	if (policy != SCHED_OTHER && policy != SCHED_FIFO && policy != SCHED_RR)
		return EINVAL;
	attr->__schedpolicy = policy;
	return 0;
}

int pthread_attr_getinheritsched(const pthread_attr_t *attr, int *inherit)
{
	if (!attr_valid(attr) || !inherit)
		return EINVAL;
	*inherit = attr->__inheritsched;
	return 0;
}

int pthread_attr_setinheritsched(pthread_attr_t *attr, int inherit)
{
	if (!attr_valid(attr) ||
	    (inherit != PTHREAD_INHERIT_SCHED && inherit != PTHREAD_EXPLICIT_SCHED))
		return EINVAL;
	attr->__inheritsched = inherit;
	return 0;
}

int pthread_attr_getscope(const pthread_attr_t *attr, int *scope)
{
	if (!attr_valid(attr) || !scope)
		return EINVAL;
	*scope = attr->__scope;
	return 0;
}

int pthread_attr_setscope(pthread_attr_t *attr, int scope)
{
	if (!attr_valid(attr))
		return EINVAL;
	if (scope == PTHREAD_SCOPE_PROCESS)
		return ENOTSUP;
	if (scope != PTHREAD_SCOPE_SYSTEM)
		return EINVAL;
	attr->__scope = scope;
	return 0;
}
