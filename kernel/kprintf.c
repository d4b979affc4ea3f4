/*
 * The kernel's own printf.  Small and allocation-free so that it works in
 * exception handlers and before the heap exists; newlib's printf is for the
 * application.
 */
#include <kernel/console.h>
#include <stdint.h>

struct kbuf {
	char *buf;
	size_t size;
	size_t len; /* what the output wanted, may exceed size */
};

static void kbuf_putc(struct kbuf *b, char c)
{
	if (b->len + 1 < b->size)
		b->buf[b->len] = c;
	b->len++;
}

static void kbuf_puts(struct kbuf *b, const char *s, int width, int left)
{
	int n = 0;
	if (!s)
		s = "(null)";
	while (s[n])
		n++;
	for (; !left && width > n; width--)
		kbuf_putc(b, ' ');
	while (*s)
		kbuf_putc(b, *s++);
	for (; left && width > n; width--)
		kbuf_putc(b, ' ');
}

static void kbuf_putu(struct kbuf *b, uint64_t v, unsigned base, int width, char pad, int neg)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg && pad == '0')
		kbuf_putc(b, '-');
	for (width -= n + neg; width > 0; width--)
		kbuf_putc(b, pad);
	if (neg && pad != '0')
		kbuf_putc(b, '-');
	while (n)
		kbuf_putc(b, tmp[--n]);
}

static uint64_t arg_unsigned(va_list *ap, int lng)
{
	if (lng >= 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static int64_t arg_signed(va_list *ap, int lng)
{
	if (lng >= 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static void kbuf_format(struct kbuf *b, const char *fmt, va_list ap0)
{
	va_list ap;
	va_copy(ap, ap0);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			kbuf_putc(b, *fmt);
			continue;
		}
		fmt++;
		int left = 0, width = 0, lng = 0;
		char pad = ' ';
		if (*fmt == '-') {
			left = 1;
			fmt++;
		}
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (; *fmt == 'l' || *fmt == 'z'; fmt++)
			lng++;
		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t v = arg_signed(&ap, lng);
			kbuf_putu(b, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, width, pad, v < 0);
			break;
		}
		case 'u':
			kbuf_putu(b, arg_unsigned(&ap, lng), 10, width, pad, 0);
			break;
		case 'x':
			kbuf_putu(b, arg_unsigned(&ap, lng), 16, width, pad, 0);
			break;
		case 'p':
			kbuf_puts(b, "0x", 0, 0);
			kbuf_putu(b, (uintptr_t)va_arg(ap, void *), 16, 16, '0', 0);
			break;
		case 'c':
			kbuf_putc(b, (char)va_arg(ap, int));
			break;
		case 's':
			kbuf_puts(b, va_arg(ap, const char *), width, left);
			break;
		case '%':
			kbuf_putc(b, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			kbuf_putc(b, '%');
			kbuf_putc(b, *fmt);
		}
	}
	va_end(ap);
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct kbuf b = {buf, size, 0};
	kbuf_format(&b, fmt, ap);
	if (size)
		buf[b.len < size ? b.len : size - 1] = '\0';
	return (int)b.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void kvprintf(const char *fmt, va_list ap)
{
	char buf[256];
	int n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	console_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}
