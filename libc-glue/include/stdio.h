/*
 * newlib's <stdio.h>, plus getdelim() and getline() (POSIX.1-2008; newlib
 * 3.3 has them only as __getdelim and __getline: libc-glue/stdio.c), and
 * renameat2() and its flags, which glibc declares here for _GNU_SOURCE
 * (libc-glue/path.c).
 */
#ifndef TORO_STDIO_H
#define TORO_STDIO_H

#include_next <stdio.h>

#if __POSIX_VISIBLE >= 200809
#ifdef __cplusplus
extern "C" {
#endif
ssize_t getdelim(char **__restrict __line, size_t *__restrict __size, int __delim,
                 FILE *__restrict __stream);
ssize_t getline(char **__restrict __line, size_t *__restrict __size, FILE *__restrict __stream);
#ifdef __cplusplus
}
#endif
#endif

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
