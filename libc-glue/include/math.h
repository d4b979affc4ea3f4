/*
 * newlib's <math.h>, plus the long double rounding functions it leaves
 * out on x86_64, where long double is the 80-bit x87 format
 * (libc-glue/mathl.c).
 */
#ifndef TORO_MATH_H
#define TORO_MATH_H

#include_next <math.h>

#ifdef __cplusplus
extern "C" {
#endif

long double fabsl(long double x);
long double ceill(long double x);
long double floorl(long double x);
long double truncl(long double x);
long double roundl(long double x);
long lroundl(long double x);
long long llroundl(long double x);

#ifdef __cplusplus
}
#endif

#endif
