/* Unbounded recursion on the main thread hits its guard page. */
#include "vmtest.h"

#pragma GCC diagnostic ignored "-Winfinite-recursion"

__attribute__((noinline)) static int recurse(int n)
{
	volatile char pad[512];
	pad[0] = (char)n;
	return recurse(n + 1) + pad[0];
}

int main(void)
{
	printf("recursing\n");
	fflush(stdout);
	return recurse(0);
}
