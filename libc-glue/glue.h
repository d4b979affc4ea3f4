/* Private helpers of libc-glue: the only layer that sets errno. */
#ifndef LIBC_GLUE_GLUE_H
#define LIBC_GLUE_GLUE_H

#include <errno.h>
#include <limits.h>

#ifndef SSIZE_MAX
#define SSIZE_MAX LONG_MAX
#endif

/* Turns a kernel return value (>= 0, or -ERRNO) into the POSIX convention. */
static inline long glue_ret(long r)
{
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

/* Logs "toro: NAME is not implemented" once per name and returns -1/ENOSYS. */
int glue_enosys(const char *name);

#endif
