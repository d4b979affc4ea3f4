/* newlib's <utime.h> (struct utimbuf) and the utime() it leaves undeclared. */
#ifndef TORO_UTIME_H
#define TORO_UTIME_H

#include_next <utime.h>

#ifdef __cplusplus
extern "C" {
#endif

int utime(const char *__path, const struct utimbuf *__times);

#ifdef __cplusplus
}
#endif

#endif
