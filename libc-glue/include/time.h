/*
 * newlib's <time.h>, plus the XSI names of the time zone variables.  Toro
 * keeps time in UTC: both are 0 (libc-glue/misc.c).
 */
#ifndef TORO_TIME_H
#define TORO_TIME_H

#include_next <time.h>

#if __XSI_VISIBLE
extern long timezone; /* seconds west of UTC */
extern int daylight;  /* nonzero if a DST rule applies */
#endif

#endif
