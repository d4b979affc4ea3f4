/*
 * newlib's <errno.h> with the Linux error names it defines only on request
 * (ENONET, ESOCKTNOSUPPORT, ...; newlib's numbering), and glibc's program
 * name variables (_GNU_SOURCE).
 */
#ifndef TORO_ERRNO_H
#define TORO_ERRNO_H

#ifndef __LINUX_ERRNO_EXTENSIONS__
#define __LINUX_ERRNO_EXTENSIONS__ 1
#endif
#include_next <errno.h>

#if __GNU_VISIBLE
/* argv[0], and its part after the last '/' (libc-glue/misc.c) */
extern char *program_invocation_name;
extern char *program_invocation_short_name;
#endif

#endif
