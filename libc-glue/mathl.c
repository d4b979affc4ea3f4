/*
 * long double rounding.  A value with |x| >= 2^63 is already integral
 * (the x87 format has a 64-bit significand), and so are NaN and infinity:
 * they come back unchanged.  Below that, a long long holds the integer part
 * exactly.
 */
#include <math.h>

#define MATHL_INTEGRAL 9223372036854775808.0L /* 2^63 */

static int mathl_is_integral(long double x)
{
	return !(x < MATHL_INTEGRAL && x > -MATHL_INTEGRAL); /* also true for NaN */
}

long double fabsl(long double x)
{
	return __builtin_fabsl(x);
}

long double truncl(long double x)
{
	if (mathl_is_integral(x))
		return x;
	long double t = (long double)(long long)x;
	return t == 0 ? __builtin_copysignl(0, x) : t;
}

long double floorl(long double x)
{
	long double t = truncl(x);
	return t > x ? t - 1 : t;
}

long double ceill(long double x)
{
	long double t = truncl(x);
	return t < x ? t + 1 : t;
}

/* Halfway cases away from zero. */
long double roundl(long double x)
{
	long double t = truncl(x);
	if (__builtin_fabsl(x - t) >= 0.5L)
		t += x < 0 ? -1 : 1;
	return t;
}

long lroundl(long double x)
{
	return (long)roundl(x);
}

long long llroundl(long double x)
{
	return (long long)roundl(x);
}
