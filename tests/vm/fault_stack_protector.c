/* Overwriting a canary is caught by -fstack-protector-strong. */
#include <string.h>
#include "vmtest.h"

__attribute__((noinline)) static void smash(const char *src, size_t n)
{
	char buf[16];
	memcpy(buf, src, n); /* n > sizeof(buf): overwrites the canary */
	__asm__ volatile("" : : "r"(buf) : "memory");
}

int main(void)
{
	static char big[64];
	memset(big, 'A', sizeof(big));
	printf("about to smash the stack\n");
	fflush(stdout);
	volatile size_t n = sizeof(big);
	smash(big, n);
	return 0;
}
