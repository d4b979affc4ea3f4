/*
 * Host stand-in for kernel/console.c: console_write() appends to a buffer a
 * test can read back (and echoes to stderr so a failing test shows its log).
 */
#include <stdio.h>
#include <string.h>
#include <kernel/console.h>
#include "unit_shim.h"

static char text[64 * 1024];
static size_t len;

void console_write(const char *buf, size_t n)
{
	fwrite(buf, 1, n, stderr);
	if (n > sizeof(text) - 1 - len)
		n = sizeof(text) - 1 - len; /* the test only looks at the start */
	memcpy(text + len, buf, n);
	len += n;
	text[len] = '\0';
}

const char *console_shim_text(void)
{
	return text;
}

size_t console_shim_len(void)
{
	return len;
}

void console_shim_reset(void)
{
	len = 0;
	text[0] = '\0';
}
