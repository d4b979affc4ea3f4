/* The kernel console (16550 UART on COM1) and the kernel's printf. */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

void console_init(void);
/* Writes len bytes, turning "\n" into "\r\n". */
void console_write(const char *buf, size_t len);
/* Returns the next input byte, or -1 if none is waiting. */
int console_getc_nowait(void);
/* Returns 1 if an input byte is waiting. */
int console_peek(void);

/* A small printf: %s %c %d %i %u %x %p %% with l/ll/z, width and '0'. */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);
/* Formats into buf (always NUL-terminated); returns the length it wanted. */
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
