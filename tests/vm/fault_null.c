/* A NULL dereference is caught and reported with a symbolized backtrace. */
#include "vmtest.h"

__attribute__((noinline)) static int deref_null(volatile int *p)
{
	return *p;
}

int main(void)
{
	printf("about to dereference NULL\n");
	fflush(stdout);
	return deref_null((volatile int *)0) + 1;
}
