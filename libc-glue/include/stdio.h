/*
 * newlib's <stdio.h>, plus renameat2() and its flags, which glibc declares
 * here for _GNU_SOURCE (libc-glue/path.c).
 */
#ifndef TORO_STDIO_H
#define TORO_STDIO_H

#include_next <stdio.h>

#if __GNU_VISIBLE
#ifdef __cplusplus
extern "C" {
#endif

/* Linux's values */
#define RENAME_NOREPLACE (1 << 0) /* fail with EEXIST if newpath exists */
#define RENAME_EXCHANGE  (1 << 1) /* swap the two names, both of which must exist */
#define RENAME_WHITEOUT  (1 << 2) /* EINVAL: no file system here has whiteouts */

int renameat2(int __olddirfd, const char *__oldpath, int __newdirfd, const char *__newpath,
              unsigned int __flags);

#ifdef __cplusplus
}
#endif
#endif

#endif
