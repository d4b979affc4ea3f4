/*
 * newlib's per-thread state: __getreent() (newlib is built with
 * __DYNAMIC_REENT__).  A pthread has its own struct _reent (errno, strtok,
 * rand48, ...; pthread.c); the main thread and kernel threads that libc
 * never set up share newlib's global one.  stdin/stdout/stderr are global
 * streams either way (--enable-newlib-reent-global-stdio-streams).
 *
 * libc.a has a __getreent of its own (getreent.o, answering _impure_ptr);
 * x86_64-toro-gcc must pass -u __getreent so that the link takes this one.
 */
#include <reent.h>
#include "pthread_impl.h"

struct _reent *__getreent(void)
{
	struct __pthread *pt = pthread_current();
	return pt ? pt->reent : _impure_ptr;
}
