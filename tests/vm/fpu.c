/* Floating point and SSE in application code. */
#include <math.h>
#include <string.h>
#include "vmtest.h"

typedef float v4sf __attribute__((vector_size(16)));

__attribute__((noinline)) static double harmonic(int n)
{
	double s = 0;
	for (int i = 1; i <= n; i++)
		s += 1.0 / i;
	return s;
}

int main(void)
{
	volatile double two = 2.0;
	CHECK("sqrt", 1, fabs(sqrt(two) - 1.41421356237309505) < 1e-15);
	CHECK("sin", 2, fabs(sin(M_PI / 6) - 0.5) < 1e-15);
	CHECK("exp-log", 3, fabs(log(exp(3.5)) - 3.5) < 1e-14);
	CHECK("pow", 4, pow(two, 10) == 1024.0);
	CHECK("harmonic", 5, fabs(harmonic(1000) - 7.485470860550345) < 1e-12);
	v4sf a = {1, 2, 3, 4}, b = {10, 20, 30, 40};
	volatile v4sf c = a * b + a;
	CHECK("sse-vector", 6, c[0] == 11 && c[1] == 42 && c[2] == 93 && c[3] == 164);
	volatile float f = 1e30f;
	CHECK("float-inf", 7, isinf(f * f));
	volatile double z = 0.0;
	CHECK("nan", 8, isnan(z / z));
	CHECK("strtod", 9, strtod("2.5e-3", NULL) == 2.5e-3);
	return vmtest_success();
}
