/*
 * The self-unpacking image's 32-bit stage (stub.S enters it from the PVH
 * entry, paging off): decode the packed image to its link address, zero its
 * bss, and return its PVH entry point.  The layout comes from the header
 * tools/toro-pack writes before the payload.  A damaged payload stops the VM
 * with the panic status and a line on COM1; nothing is jumped into.
 */
#include <stddef.h>
#include <stdint.h>
#include <kernel/status.h>
#include "lz4.h"

#define PACK_MAGIC     0x6b504f54u /* "TOPk" */
#define COM1           0x3f8
#define ISA_DEBUG_EXIT 0xf4

/* Written by tools/toro-pack: see there. */
struct pack_header {
	uint32_t magic;
	uint32_t entry;	      /* the image's PVH entry */
	uint32_t dst;	      /* where the decoded bytes go */
	uint32_t size;	      /* how many there are */
	uint32_t zero;	      /* bytes to clear after them (bss) */
	uint32_t payload_len; /* bytes of blocks after this header */
	uint32_t sum;	      /* image_sum() of the decoded bytes */
};

extern const struct pack_header pack_header;
extern const uint8_t pack_payload[];

/* Words, then bytes: under TCG each iteration of a "rep" costs the same. */
void *memcpy(void *d, const void *s, size_t n)
{
	void *ret = d;
	size_t words = n / 4, bytes = n % 4;
	__asm__ volatile("rep movsl" : "+D"(d), "+S"(s), "+c"(words) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(bytes) : : "memory");
	return ret;
}

void *memset(void *d, int c, size_t n)
{
	void *ret = d;
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return ret;
}

static void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static __attribute__((noreturn)) void fail(const char *why)
{
	for (const char *p = "toro-pack: cannot unpack the image: "; *p; p++)
		outb(COM1, (uint8_t)*p);
	for (const char *p = why; *p; p++)
		outb(COM1, (uint8_t)*p);
	outb(COM1, '\r');
	outb(COM1, '\n');
	__asm__ volatile("outl %0, %1" : : "a"(TORO_STATUS_PANIC + 1), "Nd"(ISA_DEBUG_EXIT));
	for (;;)
		__asm__ volatile("cli; hlt");
}

/*
 * Fletcher-style sums over 32-bit little-endian words (the tail zero-padded),
 * as tools/toro-pack computes them: LZ4 decodes a damaged literal without
 * complaint, so the result is checked.  Words, not bytes: under TCG this
 * costs about a tenth of the decoding.
 */
static uint32_t image_sum(const uint8_t *p, size_t n)
{
	uint32_t a = 1, b = 0;
	size_t i = 0;
	for (; i + 4 <= n; i += 4) {
		a += *(const uint32_t *)(p + i);
		b += a;
	}
	if (i < n) {
		uint32_t w = 0;
		for (size_t k = 0; i + k < n; k++)
			w |= (uint32_t)p[i + k] << (8 * k);
		a += w;
		b += a;
	}
	return a ^ (b << 16 | b >> 16);
}

/*
 * The payload is LZ4's legacy stream without its magic: blocks, each a
 * 32-bit little-endian length and that many bytes.
 */
uint32_t unpack(void)
{
	const struct pack_header *h = &pack_header;
	if (h->magic != PACK_MAGIC)
		fail("bad header");
	const uint8_t *p = pack_payload, *end = pack_payload + h->payload_len;
	uint8_t *dst = (uint8_t *)(uintptr_t)h->dst;
	size_t done = 0;
	while (p < end) {
		if (end - p < 4)
			fail("truncated block length");
		uint32_t len = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
			       (uint32_t)p[3] << 24;
		p += 4;
		if (len > (size_t)(end - p))
			fail("truncated block");
		long n = lz4_block_decode(p, len, dst + done, h->size - done);
		if (n < 0)
			fail("corrupt block");
		done += (size_t)n;
		p += len;
	}
	if (done != h->size)
		fail("short payload");
	if (image_sum(dst, done) != h->sum)
		fail("checksum mismatch");
	memset(dst + done, 0, h->zero);
	return h->entry;
}
