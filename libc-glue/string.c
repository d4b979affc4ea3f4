/*
 * String functions faster than newlib's where servers spend time.
 *
 * memcpy() and memset(): newlib's x86_64 assembly moves fewer than 16 bytes
 * with rep movsb/stosb, which costs a loop per byte when emulated, and 256
 * bytes or more with non-temporal stores, which bypass the cache: the bytes
 * a server just copied (a request, a reply) are the next it reads.  Here a
 * short copy is two overlapping loads and stores of 2, 4 or 8 bytes, a long
 * one 32 bytes a round with the last 32 copied again, overlapping, all
 * through the cache; memset() likewise.  The file is built with
 * -fno-tree-loop-distribute-patterns (gcc would turn these loops back into
 * calls of themselves) and -mgeneral-regs-only: the kernel calls them in
 * interrupt context, where the interrupted thread's SSE registers are live
 * and not saved (newlib's assembly used none either).
 *
 * memcmp(): 8 bytes at a time at any alignment (x86 loads need none).
 * newlib's compares words only when both pointers are 8-byte aligned, and
 * the keys Redis compares for every lookup sit behind a 1 to 3 byte sds
 * header, so they never are: byte by byte was 2.7% of the guest's time in
 * a SET load.  libc-glue is searched before libc.a, so newlib's is not
 * linked.
 *
 * tests/unit/test_string.c builds this file with STRING_NAME(x) = test_##x
 * and checks it against the host's.
 */
#include <stddef.h>
#include <stdint.h>

#ifndef STRING_NAME
#define STRING_NAME(x) x
#endif

/* Loads and stores of 2, 4 and 8 bytes at any alignment: one mov each. */
#define LOAD_STORE(bits)                                                                           \
	static inline uint##bits##_t load##bits(const unsigned char *p)                            \
	{                                                                                          \
		uint##bits##_t v;                                                                  \
		__builtin_memcpy(&v, p, sizeof(v));                                                \
		return v;                                                                          \
	}                                                                                          \
	static inline void store##bits(unsigned char *p, uint##bits##_t v)                         \
	{                                                                                          \
		__builtin_memcpy(p, &v, sizeof(v));                                                \
	}
LOAD_STORE(16)
LOAD_STORE(32)
LOAD_STORE(64)

/* 0 to 16 bytes: the first and the last piece of the size below n, overlapping. */
static inline void copy_small(unsigned char *d, const unsigned char *s, size_t n)
{
	if (n >= 8) {
		uint64_t a = load64(s), b = load64(s + n - 8);
		store64(d, a);
		store64(d + n - 8, b);
	} else if (n >= 4) {
		uint32_t a = load32(s), b = load32(s + n - 4);
		store32(d, a);
		store32(d + n - 4, b);
	} else if (n >= 2) {
		uint16_t a = load16(s), b = load16(s + n - 2);
		store16(d, a);
		store16(d + n - 2, b);
	} else if (n) {
		*d = *s;
	}
}

/* 32 bytes, all loaded before any is stored. */
static inline void copy32(unsigned char *d, const unsigned char *s)
{
	uint64_t a = load64(s), b = load64(s + 8), c = load64(s + 16), e = load64(s + 24);
	store64(d, a);
	store64(d + 8, b);
	store64(d + 16, c);
	store64(d + 24, e);
}

void *STRING_NAME(memcpy)(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (n <= 16) {
		copy_small(d, s, n);
		return dst;
	}
	if (n <= 32) { /* the first 16 and the last 16 */
		uint64_t a = load64(s), b = load64(s + 8);
		uint64_t c = load64(s + n - 16), e = load64(s + n - 8);
		store64(d, a);
		store64(d + 8, b);
		store64(d + n - 16, c);
		store64(d + n - 8, e);
		return dst;
	}
	/*
	 * The last 32 bytes are loaded first and stored last, over the end of
	 * the last round.  Loading everything before it is stored also keeps
	 * an overlapping copy to a lower address right, as newlib's forward
	 * copy did: undefined for memcpy, but callers exist.
	 */
	uint64_t t0 = load64(s + n - 32), t1 = load64(s + n - 24);
	uint64_t t2 = load64(s + n - 16), t3 = load64(s + n - 8);
	for (size_t i = 0; i + 32 < n; i += 32)
		copy32(d + i, s + i);
	store64(d + n - 32, t0);
	store64(d + n - 24, t1);
	store64(d + n - 16, t2);
	store64(d + n - 8, t3);
	return dst;
}

void *STRING_NAME(memset)(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t v = 0x0101010101010101ULL * (unsigned char)c;
	if (n < 8) {
		for (size_t i = 0; i < n; i++)
			d[i] = (unsigned char)c;
		return dst;
	}
	size_t i = 0;
	for (; i + 32 <= n; i += 32) {
		store64(d + i, v);
		store64(d + i + 8, v);
		store64(d + i + 16, v);
		store64(d + i + 24, v);
	}
	for (; i + 8 <= n; i += 8)
		store64(d + i, v);
	if (i < n)
		store64(d + n - 8, v); /* the last 8, overlapping */
	return dst;
}

int STRING_NAME(memcmp)(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;
	for (; n >= 8; p += 8, q += 8, n -= 8) {
		uint64_t x = load64(p), y = load64(q);
		if (x != y) {
			/* byte-swapped, the first differing byte is the most significant */
			x = __builtin_bswap64(x);
			y = __builtin_bswap64(y);
			return x < y ? -1 : 1;
		}
	}
	for (; n; p++, q++, n--)
		if (*p != *q)
			return *p - *q;
	return 0;
}
