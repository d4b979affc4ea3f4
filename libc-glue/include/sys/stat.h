/*
 * newlib's <sys/stat.h>, plus what it declares only for other systems:
 * lstat(), mknod(), and UTIME_NOW / UTIME_OMIT for utimensat() and
 * futimens() (Linux's values).
 */
#ifndef TORO_SYS_STAT_H
#define TORO_SYS_STAT_H

#include_next <sys/stat.h>

#ifdef __cplusplus
extern "C" {
#endif

int lstat(const char *__restrict __path, struct stat *__restrict __buf);
int mknod(const char *__path, mode_t __mode, dev_t __dev);

#ifndef UTIME_NOW
#define UTIME_NOW  ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)
#endif

#ifdef __cplusplus
}
#endif

#endif
