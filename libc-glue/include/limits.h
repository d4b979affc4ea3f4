/* newlib's <limits.h>, plus the POSIX limits it leaves out. */
#ifndef TORO_LIMITS_H
#define TORO_LIMITS_H

#include_next <limits.h>

#ifndef SSIZE_MAX
#define SSIZE_MAX __LONG_MAX__ /* ssize_t is long on x86_64 */
#endif
#ifndef IOV_MAX
#define IOV_MAX 1024 /* the same as <sys/uio.h> */
#endif

#endif
