/*
 * prctl(2): thread names, and the options whose request is already true
 * on Toro (no huge pages to disable, no parent, no core dumps).
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <string.h>
#include <sys/prctl.h>
#include "glue.h"

#define PRCTL_NAME_LEN 16 /* as Linux: 15 bytes and the NUL */

static int prctl_set_name(const char *name)
{
	char buf[PRCTL_NAME_LEN];
	if (!name)
		return -EFAULT;
	strncpy(buf, name, sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = '\0'; /* Linux truncates silently */
	return -pthread_setname_np(pthread_self(), buf);
}

static int prctl_get_name(char *buf)
{
	if (!buf)
		return -EFAULT;
	return -pthread_getname_np(pthread_self(), buf, PRCTL_NAME_LEN);
}

int prctl(int option, ...)
{
	va_list ap;
	va_start(ap, option);
	unsigned long arg2 = va_arg(ap, unsigned long);
	va_end(ap);
	switch (option) {
	case PR_SET_NAME:
		return (int)glue_ret(prctl_set_name((const char *)arg2));
	case PR_GET_NAME:
		return (int)glue_ret(prctl_get_name((char *)arg2));
	case PR_SET_THP_DISABLE:
	case PR_SET_DUMPABLE:
	case PR_SET_PDEATHSIG:
	case PR_SET_TIMERSLACK:
		return 0;
	case PR_GET_THP_DISABLE:
		return 1;
	case PR_GET_DUMPABLE:
		return 0;
	default:
		return (int)glue_ret(-EINVAL);
	}
}
