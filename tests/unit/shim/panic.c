/* Host stand-in for kernel/panic.c: panic() prints and abort()s. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <kernel/panic.h>

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "panic: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}
